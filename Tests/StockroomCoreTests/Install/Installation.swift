import ChildProcesses
import Foundation

/// A checkout's `deploy/` folder and an installed prefix, read the way systemd and an operator read them.
enum Installation {
    /// The repository this test was compiled from (`deploy/`, `README.md`, `CHANGELOG.md`).
    static let repository = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder `swift build` put this test's `stockroom` in: what `install.sh --from-build` takes.
    static var buildFolder: String {
        get throws { URL(filePath: try StockroomNode.executable).deletingLastPathComponent().path }
    }

    /// Runs `deploy/install.sh` with `arguments`; its output (what it tells the operator) when it exits 0.
    static func install(_ arguments: [String]) async throws -> String {
        try await ChildProcess.run("/bin/sh", [repository.appending(path: "deploy/install.sh").path] + arguments)
    }

    /// A new empty folder under the temporary directory.
    static func temporaryFolder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appending(path: "stockroom-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A systemd unit's `Key=value` lines by section, as systemd reads them (comments and blank lines skipped; a
    /// repeated key keeps its last value, enough for the keys checked here).
    static func unitSettings(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var section = ""
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) where !line.isEmpty && !line.hasPrefix("#") {
            if line.hasPrefix("[") {
                section = String(line.dropFirst().dropLast())
            } else if let equals = line.firstIndex(of: "=") {
                sections[section, default: [:]][String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        return sections
    }

    /// An `EnvironmentFile`'s variables, as systemd reads that file: `KEY=value` lines, `#` comments.
    static func environmentFile(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }

    /// `text` with the line setting `key` replaced (or added): what an operator does with an editor.
    static func setting(_ key: String, to value: String, in text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let index = lines.firstIndex(where: { $0.hasPrefix("\(key)=") }) {
            lines[index] = "\(key)=\(value)"
        } else {
            lines.insert("\(key)=\(value)", at: max(0, lines.count - 1))
        }
        return lines.joined(separator: "\n")
    }
}

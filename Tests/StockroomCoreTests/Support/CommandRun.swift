import ChildProcesses
import Foundation

/// A command run to its end in a directory of the test's: the built `stockroom` executable, or a README block through
/// `/bin/sh -eu` with that executable first on the `PATH` (so `stockroom …` in README runs this build).
struct CommandRun: Sendable, CustomStringConvertible {
    let status: Int32
    let output: String

    var description: String { "exit \(status):\n\(output)" }

    static func stockroom(_ arguments: [String], environment: [String: String], in directory: URL) async throws -> CommandRun {
        try await run(try StockroomNode.executable, arguments, environment: environment, in: directory)
    }

    static func shell(_ script: String, environment: [String: String], in directory: URL) async throws -> CommandRun {
        let executables = URL(filePath: try StockroomNode.executable).deletingLastPathComponent().path
        var environment = environment
        environment["PATH"] = executables + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try await run("/bin/sh", ["-euc", script], environment: environment, in: directory)
    }

    private static func run(_ executable: String, _ arguments: [String], environment: [String: String], in directory: URL) async throws -> CommandRun
    {
        let log = FileManager.default.temporaryDirectory.appending(path: "stockroom-command-\(UUID().uuidString.prefix(8)).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let process = try RunningProcess(executable, arguments, environment: environment, directory: directory.path, logPath: log.path)
        let deadline = ContinuousClock.now + .seconds(300)
        while process.exitStatus == nil {
            guard ContinuousClock.now < deadline else {
                await process.terminate()
                throw ClusterError("\(executable) \(arguments) did not finish within 300 s:\n\(process.output)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return CommandRun(status: process.exitStatus!, output: process.output)
    }
}

/// README's shell blocks, so a test runs the commands README gives rather than its own idea of them.
enum Readme {
    static var text: String {
        get throws {
            let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            return try String(contentsOf: root.appending(path: "README.md"), encoding: .utf8)
        }
    }

    /// The one ```sh block of the section `## title` that contains `marker`, as a script: its lines that only set a
    /// variable (`NAME=value`, not `NAME=value command`) dropped — the test sets those itself, as a reader sets their
    /// own — then `replacements` applied.
    static func script(section title: String, containing marker: String, replacing replacements: [String: String] = [:]) throws -> String {
        let text = try text
        guard let start = text.range(of: "\n## \(title)\n") else { throw ClusterError("README has no section '\(title)'") }
        let section = text[start.upperBound...].components(separatedBy: "\n## ").first ?? ""
        let blocks = section.components(separatedBy: "```sh\n").dropFirst().compactMap { $0.components(separatedBy: "\n```").first }
        let matching = blocks.filter { $0.contains(marker) }
        guard matching.count == 1, let block = matching.first else {
            throw ClusterError("README's '\(title)' has \(matching.count) sh blocks containing '\(marker)', expected 1")
        }
        var script = block.split(separator: "\n").filter { $0.wholeMatch(of: /[A-Z_]+=('[^']*'|"[^"]*"|[^ ]*)/) == nil }.joined(separator: "\n")
        for (text, replacement) in replacements {
            guard script.contains(text) else { throw ClusterError("README's block no longer says '\(text)':\n\(block)") }
            script = script.replacingOccurrences(of: text, with: replacement)
        }
        return script
    }
}

import ArgumentParser
import Foundation

/// Where a scenario keeps its data: a fresh SQLite file in a scratch directory, or an empty PostgreSQL database.
struct BenchDatabaseOptions: ParsableArguments {
    enum Engine: String, ExpressibleByArgument {
        case sqlite, postgres
    }

    @Option(help: "sqlite (a fresh temporary file) or postgres (needs --database-url).")
    var engine = Engine.sqlite

    @Option(help: "postgres://… of an empty database the bench may fill (with --engine postgres).")
    var databaseURL: String?

    func validate() throws {
        if engine == .postgres, databaseURL == nil { throw ValidationError("--engine postgres needs --database-url (an empty database)") }
        if engine == .sqlite, databaseURL != nil { throw ValidationError("--database-url is for --engine postgres; SQLite uses a fresh file") }
    }

    func url(in directory: URL) -> String {
        databaseURL ?? "sqlite://" + directory.appending(path: "bench.sqlite").path
    }

    /// A new directory for the database file and the server's log (the server runs in it, so no stray `.env`).
    static func scratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appending(path: "stockroom-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}

/// A plain-text table with right-aligned numbers.
struct BenchTable {
    let header: [String]
    let rows: [[String]]

    init(_ header: [String], _ rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    func print() {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        Swift.print(line(header))
        Swift.print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        rows.forEach { Swift.print(line($0)) }
    }

    static func number(_ value: Double?) -> String {
        value.map { String(format: "%.1f", $0) } ?? "-"
    }
}

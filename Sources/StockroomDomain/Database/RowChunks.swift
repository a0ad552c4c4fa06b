import SQLKit

extension SQLDatabase {
    /// Runs `head VALUES rows tail` for any number of rows. PostgreSQL: one statement. SQLite: chunks of 32, 16, 8,
    /// 4, 2 and 1 rows (37 rows: 32, 4, 1) — every distinct text is a statement the SQLite connections prepare and
    /// keep (at most 512, then they start over), so a batch's rows take a few statements of at most six texts per
    /// table, not one text per row count.
    func insertRows(_ head: SQLQueryString, _ rows: [SQLQueryString], _ tail: SQLQueryString = "") async throws {
        guard !rows.isEmpty else { return }
        guard dialect.name == "sqlite" else {
            try await raw("\(head) VALUES \(rows.joined(separator: ", "))\(tail)").run()
            return
        }
        var start = 0
        var size = RowChunks.largest
        while start < rows.count {
            while size > rows.count - start { size /= 2 }
            try await raw("\(head) VALUES \(rows[start..<start + size].joined(separator: ", "))\(tail)").run()
            start += size
        }
    }
}

enum RowChunks {
    /// Rows per statement at most: 32 sales of 16 values is 512 binds, far under SQLite's 32,766.
    static let largest = 32
}

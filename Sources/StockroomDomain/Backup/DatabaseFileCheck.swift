import Foundation
import NIOPosix
import SQLKit

/// Whether an SQLite file can stand in for the shop's database: SQLite's own integrity check, Stockroom's tables at
/// a migration this build knows, and the ledger check `stockroom check` runs. A backup is kept, and a restore goes
/// ahead, only when the file passes all three.
public struct DatabaseFileCheck: Sendable {
    /// What the file holds, and what is wrong with it (nothing, when `problems` is empty).
    public struct Summary: Sendable, CustomStringConvertible {
        public var path: String
        public var bytes: Int64
        public var migration: Int
        public var companies: Int
        public var products: Int
        public var sales: Int
        var lastSaleAt: Date?
        /// Integrity and ledger problems, one line each.
        public var problems: [String]

        public var description: String {
            let size = bytes < 1_000_000 ? "\(max(1, bytes / 1000)) kB" : String(format: "%.1f MB", Double(bytes) / 1_000_000)
            let lastSale = lastSaleAt.map { " (last sale \($0.formatted(.iso8601)))" } ?? ""
            return "\(path): \(size), migration \(migration), \(companies) compan\(companies == 1 ? "y" : "ies"), "
                + "\(products) product(s), \(sales) sale(s)\(lastSale)"
        }
    }

    /// The tables the checks read; a file without them is not a Stockroom database.
    private static let requiredTables = ["schema_migrations", "companies", "products", "sales", "stock_levels", "stock_movements"]

    /// Runs the whole check, which reads every page and row of the file, off the tasks: on a thread of the blocking
    /// pool, so a scheduled backup of a big database holds no request thread up. (Tests pass their own, to see
    /// that nothing reads the file after it returns.)
    let blocking: @Sendable (@escaping @Sendable () throws -> Summary) async throws -> Summary

    public init() {
        blocking = { try await NIOThreadPool.singleton.runIfActive($0) }
    }

    init(blocking: @escaping @Sendable (@escaping @Sendable () throws -> Summary) async throws -> Summary) {
        self.blocking = blocking
    }

    /// Reads the whole file at `path`, which must already exist (it is opened read-write, so give it a copy, never a
    /// live database). Throws `notStockroom` or `newerThanBuild` when the file cannot be a Stockroom database for
    /// this build; otherwise answers the summary, whose `problems` say whether it passed.
    public func check(_ path: String) async throws -> Summary {
        try await blocking { try Self.read(path) }
    }

    private static func read(_ path: String) throws -> Summary {
        let connection: SQLiteDirectConnection
        do {
            connection = try SQLiteDirectConnection(path: path, create: false)
        } catch {
            throw BackupError.notStockroom(path: path, reason: "SQLite cannot open it (\(error))")
        }
        defer { connection.close() }
        var problems: [String]
        do {
            let lines = try rows("PRAGMA integrity_check", connection).map {
                (try? $0.decode(column: "integrity_check", as: String.self)) ?? "unreadable integrity report"
            }
            problems = lines == ["ok"] ? [] : lines.map { "SQLite integrity check: \($0)" }
        } catch let error as SQLiteStatementError {
            // Not a database at all (26), or so damaged the check cannot run.
            throw BackupError.notStockroom(path: path, reason: error.message)
        }
        guard problems.isEmpty else {
            return Summary(path: path, bytes: size(path), migration: 0, companies: 0, products: 0, sales: 0, problems: problems)
        }
        let tables = Set(
            try rows("SELECT name FROM sqlite_master WHERE type = 'table'", connection).map { try $0.decode(column: "name", as: String.self) })
        let missing = requiredTables.filter { !tables.contains($0) }
        guard missing.isEmpty else {
            throw BackupError.notStockroom(path: path, reason: "it has no \(missing.joined(separator: ", ")) table")
        }
        let migration = try rows("SELECT MAX(id) AS id FROM schema_migrations", connection).first?.decode(column: "id", as: Int?.self) ?? nil
        guard let migration else { throw BackupError.notStockroom(path: path, reason: "no migration was ever applied to it") }
        let known = Migration.all.map(\.id).max() ?? 0
        guard migration <= known else { throw BackupError.newerThanBuild(path: path, migration: migration, known: known) }
        problems += try rows(LedgerRepository.mismatchQuery, connection).map { "ledger: \(try LedgerRepository.mismatch($0))" }
        // The kept product counts came with migration 12; an older file is brought up to date by the server's start.
        if tables.contains("company_product_counts") {
            problems += try rows(LedgerRepository.countMismatchQuery, connection).map { "product count: \(try LedgerRepository.countMismatch($0))" }
        }
        let sales = try rows("SELECT COUNT(*) AS n, MAX(created_at) AS last FROM sales", connection).first
        return Summary(
            path: path, bytes: size(path), migration: migration,
            companies: try count("companies", connection), products: try count("products", connection),
            sales: try sales?.decode(column: "n", as: Int.self) ?? 0,
            lastSaleAt: try sales?.decode(column: "last", as: Int64?.self).map { Date(unixMilliseconds: $0) },
            problems: problems)
    }

    private static func rows(_ sql: String, _ connection: SQLiteDirectConnection) throws -> [any SQLRow] {
        var rows: [any SQLRow] = []
        try connection.execute(sql, []) { rows.append($0) }
        return rows
    }

    private static func count(_ table: String, _ connection: SQLiteDirectConnection) throws -> Int {
        try rows("SELECT COUNT(*) AS n FROM \(table)", connection).first?.decode(column: "n", as: Int.self) ?? 0
    }

    static func size(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

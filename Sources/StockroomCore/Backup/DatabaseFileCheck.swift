import Foundation
import Logging
import NIOPosix
import SQLiteNIO
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
        public var lastSaleAt: Date?
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

    public init() {}

    /// Reads the whole file at `path`, which must already exist (it is opened read-write, so give it a copy, never a
    /// live database). Throws `notStockroom` or `newerThanBuild` when the file cannot be a Stockroom database for
    /// this build; otherwise answers the summary, whose `problems` say whether it passed.
    public func check(_ path: String) async throws -> Summary {
        let connection: SQLiteDirectConnection
        do {
            connection = try SQLiteDirectConnection(path: path, create: false)
        } catch {
            throw BackupError.notStockroom(path: path, reason: "SQLite cannot open it (\(error))")
        }
        defer { connection.close() }
        // The integrity check reads every page: a thread of the blocking pool, not a task's.
        var problems: [String]
        do {
            problems = try await NIOThreadPool.singleton.runIfActive {
                var lines: [String] = []
                try connection.execute("PRAGMA integrity_check", []) { row in
                    lines.append((try? row.decode(column: "integrity_check", as: String.self)) ?? "unreadable integrity report")
                }
                return lines == ["ok"] ? [] : lines.map { "SQLite integrity check: \($0)" }
            }
        } catch let error as SQLiteStatementError {
            // Not a database at all (26), or so damaged the check cannot run.
            throw BackupError.notStockroom(path: path, reason: error.message)
        }
        guard problems.isEmpty else {
            return Summary(path: path, bytes: Self.size(path), migration: 0, companies: 0, products: 0, sales: 0, problems: problems)
        }
        let db = SQLiteDirectDatabase(
            connection: connection, logger: .init(label: "stockroom.backup"), eventLoop: MultiThreadedEventLoopGroup.singleton.any())
        let tables = Set(try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table'").all(decodingColumn: "name", as: String.self))
        let missing = Self.requiredTables.filter { !tables.contains($0) }
        guard missing.isEmpty else {
            throw BackupError.notStockroom(path: path, reason: "it has no \(missing.joined(separator: ", ")) table")
        }
        let migration = try await db.raw("SELECT MAX(id) AS id FROM schema_migrations").first(decodingColumn: "id", as: Int?.self) ?? nil
        guard let migration else { throw BackupError.notStockroom(path: path, reason: "no migration was ever applied to it") }
        let known = Migration.all.map(\.id).max() ?? 0
        guard migration <= known else { throw BackupError.newerThanBuild(path: path, migration: migration, known: known) }
        problems += try await LedgerCheck().mismatches(db).map { "ledger: \($0)" }
        // The kept product counts came with migration 12; an older file is brought up to date by the server's start.
        if tables.contains("company_product_counts") {
            problems += try await LedgerCheck().countMismatches(db).map { "product count: \($0)" }
        }
        let sales = try await db.raw("SELECT COUNT(*) AS n, MAX(created_at) AS last FROM sales").first()
        return Summary(
            path: path, bytes: Self.size(path), migration: migration,
            companies: try await Self.count("companies", db), products: try await Self.count("products", db),
            sales: try sales?.decode(column: "n", as: Int.self) ?? 0,
            lastSaleAt: try sales?.decode(column: "last", as: Int64?.self).map { Date(unixMilliseconds: $0) },
            problems: problems)
    }

    private static func count(_ table: String, _ db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first(decodingColumn: "n", as: Int.self) ?? 0
    }

    static func size(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

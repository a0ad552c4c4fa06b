import Logging
import SQLKit
import ServiceLifecycle

/// The two engines Stockroom runs on.
public enum DatabaseEngine: String, Sendable {
    case sqlite
    case postgres

    /// How a write transaction starts: SQLite takes the write lock up front so two writers never deadlock
    /// upgrading a read lock; PostgreSQL locks rows as it goes.
    var beginStatement: String {
        switch self {
        case .sqlite: "BEGIN IMMEDIATE"
        case .postgres: "BEGIN"
        }
    }
}

/// The database behind every repository. Both implementations speak SQLKit, so repositories write their SQL once
/// (with `\(bind:)` placeholders that each dialect renders its own way).
///
/// It is a `Service`: `run()` keeps its connections open until graceful shutdown, then closes them.
public protocol DatabaseClient: Service {
    var engine: DatabaseEngine { get }

    /// Live counts of reads and transactions, for `/metrics`.
    var usage: DatabaseUsage { get }

    /// Sessions and API tokens already looked up in this database (`CredentialCache`).
    var credentials: CredentialCache { get }

    /// A number that differs from every mark given before whenever the database may have changed since — any
    /// connection's commit, this server's or another process's. Answers worked out from the database can be kept
    /// under it (`KeptAnswers`). Nil where this server cannot know (PostgreSQL: other nodes write; inside a write).
    func changeMark() async throws -> UInt64?

    /// Runs read-only work on a pooled connection.
    func read<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T

    /// Runs `body` in one transaction on one connection: committed when it returns, rolled back when it throws.
    /// The transaction's after-commit hooks run once the commit has succeeded.
    func withTransaction<T: Sendable>(_ body: (Transaction) async throws -> T) async throws -> T

    /// Runs `body` on one connection while holding the lock that keeps two processes (or two nodes)
    /// from migrating at once. `body` manages its own transactions.
    func withMigrationLock<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T
}

extension DatabaseClient {
    /// Throws unless the database answers a query now (readiness).
    public func checkAnswers() async throws {
        _ = try await read { try await $0.raw("SELECT 1 AS ok").first() }
    }

    /// Runs `body` with this client's connections open, for command-line work outside the server's service group.
    public func whileRunning<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}

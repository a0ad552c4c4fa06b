import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import ServiceLifecycle

/// PostgreSQL through a `PostgresClient` pool; each transaction holds one pooled connection.
public final class PostgresDatabaseClient: DatabaseClient {
    public let engine = DatabaseEngine.postgres
    public let client: PostgresClient
    public let usage: DatabaseUsage
    /// Kept only while this node's event relay listens (`PostgresEventRelay`): other nodes' changes reach it there.
    public let credentials = CredentialCache(trusted: false)
    /// The key of the advisory lock held while migrating ("stockroo" in ASCII), shared by every node.
    static let migrationLockKey: Int64 = 0x7374_6f63_6b72_6f6f

    public init(configuration: PostgresClient.Configuration, logger: Logger) {
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        // Reads and transactions share one pool.
        let size = configuration.options.maximumConnections
        self.usage = DatabaseUsage(poolSize: [.read: size, .transaction: size])
    }

    /// Nil: another node's commit would not be seen here, so nothing is kept on PostgreSQL.
    public func changeMark() async throws -> UInt64? { nil }

    /// A read on a pooled connection; inside a transaction of this client, on its connection (a request never holds
    /// one connection while waiting for a second, which a full pool would never give).
    public func read<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        if let current = Transaction.joinable(by: self) { return try await body(current.db) }
        return try await usage.track(.read) { acquired in
            try await client.withConnection(isolation: #isolation) {
                acquired()
                return try await body($0.sql(queryLogLevel: nil))
            }
        }
    }

    /// A transaction on a pooled connection; inside another of this client's, a savepoint of that one.
    public func withTransaction<T: Sendable>(_ body: (Transaction) async throws -> T) async throws -> T {
        if let current = Transaction.joinable(by: self) { return try await current.nested(body) }
        return try await usage.track(.transaction) { acquired in
            try await client.withConnection(isolation: #isolation) { connection in
                acquired()
                return try await Transaction.run(on: connection.sql(queryLogLevel: nil), engine: .postgres, owner: self, body)
            }
        }
    }

    public func withMigrationLock<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection(isolation: #isolation) { connection in
            let db = connection.sql(queryLogLevel: nil)
            try await db.raw("SELECT pg_advisory_lock(\(bind: Self.migrationLockKey))").run()
            do {
                let result = try await body(db)
                try await db.raw("SELECT pg_advisory_unlock(\(bind: Self.migrationLockKey))").run()
                return result
            } catch {
                try? await db.raw("SELECT pg_advisory_unlock(\(bind: Self.migrationLockKey))").run()
                throw error
            }
        }
    }

    public func run() async throws {
        await client.run()
    }
}

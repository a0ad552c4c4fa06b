import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SQLiteKit
import SQLiteNIO
import SQLKit

/// Embedded SQLite: one writer connection that serialises write transactions, and a few reader connections
/// that WAL lets run beside it.
public final class SQLiteDatabaseClient: DatabaseClient {
    public let engine = DatabaseEngine.sqlite
    public let path: String
    private let writer: AsyncResourcePool<SQLiteConnection>
    private let readers: AsyncResourcePool<SQLiteConnection>
    public let usage: DatabaseUsage

    /// Opens (creating when missing) the database file at `path`.
    public static func open(path: String, readers readerCount: Int = 4, logger: Logger) async throws -> SQLiteDatabaseClient {
        let writer = try await openConnection(path: path, logger: logger)
        // WAL is a property of the file; set it once through the writer before any reader opens.
        try await writer.sql().raw("PRAGMA journal_mode = WAL").run()
        var readers: [SQLiteConnection] = []
        for _ in 0..<max(1, readerCount) {
            let reader = try await openConnection(path: path, logger: logger)
            // A reader that tried to write would take the write lock behind the writer's back.
            try await reader.sql().raw("PRAGMA query_only = ON").run()
            readers.append(reader)
        }
        return SQLiteDatabaseClient(path: path, writer: writer, readers: readers)
    }

    private init(path: String, writer: SQLiteConnection, readers: [SQLiteConnection]) {
        self.path = path
        self.writer = AsyncResourcePool([writer])
        self.readers = AsyncResourcePool(readers)
        self.usage = DatabaseUsage(poolSize: [.read: readers.count, .transaction: 1])
    }

    private static func openConnection(path: String, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: .singleton, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        let db = connection.sql(queryLogLevel: nil)
        // busy_timeout replaces sqlite-nio's default busy handler, which spins a thread without sleeping.
        try await db.raw("PRAGMA busy_timeout = 10000").run()
        try await db.raw("PRAGMA foreign_keys = ON").run()
        // FULL: an acknowledged sale survives power loss, not only a crash of the process.
        try await db.raw("PRAGMA synchronous = FULL").run()
        return connection
    }

    public func read<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await usage.track(.read) { acquired in
            try await readers.withResource {
                acquired()
                return try await body($0.sql(queryLogLevel: nil))
            }
        }
    }

    public func withTransaction<T: Sendable>(_ body: (Transaction) async throws -> T) async throws -> T {
        try await usage.track(.transaction) { acquired in
            try await writer.withResource { connection in
                acquired()
                return try await Transaction.run(on: connection.sql(queryLogLevel: nil), engine: .sqlite, body)
            }
        }
    }

    /// The writer is exclusive within this process, and every migration starts with BEGIN IMMEDIATE,
    /// which excludes other processes on the same file.
    public func withMigrationLock<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await writer.withResource { try await body($0.sql(queryLogLevel: nil)) }
    }

    public func run() async throws {
        // Nothing to drive: the connections stay open until shutdown, then close.
        try? await gracefulShutdown()
        await close()
    }

    func close() async {
        // The future-based close does not check for cancellation, and `run()` ends by being cancelled.
        for connection in writer.all + readers.all {
            try? await connection.close().get()
        }
    }
}

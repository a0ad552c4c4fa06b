import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SQLiteKit
import SQLiteNIO
import SQLKit

/// Embedded SQLite: one writer that commits waiting writes together (`GroupCommit`), driven directly on the
/// writing task (`SQLiteWriterConnection`), and a few reader connections (SQLiteNIO's) that WAL lets run beside it.
public final class SQLiteDatabaseClient: DatabaseClient {
    public let engine = DatabaseEngine.sqlite
    public let path: String
    private let writer: GroupCommit
    private let readers: AsyncResourcePool<SQLiteConnection>
    public let usage: DatabaseUsage

    /// Opens (creating when missing) the database file at `path`.
    public static func open(path: String, readers readerCount: Int = 4, logger: Logger) async throws -> SQLiteDatabaseClient {
        let connection = try SQLiteWriterConnection(path: path)
        let writer = SQLiteWriterDatabase(connection: connection, logger: logger, eventLoop: MultiThreadedEventLoopGroup.singleton.any())
        do {
            // WAL is a property of the file; set it once through the writer before any reader opens.
            try await writer.raw("PRAGMA journal_mode = WAL").run()
            try await writer.raw("PRAGMA foreign_keys = ON").run()
            // FULL: an acknowledged sale survives power loss, not only a crash of the process.
            try await writer.raw("PRAGMA synchronous = FULL").run()
            // Each write's savepoint keeps the pages it changes in a sub-journal until it is released: in memory,
            // not a temporary file (written to the file, it was 11 % of a checkout's server CPU).
            try await writer.raw("PRAGMA temp_store = MEMORY").run()
        } catch {
            connection.close()
            throw error
        }
        var readers: [SQLiteConnection] = []
        for _ in 0..<max(1, readerCount) {
            let reader = try await openConnection(path: path, logger: logger)
            // A reader that tried to write would take the write lock behind the writer's back.
            try await reader.sql().raw("PRAGMA query_only = ON").run()
            readers.append(reader)
        }
        return SQLiteDatabaseClient(path: path, writer: GroupCommit(db: writer), readers: readers)
    }

    private init(path: String, writer: GroupCommit, readers: [SQLiteConnection]) {
        self.path = path
        self.writer = writer
        self.readers = AsyncResourcePool(readers)
        self.usage = DatabaseUsage(poolSize: [.read: readers.count, .transaction: 1])
    }

    private static func openConnection(path: String, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: .singleton, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        // busy_timeout replaces sqlite-nio's default busy handler, which spins a thread without sleeping.
        try await connection.sql(queryLogLevel: nil).raw("PRAGMA busy_timeout = 10000").run()
        return connection
    }

    /// A read on a reader connection; inside a write of this client, on the writer (it sees the write's own rows and
    /// holds nothing more).
    public func read<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        if let current = Transaction.joinable(by: self) { return try await body(current.db) }
        return try await usage.track(.read) { acquired in
            try await readers.withResource {
                acquired()
                return try await body($0.sql(queryLogLevel: nil))
            }
        }
    }

    /// One write of a group (`GroupCommit`): its own savepoint, answered once the group's COMMIT is on disk. Inside
    /// another write of this client, a savepoint of that one.
    public func withTransaction<T: Sendable>(_ body: (Transaction) async throws -> T) async throws -> T {
        if let current = Transaction.joinable(by: self) { return try await current.nested(body) }
        return try await usage.track(.transaction) { acquired in
            try await writer.write(owner: self, acquired: acquired, body)
        }
    }

    /// The writer is exclusive within this process (no group open), and every migration starts with BEGIN
    /// IMMEDIATE, which excludes other processes on the same file.
    public func withMigrationLock<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await writer.alone { try await body($0) }
    }

    /// Writes (and closes) waiting for the writer now.
    var writerQueueLength: Int { writer.waitingCount }

    /// Writes and COMMITs since the start (the mean group size is their ratio).
    var groupCommitCounts: (writes: Int, commits: Int) { writer.counts }

    public func run() async throws {
        // Nothing to drive: the connections stay open until shutdown, then close.
        try? await gracefulShutdown()
        await close()
    }

    func close() async {
        // The future-based close does not check for cancellation, and `run()` ends by being cancelled.
        // Writes already waiting are committed and answered first.
        await writer.close()
        for connection in readers.all {
            try? await connection.close().get()
        }
    }
}

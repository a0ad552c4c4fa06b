import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import ServiceLifecycle
import Synchronization

/// Embedded SQLite: one writer that commits waiting writes together (`GroupCommit`) and a few readers that WAL lets
/// run beside it, all driven directly on the task that uses them (`SQLiteDirectConnection`).
public final class SQLiteDatabaseClient: DatabaseClient {
    public let engine = DatabaseEngine.sqlite
    public let path: String
    private let writer: GroupCommit
    private let checkpointer: WALCheckpointer
    private let readers: AsyncResourcePool<SQLiteDirectDatabase>
    public let usage: DatabaseUsage
    /// One server owns the file: whatever changes a credential goes through its writer, which forgets them
    /// (`SQLiteDirectConnection.forgetCredentials`), so entries can be kept from the start.
    public let credentials: CredentialCache
    /// Bumped whenever a reader finds that a commit happened since it last asked (`changeMark`).
    private let changes = Mutex<UInt64>(0)
    /// Held while the client is open, so `stockroom restore` never swaps the file under a server or a command using it.
    private let hold: ServingLock

    /// Opens (creating when missing) the database file at `path`; throws `BackupError.restoreUnderway` while a restore
    /// replaces it.
    public static func open(path: String, readers readerCount: Int = 4, logger: Logger) async throws -> SQLiteDatabaseClient {
        // Taken before the file is opened: a restore that began first is never raced.
        let hold = try ServingLock.serving(path)
        let connection: SQLiteDirectConnection
        do {
            connection = try SQLiteDirectConnection(path: path)
        } catch {
            hold.release()
            throw error
        }
        let credentials = CredentialCache(trusted: true)
        // (the client holds the cache for as long as the connection lives)
        connection.forgetCredentials(on: credentials)
        let writer = SQLiteDirectDatabase(connection: connection, logger: logger, eventLoop: MultiThreadedEventLoopGroup.singleton.any())
        var readers: [SQLiteDirectDatabase] = []
        do {
            // WAL is a property of the file; set it once through the writer before any reader opens.
            try await writer.raw("PRAGMA journal_mode = WAL").run()
            try await writer.raw("PRAGMA foreign_keys = ON").run()
            // FULL: an acknowledged sale survives power loss, not only a crash of the process.
            try await writer.raw("PRAGMA synchronous = FULL").run()
            // Each write's savepoint keeps the pages it changes in a sub-journal until it is released: in memory,
            // not a temporary file (written to the file, it was 11 % of a checkout's server CPU).
            try await writer.raw("PRAGMA temp_store = MEMORY").run()
            // Checkpoints are made beside the writer, not by its COMMITs (`WALCheckpointer`); the writer's own only
            // past a backstop.
            try await writer.raw("PRAGMA wal_autocheckpoint = \(unsafeRaw: String(WALCheckpointer.writerBackstop))").run()
            for _ in 0..<max(1, readerCount) {
                let reader = try SQLiteDirectConnection(path: path, readOnly: true)
                readers.append(SQLiteDirectDatabase(connection: reader, logger: logger, eventLoop: writer.eventLoop))
            }
        } catch {
            connection.close()
            for reader in readers { reader.connection.close() }
            hold.release()
            throw error
        }
        let group = GroupCommit(db: writer)
        let checkpointer: WALCheckpointer
        do {
            checkpointer = try WALCheckpointer(path: path, logger: logger)
        } catch {
            connection.close()
            for reader in readers { reader.connection.close() }
            hold.release()
            throw error
        }
        return SQLiteDatabaseClient(path: path, writer: group, readers: readers, checkpointer: checkpointer, credentials: credentials, hold: hold)
    }

    private init(
        path: String, writer: GroupCommit, readers: [SQLiteDirectDatabase], checkpointer: WALCheckpointer, credentials: CredentialCache,
        hold: ServingLock
    ) {
        self.checkpointer = checkpointer
        self.hold = hold
        self.credentials = credentials
        self.path = path
        self.writer = writer
        self.readers = AsyncResourcePool(readers)
        self.usage = DatabaseUsage(poolSize: [.read: readers.count, .transaction: 1])
    }

    /// A read on a reader connection; inside a write of this client, on the writer (it sees the write's own rows and
    /// holds nothing more).
    public func read<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        if let current = Transaction.joinable(by: self) { return try await body(current.db) }
        return try await usage.track(.read) { acquired in
            try await readers.withResource {
                acquired()
                return try await body($0)
            }
        }
    }

    /// Each reader asks SQLite whether another connection committed since that reader last asked (the writer's
    /// commits and other processes' alike); any yes moves the mark. A commit after an answer was worked out is
    /// seen by the next reader asked, whichever it is: that reader either asked before the commit (and sees it now)
    /// or asked after it (and moved the mark then).
    public func changeMark() async throws -> UInt64? {
        if Transaction.joinable(by: self) != nil { return nil }
        return try await readers.withResource { reader in
            let committed = try reader.connection.committedSinceAsked()
            return changes.withLock { mark in
                if committed { mark &+= 1 }
                return mark
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
        checkpointer.close()
        // Each reader is closed once no read holds it; a read after this fails ("the connection is closed").
        await readers.withAll { for reader in $0 { reader.connection.close() } }
        hold.release()
    }
}

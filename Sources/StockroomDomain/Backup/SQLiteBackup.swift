import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import SQLiteNIO

/// A consistent copy of a live SQLite database, taken while the shop keeps selling: `VACUUM INTO` on a connection
/// of its own reads one snapshot (a WAL read transaction, which never holds the writer up) and writes it compacted
/// into a hidden file beside the target. The copy is checked (`DatabaseFileCheck`), flushed, and only then given its
/// name, so a backup file that exists is whole and verified. Every sale whose answer came before the backup began is
/// in it: a sale is answered after its COMMIT, and the snapshot starts after that.
public struct SQLiteBackup: Sendable {
    public let source: String

    public init(source: String) {
        self.source = source
    }

    /// Writes the verified copy to `destination` (replacing a file there only when `replacing`) and answers what it
    /// holds. Throws, leaving nothing behind, when the copy fails its checks.
    public func write(to destination: String, replacing: Bool = false) async throws -> DatabaseFileCheck.Summary {
        guard FileManager.default.fileExists(atPath: source) else { throw BackupError.noDatabase(path: source) }
        // Renamed over the live file, a backup would leave the server writing to a file no name leads to.
        let live = ServingLock.resolved(source)
        if [live, live + "-wal", live + "-shm", live + "-journal"].contains(ServingLock.resolved(destination)) {
            throw BackupError.isTheDatabase(path: destination)
        }
        if !replacing, FileManager.default.fileExists(atPath: destination) { throw BackupError.exists(path: destination) }
        // A restore never swaps the file away mid-copy (inside the server, its own hold is already there).
        let hold = try ServingLock.serving(source)
        defer { hold.release() }
        // What a backup killed mid-copy left here (older than an hour: a younger one may be another backup's, now).
        DurableFiles.removeAbandoned(in: DurableFiles.directory(of: destination), purpose: "partial")
        let temporary = DurableFiles.temporaryName(beside: destination, purpose: "partial")
        do {
            try await snapshot(into: temporary)
            var summary = try await DatabaseFileCheck().check(temporary)
            guard summary.problems.isEmpty else { throw BackupError.failedChecks(summary) }
            // SQLite does not flush what VACUUM INTO writes.
            try DurableFiles.sync(temporary)
            try DurableFiles.publish(temporary, as: destination, replacing: replacing)
            summary.path = destination
            return summary
        } catch {
            DatabaseCopy.remove(temporary)
            // The copy's faults are the live database's: name that.
            throw (error as? BackupError)?.naming(source) ?? error
        }
    }

    /// `VACUUM INTO` on a blocking-pool thread; a cancelled task (a server shutting down) interrupts it.
    private func snapshot(into path: String) async throws {
        let connection = try SQLiteDirectConnection(path: source, create: false)
        let open = NIOLockedValueBox(true)
        defer {
            open.withLockedValue {
                $0 = false
                connection.close()
            }
        }
        try await withTaskCancellationHandler {
            try await NIOThreadPool.singleton.runIfActive {
                try connection.execute("VACUUM INTO ?", [.text(path)]) { _ in }
                // A standalone file: no -wal beside it to lose when it is copied or moved.
                let copy = try SQLiteDirectConnection(path: path, create: false)
                defer { copy.close() }
                try copy.execute("PRAGMA journal_mode = DELETE", []) { _ in }
            }
        } onCancel: {
            open.withLockedValue { if $0 { connection.interrupt() } }
        }
    }
}

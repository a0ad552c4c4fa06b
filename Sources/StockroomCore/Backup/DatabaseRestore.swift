import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Puts a backup in the place of the shop's SQLite database, with no server running on it: the backup is copied
/// beside the database and checked there (`DatabaseFileCheck`, so what is checked is what goes live), the database
/// it replaces is kept as `NAME.before-restore-<UTC time>`, and the copy takes the database's name in one rename.
public struct DatabaseRestore: Sendable {
    /// What a restore did.
    public struct Outcome: Sendable {
        /// What the restored database holds.
        public var restored: DatabaseFileCheck.Summary
        /// Where the replaced database went (nil when there was none).
        public var keptPrevious: String?
    }

    public let target: String

    public init(target: String) {
        self.target = target
    }

    public func restore(from backup: String, now: Date = .now) async throws -> Outcome {
        guard FileManager.default.fileExists(atPath: backup) else { throw BackupError.noDatabase(path: backup) }
        // A fresh machine: the database's directory may not be there yet.
        try FileManager.default.createDirectory(atPath: DurableFiles.directory(of: target), withIntermediateDirectories: true)
        let lock = try ServingLock.restoring(target)
        defer { lock.release() }
        let copy = DurableFiles.temporaryName(beside: target, purpose: "restoring")
        do {
            try FileManager.default.copyItem(atPath: backup, toPath: copy)
            var summary = try await DatabaseFileCheck().check(copy)
            guard summary.problems.isEmpty else { throw BackupError.failedChecks(summary) }
            try DurableFiles.sync(copy)
            let kept = try setAside(now: now)
            // No -wal or -shm of the old database is left for SQLite to apply to the new one.
            try DurableFiles.publish(copy, as: target, replacing: true)
            summary.path = target
            return Outcome(restored: summary, keptPrevious: kept)
        } catch {
            try? FileManager.default.removeItem(atPath: copy)
            throw (error as? BackupError)?.naming(backup) ?? error
        }
    }

    /// Keeps the database being replaced, with whatever its WAL still held (a server killed with SIGKILL leaves
    /// committed sales there), under a name of its own, and clears its -wal and -shm from beside the target.
    private func setAside(now: Date) throws -> String? {
        let files = FileManager.default
        guard files.fileExists(atPath: target) else {
            for suffix in ["-wal", "-shm", "-journal"] { try? files.removeItem(atPath: target + suffix) }
            return nil
        }
        // Folding the WAL into the file first keeps the old database one file; when that fails (a damaged database,
        // the usual reason to restore) its -wal goes with it instead.
        if let connection = try? SQLiteDirectConnection(path: target, create: false) {
            try? connection.execute("PRAGMA wal_checkpoint(TRUNCATE)", []) { _ in }
            connection.close()
        }
        let kept = target + ".before-restore-" + BackupFolder.timestamp(now)
        guard link(target, kept) == 0 || (try? files.copyItem(atPath: target, toPath: kept)) != nil else {
            throw DurableFiles.failure("keep", kept)
        }
        for suffix in ["-wal", "-journal"] where files.fileExists(atPath: target + suffix) {
            if DatabaseFileCheck.size(target + suffix) > 0 {
                try files.moveItem(atPath: target + suffix, toPath: kept + suffix)
            } else {
                try files.removeItem(atPath: target + suffix)
            }
        }
        try? files.removeItem(atPath: target + "-shm")
        return kept
    }
}

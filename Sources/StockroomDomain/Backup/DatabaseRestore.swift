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
        // The file a symbolic link leads to is the one replaced; renamed over the link, the copy would take its place.
        let target = ServingLock.resolved(target)
        // A fresh machine: the database's directory may not be there yet.
        try FileManager.default.createDirectory(atPath: DurableFiles.directory(of: target), withIntermediateDirectories: true)
        let lock = try ServingLock.restoring(target)
        defer { lock.release() }
        // Under the lock no other restore runs: any working copy beside the database was left by one that was killed.
        let name = URL(filePath: target).lastPathComponent
        DurableFiles.removeAbandoned(in: DurableFiles.directory(of: target), named: name + ".", purpose: "restoring", olderThan: 0, now: now)
        let copy = DurableFiles.temporaryName(beside: target, purpose: "restoring")
        do {
            try DatabaseCopy.make(of: backup, at: copy)
            var summary = try await DatabaseFileCheck().check(copy)
            guard summary.problems.isEmpty else { throw BackupError.failedChecks(summary) }
            try DurableFiles.sync(copy)
            let kept = try setAside(target, now: now)
            // No -wal or -shm of the old database is left for SQLite to apply to the new one.
            try DurableFiles.publish(copy, as: target, replacing: true)
            summary.path = target
            return Outcome(restored: summary, keptPrevious: kept)
        } catch {
            DatabaseCopy.remove(copy)
            throw (error as? BackupError)?.naming(backup) ?? error
        }
    }

    /// Keeps the database being replaced, with whatever its WAL still held (a server killed with SIGKILL leaves
    /// committed sales there), under a name of its own, and clears its -wal and -shm from beside the target.
    private func setAside(_ target: String, now: Date) throws -> String? {
        let files = FileManager.default
        guard files.fileExists(atPath: target) else {
            for suffix in ["-wal", "-shm", "-journal"] { try? files.removeItem(atPath: target + suffix) }
            return nil
        }
        // Folding the WAL into the file first keeps the old database one file; when that fails (a damaged database,
        // the usual reason to restore) its -wal goes with it instead. A program reading it (no Stockroom: they hold
        // the lock) keeps the checkpoint from finishing, and would go on reading a file no name leads to.
        if let connection = try? SQLiteDirectConnection(path: target, create: false) {
            defer { connection.close() }
            var busy = false
            try? connection.execute("PRAGMA wal_checkpoint(TRUNCATE)", []) { row in
                busy = ((try? row.decode(column: "busy", as: Int.self)) ?? 0) != 0
            }
            if busy { throw BackupError.databaseBusy(path: target) }
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

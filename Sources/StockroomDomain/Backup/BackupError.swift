import Foundation

/// Why a backup or a restore did not happen, in words an operator can act on.
public enum BackupError: Error, CustomStringConvertible, Sendable {
    /// The configured database is PostgreSQL, which has its own tools (README, "Back up and restore").
    case postgres
    case noDatabase(path: String)
    case exists(path: String)
    /// The backup would land on the live database (or its -wal or -shm).
    case isTheDatabase(path: String)
    /// The file is not an SQLite database, or not a Stockroom one.
    case notStockroom(path: String, reason: String)
    case newerThanBuild(path: String, migration: Int, known: Int)
    /// The copy was read in full but failed its checks; nothing was written or replaced.
    case failedChecks(DatabaseFileCheck.Summary)
    case serverRunning(path: String, lockFile: String)
    case restoreUnderway(path: String, lockFile: String)
    /// Another program (not Stockroom: it would hold the lock) is reading or writing the database.
    case databaseBusy(path: String)
    case fileSystem(String)

    /// True for the guards that refuse before anything is read or written (CLI exit status 2).
    public var isRefusal: Bool {
        switch self {
        case .postgres, .exists, .isTheDatabase, .serverRunning, .restoreUnderway, .databaseBusy: true
        default: false
        }
    }

    /// The same error about `path`: a check of a working copy reports on the file the copy was made from.
    func naming(_ path: String) -> BackupError {
        switch self {
        case .notStockroom(_, let reason): return .notStockroom(path: path, reason: reason)
        case .newerThanBuild(_, let migration, let known): return .newerThanBuild(path: path, migration: migration, known: known)
        case .failedChecks(var summary):
            summary.path = path
            return .failedChecks(summary)
        default: return self
        }
    }

    public var description: String {
        switch self {
        case .postgres:
            "STOCKROOM_DATABASE_URL is a PostgreSQL database: back it up with pg_dump and restore it with pg_restore, "
                + "then run `stockroom check` (README, \"Back up and restore\", gives the commands)."
        case .noDatabase(let path): "There is no database at \(path)."
        case .exists(let path): "\(path) already exists; choose another name, or pass --force to replace it."
        case .isTheDatabase(let path): "\(path) is the live database itself; write the backup to another file."
        case .notStockroom(let path, let reason): "\(path) is not a sound Stockroom database: \(reason)."
        case .newerThanBuild(let path, let migration, let known):
            "\(path) is at migration \(migration) but this Stockroom knows only up to \(known); use a newer Stockroom."
        case .failedChecks(let summary):
            "\(summary.path) failed its checks:\n" + summary.problems.prefix(20).map { "  ✘ \($0)" }.joined(separator: "\n")
        case .serverRunning(let path, let lockFile):
            "A Stockroom server is using \(path), or another stockroom command (they hold \(lockFile)); stop it first, then restore again."
        case .restoreUnderway(let path, let lockFile):
            "A restore is replacing \(path) right now (it holds \(lockFile)); try again once it has finished."
        case .databaseBusy(let path):
            "Another program has \(path) open (its WAL could not be folded in); close it, then restore again."
        case .fileSystem(let message): message
        }
    }
}

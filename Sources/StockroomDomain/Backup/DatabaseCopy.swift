import Foundation

/// A copy of an SQLite file to check or restore, with what it still holds beside it: the `-wal` of a database set
/// aside by a restore (`NAME.before-restore-…-wal`) has committed sales the main file lacks, and a `-journal` an
/// unfinished write to undo. Both are copied along and applied, so the copy is one file in rollback mode, whole.
enum DatabaseCopy {
    static func make(of source: String, at copy: String) throws {
        let files = FileManager.default
        try files.copyItem(atPath: source, toPath: copy)
        for suffix in ["-wal", "-journal"] where files.fileExists(atPath: source + suffix) {
            try files.copyItem(atPath: source + suffix, toPath: copy + suffix)
        }
        do {
            let connection = try SQLiteDirectConnection(path: copy, create: false)
            defer { connection.close() }
            // Reading rolls a hot journal back; the checkpoint folds the WAL in; DELETE mode leaves no -wal to lose.
            try connection.execute("SELECT COUNT(*) FROM sqlite_master", []) { _ in }
            try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)", []) { _ in }
            try connection.execute("PRAGMA journal_mode = DELETE", []) { _ in }
        } catch let error as SQLiteStatementError {
            throw BackupError.notStockroom(path: copy, reason: error.message)
        }
    }

    /// Removes the copy and whatever SQLite or `make` put beside it.
    static func remove(_ copy: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
    }
}

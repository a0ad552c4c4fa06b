import ArgumentParser
import Foundation
import StockroomCore

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the SQLite database with a backup, once the backup passes its checks.",
        discussion: """
            Refuses while a server or another stockroom command uses the database. The backup (with a -wal beside it \
            applied to the copy) is checked (SQLite's integrity check, Stockroom's \
            schema at a migration this build knows, the ledger check) before anything is replaced; the replaced \
            database is kept as NAME.before-restore-<UTC time>. Exit status 1 when the backup fails its checks, 2 when \
            a server or command is using the database or the database is PostgreSQL (use pg_restore; see README).
            """)

    @Argument(help: "The backup file (written by `stockroom backup` or a scheduled backup).")
    var file: String

    func run() async throws {
        let config = try loadConfig()
        try await reportingBackupErrors {
            guard case .sqlite(let path) = config.database else { throw BackupError.postgres }
            print("Checking \(file) …")
            let outcome = try await DatabaseRestore(target: path).restore(from: file)
            print("✔ Restored \(file) as \(outcome.restored)")
            print("✔ SQLite integrity check ok; every stock level matches its ledger, every product count its products.")
            if let kept = outcome.keptPrevious {
                print("  The database it replaced is kept as \(kept).")
            }
            print("Start the server again (`stockroom serve`).")
        }
    }
}

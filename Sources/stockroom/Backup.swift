import ArgumentParser
import Foundation
import StockroomCore

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a verified copy of the SQLite database while the shop keeps selling.",
        discussion: """
            The copy is one consistent snapshot, checked (SQLite's integrity check and the ledger check) before it gets \
            its name. Exit status 1 when the copy fails its checks or cannot be written, 2 when FILE exists (without \
            --force) or the database is PostgreSQL (use pg_dump; see README).
            """)

    @Argument(help: "The file to write (in an existing directory: a timestamped file there).")
    var file: String

    @Flag(help: "Replace FILE when it exists.")
    var force = false

    func run() async throws {
        let config = try loadConfig()
        try await reportingBackupErrors {
            guard case .sqlite(let path) = config.database else { throw BackupError.postgres }
            var isDirectory: ObjCBool = false
            let destination =
                FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) && isDirectory.boolValue
                ? BackupFolder(directory: file, database: path).path(at: .now) : file
            print("Backing up \(path) to \(destination) …")
            let summary = try await SQLiteBackup(source: path).write(to: destination, replacing: force)
            print("✔ Wrote \(summary)")
            print("✔ SQLite integrity check ok; every stock level matches its ledger, every product count its products.")
        }
    }
}

import ChildProcesses
import Foundation
import Logging
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Scheduled backups")
struct ScheduledBackupTests {
    @Test(
        "a server with STOCKROOM_BACKUP_DIR backs up at start when the newest backup is older than the interval and again after it, each verified, keeping the newest and leaving other files alone"
    )
    func scheduledBackups() async throws {
        // setup: two old backups (by name), and files that are not backups of this database
        let work = try BackupRestoreTests.directory("scheduled")
        let backups = work.appending(path: "backups")
        try FileManager.default.createDirectory(at: backups, withIntermediateDirectories: true)
        let folder = BackupFolder(directory: backups.path, database: work.appending(path: "shop.sqlite").path)
        let old = [Date(timeIntervalSince1970: 1_577_836_800), Date(timeIntervalSince1970: 1_577_923_200)].map { folder.path(at: $0) }
        // (the last two: another database's backups, and ones named before backups carried their database's tag)
        let strangers = [
            "shop-notes.txt", "shop-latest.sqlite", "other-20200101T000000Z.sqlite", "shop-0badcafe-20200101T000000Z.sqlite",
            "shop-20200101T000000Z.sqlite",
        ]
        for path in old + strangers.map({ backups.appending(path: $0).path }) {
            try Data("old".utf8).write(to: URL(filePath: path))
        }
        let started = Date.now.addingTimeInterval(-1)
        // 0.01 hours: every 36 seconds
        let node = try await StockroomNode.startReady(
            name: "scheduled",
            environment: BackupRestoreTests.environment(
                "sqlite://" + work.appending(path: "shop.sqlite").path,
                ["STOCKROOM_BACKUP_DIR": backups.path, "STOCKROOM_BACKUP_EVERY_HOURS": "0.01", "STOCKROOM_BACKUP_KEEP": "2"]))
        do {
            // act + check: the first backup, due at start
            let first = try await Self.waitForBackups(folder, since: started, count: 1, keep: 2)
            #expect(
                try folder.backups().map { URL(filePath: $0.path).lastPathComponent } == [
                    URL(filePath: old[1]).lastPathComponent, first[0].lastPathComponent,
                ],
                "the oldest was pruned once the new one stood")

            // act + check: a sale, then the next backup, one interval later, holds it
            let owner = try await node.signIn("admin", TestDatabase.ownerPassword)
            let product = try await BackupRestoreTests.createProduct(node, owner: owner)
            _ = try await BackupRestoreTests.sell(node, owner: owner, product: product, quantity: 2)
            // names have whole seconds: one named after the next whole second was taken after the sale
            let sold = Date(timeIntervalSince1970: Date.now.timeIntervalSince1970.rounded(.up))
            let newest = try await Self.waitForBackups(folder, since: sold, count: 1, keep: 2).last!
            let summary = try await RestoreGuardTests.check(copyOf: newest.path)
            #expect(summary.problems.isEmpty && summary.sales == 1 && summary.products == 1, "\(summary)")
            let kept = try folder.backups()
            #expect(kept.count == 2 && kept.allSatisfy { $0.takenAt >= started }, "both old backups pruned: \(kept)")
            for name in strangers { #expect(RestoreGuardTests.exists(backups, name), "\(name) is not a backup of shop.sqlite and stays") }
            #expect(try RestoreGuardTests.names(in: backups).filter { $0.hasPrefix(".") }.isEmpty, "no partial copy is left")
            #expect(!node.process.output.contains("Scheduled backup failed"), "every scheduled backup stood:\n\([node].logs)")
            #expect(await node.process.terminate() == 0, "\([node].logs)")
            try? FileManager.default.removeItem(at: work)
            try? FileManager.default.removeItem(at: node.directory)
        } catch {
            await node.process.terminate()
            print([node].logs)
            throw error
        }
    }

    @Test("backup settings are checked at start: the interval's range, the count kept, a schedule needs a directory; PostgreSQL ignores it")
    func settings() throws {
        let database = ["STOCKROOM_DATABASE_URL": "sqlite:///tmp/x.sqlite"]
        let good = try AppConfig(values: database.merging(["STOCKROOM_BACKUP_DIR": "/tmp/b", "STOCKROOM_BACKUP_EVERY_HOURS": "0.5"]) { $1 })
        #expect(good.backupInterval == .seconds(1800) && good.backupKeep == 7 && good.backupDirectory == "/tmp/b")
        #expect(try AppConfig(values: database).backupDirectory == nil)
        #expect(good.scheduledBackups(logger: Logger(label: "test")) != nil)
        // PostgreSQL has pg_dump: the setting is ignored there (with a warning), not half done
        let postgres = try AppConfig(values: ["STOCKROOM_DATABASE_URL": "postgres://stockroom@127.0.0.1/shop", "STOCKROOM_BACKUP_DIR": "/tmp/b"])
        #expect(postgres.scheduledBackups(logger: Logger(label: "test")) == nil)
        let bad: [[String: String]] = [
            ["STOCKROOM_BACKUP_DIR": "/tmp/b", "STOCKROOM_BACKUP_EVERY_HOURS": "0"],
            ["STOCKROOM_BACKUP_DIR": "/tmp/b", "STOCKROOM_BACKUP_EVERY_HOURS": "0.001"],
            ["STOCKROOM_BACKUP_DIR": "/tmp/b", "STOCKROOM_BACKUP_EVERY_HOURS": "721"],
            ["STOCKROOM_BACKUP_DIR": "/tmp/b", "STOCKROOM_BACKUP_EVERY_HOURS": "nan"],
            ["STOCKROOM_BACKUP_DIR": "/tmp/b", "STOCKROOM_BACKUP_EVERY_HOURS": "daily"],
            ["STOCKROOM_BACKUP_DIR": "/tmp/b", "STOCKROOM_BACKUP_KEEP": "0"],
            ["STOCKROOM_BACKUP_EVERY_HOURS": "6"],
            ["STOCKROOM_BACKUP_KEEP": "3"],
        ]
        for values in bad {
            #expect(throws: ConfigError.self, "\(values)") { try AppConfig(values: database.merging(values) { $1 }) }
        }
    }

    /// The backups taken since `since`, once there are `count` of them and the folder was pruned to `keep` (throws
    /// after three minutes).
    static func waitForBackups(_ folder: BackupFolder, since: Date, count: Int, keep: Int) async throws -> [URL] {
        let deadline = ContinuousClock.now + .seconds(180)
        while true {
            let all = try folder.backups()
            let taken = all.filter { $0.takenAt >= since }.map { URL(filePath: $0.path) }
            if taken.count >= count && all.count <= keep { return taken }
            guard ContinuousClock.now < deadline else { throw ClusterError("\(taken.count) of \(count) scheduled backups after 180 s") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}

import ChildProcesses
import Foundation
import Logging
import Testing

@testable import StockroomCore
@testable import StockroomDomain

extension ScheduledBackupTests {
    @Test("a backup named after a time still to come neither puts the schedule off nor gets the new backups pruned")
    func backupFromTheFuture() async throws {
        // setup: a migrated database, and a backup of it dated 2099 (the clock was wrong, or it was copied in)
        let work = try BackupRestoreTests.directory("scheduled-future")
        let database = try await Self.migratedDatabase(in: work, "shop")
        let folder = BackupFolder(directory: work.appending(path: "backups").path, database: database)
        try FileManager.default.createDirectory(atPath: folder.directory, withIntermediateDirectories: true)
        let future = folder.path(at: try #require(BackupFolder.date("20991231T000000Z")))
        try Data("from the future".utf8).write(to: URL(filePath: future))
        let schedule = ScheduledBackups(
            database: database, directory: folder.directory, interval: .seconds(3600), keep: 1, logger: Logger(label: "test"))
        let now = Date.now

        // check: due at once, as if the directory were empty
        #expect(try schedule.dueIn(now: now) <= .zero)
        #expect(try folder.fromTheFuture(now: now) == [future])

        // act: three backups, one second apart, keeping one
        var written: [String] = []
        for second in 0..<3 {
            let at = now.addingTimeInterval(Double(second))
            #expect(await schedule.backUp(now: at))
            written.append(folder.path(at: at))
        }

        // check: the newest stands, the older ones were pruned, the future one is left alone; the next is an interval away
        #expect(try folder.backups().map(\.path) == [written[2], future])
        #expect(try schedule.dueIn(now: now.addingTimeInterval(2)) > .seconds(3500))
        try? FileManager.default.removeItem(at: work)
    }

    @Test("two shops whose databases share a file name and one backup directory keep and prune only their own backups")
    func sharedDirectory() async throws {
        // setup: two databases called shop.sqlite, one backup directory
        let work = try BackupRestoreTests.directory("scheduled-shared")
        let directory = work.appending(path: "backups").path
        let first = try await Self.migratedDatabase(in: work, "first")
        let second = try await Self.migratedDatabase(in: work, "second")
        let schedules = [first, second].map {
            ScheduledBackups(database: $0, directory: directory, interval: .seconds(3600), keep: 1, logger: Logger(label: "test"))
        }
        let now = Date.now

        // act: the first shop backs up
        #expect(await schedules[0].backUp(now: now))
        // check: the second is still due; its backup leaves the first's alone, and each prunes only its own
        #expect(try schedules[1].dueIn(now: now) <= .zero)
        #expect(await schedules[1].backUp(now: now))
        #expect(await schedules[0].backUp(now: now.addingTimeInterval(1)))
        let firstFolder = BackupFolder(directory: directory, database: first)
        let secondFolder = BackupFolder(directory: directory, database: second)
        #expect(try firstFolder.backups().map(\.path) == [firstFolder.path(at: now.addingTimeInterval(1))])
        #expect(try secondFolder.backups().map(\.path) == [secondFolder.path(at: now)])
        #expect(firstFolder.prefix != secondFolder.prefix && firstFolder.prefix.hasPrefix("shop-"))
        try? FileManager.default.removeItem(at: work)
    }

    /// `DIRECTORY/shop.sqlite` in `work`, migrated by the built `stockroom migrate`; answers its path.
    static func migratedDatabase(in work: URL, _ directory: String) async throws -> String {
        let path = work.appending(path: "\(directory)/shop.sqlite").path
        try FileManager.default.createDirectory(atPath: DurableFiles.directory(of: path), withIntermediateDirectories: true)
        let migrate = try await CommandRun.stockroom(["migrate"], environment: ["STOCKROOM_DATABASE_URL": "sqlite://" + path], in: work)
        guard migrate.status == 0 else { throw ClusterError("migrate: \(migrate)") }
        return path
    }
}

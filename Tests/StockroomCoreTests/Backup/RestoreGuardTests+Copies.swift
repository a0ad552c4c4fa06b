import ChildProcesses
import Foundation
import Logging
import Testing

@testable import StockroomCore
@testable import StockroomDomain

extension RestoreGuardTests {
    @Test("restore of a kept database brings its -wal along, with the sales committed there")
    func restoreBringsTheWAL() async throws {
        // setup: a database file whose newest company is only in the -wal beside it (as a restore keeps one)
        let work = try BackupRestoreTests.directory("restore-wal")
        let source = try await ScheduledBackupTests.migratedDatabase(in: work, "source")
        let writer = try SQLiteDirectConnection(path: source, create: false)
        try writer.execute("PRAGMA journal_mode = WAL", []) { _ in }
        try writer.execute("PRAGMA wal_autocheckpoint = 0", []) { _ in }
        try writer.execute("INSERT INTO companies (name, created_at) VALUES ('Kept in the WAL', 0)", []) { _ in }
        // copied while the writer is open: closing it would fold the WAL in
        let kept = work.appending(path: "kept.sqlite").path
        try FileManager.default.copyItem(atPath: source, toPath: kept)
        try FileManager.default.copyItem(atPath: source + "-wal", toPath: kept + "-wal")
        writer.close()
        let target = work.appending(path: "live/shop.sqlite").path

        // act
        let restore = try await CommandRun.stockroom(["restore", kept], environment: ["STOCKROOM_DATABASE_URL": "sqlite://" + target], in: work)

        // check: the company is there, and the kept file and its -wal are as they were
        #expect(restore.status == 0, "\(restore)")
        #expect(try await Self.check(copyOf: target).companies == 1)
        #expect(Self.exists(work, "kept.sqlite-wal"))
        try? FileManager.default.removeItem(at: work)
    }

    @Test("restore through a symbolic link replaces the file it leads to and leaves the link")
    func restoreThroughLink() async throws {
        // setup: the database at real/shop.sqlite, configured as link.sqlite; a backup with a company more
        let work = try BackupRestoreTests.directory("restore-link")
        let real = try await ScheduledBackupTests.migratedDatabase(in: work, "real")
        let link = work.appending(path: "link.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        try Self.edit(work, copying: "real/shop.sqlite", to: "backup.sqlite", "INSERT INTO companies (name, created_at) VALUES ('Restored', 0)")

        // act
        let restore = try await CommandRun.stockroom(
            ["restore", "backup.sqlite"], environment: ["STOCKROOM_DATABASE_URL": "sqlite://" + link], in: work)

        // check
        #expect(restore.status == 0, "\(restore)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real, "the link stays a link")
        #expect(try await Self.check(copyOf: real).companies == 1, "the file it leads to was restored")
        #expect(try Self.names(in: work.appending(path: "real")).contains { $0.hasPrefix("shop.sqlite.before-restore-") })
        try? FileManager.default.removeItem(at: work)
    }

    @Test("backup and restore clear the hidden copies a killed one left, and only those")
    func abandonedCopies() async throws {
        // setup: copies a killed restore and a killed backup left two hours ago, one being written now, and a stranger
        let work = try BackupRestoreTests.directory("abandoned")
        let database = try await ScheduledBackupTests.migratedDatabase(in: work, "live")
        let environment = ["STOCKROOM_DATABASE_URL": "sqlite://" + database]
        let old = [
            "live/.shop.sqlite.restoring-1A2B3C4D", "live/.shop.sqlite.restoring-1A2B3C4D-wal", ".shop-20261207T013000Z.sqlite.partial-DEADBEEF",
        ]
        let kept = [".shop-20261207T023000Z.sqlite.partial-CAFEBABE", ".notes.partial-not-ours"]
        for name in old + kept { try Data("left".utf8).write(to: work.appending(path: name)) }
        let twoHoursAgo = Date.now.addingTimeInterval(-7200)
        for name in old + [kept[1]] {
            try FileManager.default.setAttributes([.modificationDate: twoHoursAgo], ofItemAtPath: work.appending(path: name).path)
        }

        // act
        #expect(try await CommandRun.stockroom(["backup", "backup.sqlite"], environment: environment, in: work).status == 0)
        #expect(try await CommandRun.stockroom(["restore", "backup.sqlite"], environment: environment, in: work).status == 0)

        // check
        for name in old { #expect(!Self.exists(work, name), "\(name) was left by a killed copy") }
        for name in kept { #expect(Self.exists(work, name), "\(name) is not an abandoned copy of ours") }
        try? FileManager.default.removeItem(at: work)
    }
}

import ChildProcesses
import Foundation
import Logging
import Testing

@testable import StockroomCore
@testable import StockroomDomain

extension RestoreGuardTests {
    @Test("restore refuses while a command holds the database open or another program reads it, and commands refuse while a restore runs")
    func restoreRefusesOpenDatabase() async throws {
        // setup: a migrated database and a backup of it
        let work = try BackupRestoreTests.directory("restore-open")
        let database = try await ScheduledBackupTests.migratedDatabase(in: work, "live")
        let environment = ["STOCKROOM_DATABASE_URL": "sqlite://" + database]
        #expect(try await CommandRun.stockroom(["backup", "backup.sqlite"], environment: environment, in: work).status == 0)

        // act + check: a database client open (as `stockroom import` holds one) keeps the restore out
        let client = try await AppConfig(values: environment).makeDatabase(logger: Logger(label: "test"))
        let refused = try await CommandRun.stockroom(["restore", "backup.sqlite"], environment: environment, in: work)
        #expect(refused.status == 2 && refused.output.contains("another stockroom command"), "\(refused)")
        #expect(try Self.names(in: work.appending(path: "live")).filter { $0.contains("before-restore") }.isEmpty)
        await (client as? SQLiteDatabaseClient)?.close()

        // act + check: another program in the middle of a read of what the WAL holds (so it cannot be folded in)
        // keeps it out too
        let writer = try SQLiteDirectConnection(path: database, create: false)
        try writer.execute("PRAGMA wal_autocheckpoint = 0", []) { _ in }
        try writer.execute("INSERT INTO companies (name, created_at) VALUES ('In the WAL', 0)", []) { _ in }
        let reader = try SQLiteDirectConnection(path: database, create: false)
        try reader.execute("BEGIN", []) { _ in }
        try reader.execute("SELECT COUNT(*) FROM companies", []) { _ in }
        let busy = try await CommandRun.stockroom(["restore", "backup.sqlite"], environment: environment, in: work)
        try reader.execute("COMMIT", []) { _ in }
        reader.close()
        writer.close()
        #expect(busy.status == 2 && busy.output.contains("Another program has"), "\(busy)")

        // act + check: while a restore holds the database, a command refuses before it writes
        let restoring = try ServingLock.restoring(database)
        let migrate = try await CommandRun.stockroom(["migrate"], environment: environment, in: work)
        #expect(migrate.status == 2 && migrate.output.contains("A restore is replacing"), "\(migrate)")
        restoring.release()
        #expect(try await CommandRun.stockroom(["restore", "backup.sqlite"], environment: environment, in: work).status == 0)
        try? FileManager.default.removeItem(at: work)
    }
}

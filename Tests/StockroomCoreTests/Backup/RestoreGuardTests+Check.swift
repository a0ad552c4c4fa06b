import Foundation
import NIOPosix
import Testing

@testable import StockroomCore
@testable import StockroomDomain

extension RestoreGuardTests {
    @Test("the whole check of a copy — integrity, ledger, counts — is one job of the blocking pool: nothing reads the file after it")
    func checkRunsOffTheTasks() async throws {
        // setup: a sound copy, and a check whose pool job, once it returns, unbalances the copy's ledger
        let work = try BackupRestoreTests.directory("check-pool")
        let database = try await ScheduledBackupTests.migratedDatabase(in: work, "live")
        let copy = work.appending(path: "copy.sqlite").path
        try FileManager.default.copyItem(atPath: database, toPath: copy)
        let check = DatabaseFileCheck { job in
            let summary = try await NIOThreadPool.singleton.runIfActive(job)
            try Self.edit(
                work, copying: nil, to: "copy.sqlite", "INSERT INTO stock_levels (store_id, product_id, in_stock, updated_at) VALUES (1, 1, 5, 0)")
            return summary
        }

        // act
        let summary = try await check.check(copy)

        // check: the job saw the sound file; a check read on a task after it would have seen the imbalance
        #expect(summary.problems.isEmpty, "\(summary.problems)")
        #expect(try await DatabaseFileCheck().check(copy).problems.contains { $0.contains("stock 5 but movements sum to 0") })
        try? FileManager.default.removeItem(at: work)
    }
}

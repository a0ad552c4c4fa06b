import ChildProcesses
import Foundation
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// What `stockroom restore` and `stockroom backup` refuse, run as the built commands.
@Suite("Backup and restore guards")
struct RestoreGuardTests {
    @Test(
        "restore refuses while a server runs on the database, and goes ahead once the server was killed with SIGKILL, keeping the sales the killed server had"
    )
    func restoreRefusesRunningServer() async throws {
        // setup: a server with three sales in a backup and two more after it
        let work = try BackupRestoreTests.directory("restore-running")
        let database = work.appending(path: "shop.sqlite").path
        let url = "sqlite://" + database
        let node = try await StockroomNode.startReady(name: "restore-running", environment: BackupRestoreTests.environment(url))
        do {
            let owner = try await node.signIn("admin", TestDatabase.ownerPassword)
            let product = try await BackupRestoreTests.createProduct(node, owner: owner)
            var inBackup: [Int64] = []
            for _ in 0..<3 { inBackup.append(try await BackupRestoreTests.sell(node, owner: owner, product: product)) }
            let backup = try await CommandRun.stockroom(["backup", "backup.sqlite"], environment: ["STOCKROOM_DATABASE_URL": url], in: work)
            #expect(backup.status == 0, "\(backup)")
            var after: [Int64] = []
            for _ in 0..<2 { after.append(try await BackupRestoreTests.sell(node, owner: owner, product: product)) }

            // act + check: refused while the server runs; the database and the server are as they were
            let refused = try await CommandRun.stockroom(["restore", "backup.sqlite"], environment: ["STOCKROOM_DATABASE_URL": url], in: work)
            #expect(
                refused.status == 2 && refused.output.contains("A Stockroom server is using")
                    && refused.output.contains("or another stockroom command"), "\(refused)")
            #expect(try await node.request(.get, "/api/sales/\(after[1])", cookie: owner).status == .ok)
            #expect(try Self.names(in: work).filter { $0.contains("before-restore") || $0.contains(".restoring-") }.isEmpty)

            // act: a crash, then the restore again — no stale lock refuses it
            #expect(await node.kill() == 128 + SIGKILL)
            let restore = try await CommandRun.stockroom(["restore", "backup.sqlite"], environment: ["STOCKROOM_DATABASE_URL": url], in: work)
            #expect(restore.status == 0 && restore.output.contains("kept as"), "\(restore)")

            // check: the old database (with what its WAL held) is kept, no WAL of it is left beside the new one
            let kept = try Self.names(in: work).filter { $0.hasPrefix("shop.sqlite.before-restore-") }
            let files = try Self.names(in: work)
            #expect(kept.count == 1 && !Self.exists(work, "shop.sqlite-wal") && !Self.exists(work, "shop.sqlite-shm"), "\(files)")
            if let kept = kept.first {
                let keptSales = try await Self.check(copyOf: work.appending(path: kept).path).sales
                #expect(keptSales == 5, "the replaced database keeps all five sales, the two after the backup too")
            }
            // a server does not start while a restore holds the database
            let restoring = try ServingLock.restoring(database)
            let blocked = try StockroomNode.start(name: "restore-blocked", environment: BackupRestoreTests.environment(url))
            while blocked.process.exitStatus == nil { try await Task.sleep(for: .milliseconds(20)) }
            #expect(blocked.process.exitStatus == 2 && blocked.process.output.contains("A restore is replacing"), "\([blocked].logs)")
            restoring.release()
            let restarted = try await StockroomNode.startReady(name: "restore-restarted", environment: BackupRestoreTests.environment(url))
            let reader = try await restarted.signIn("admin", TestDatabase.ownerPassword)
            for id in inBackup { #expect(try await restarted.request(.get, "/api/sales/\(id)", cookie: reader).status == .ok) }
            for id in after { #expect(try await restarted.request(.get, "/api/sales/\(id)", cookie: reader).status == .notFound) }
            // and a restore while this one runs is refused too
            let again = try await CommandRun.stockroom(["restore", "backup.sqlite"], environment: ["STOCKROOM_DATABASE_URL": url], in: work)
            #expect(again.status == 2, "\(again)")
            #expect(await restarted.process.terminate() == 0)
            try? FileManager.default.removeItem(at: work)
        } catch {
            await node.process.terminate()
            throw error
        }
    }

    @Test("restore refuses a file that is not a sound Stockroom database and leaves the database as it was")
    func restoreRefusesUnsoundFiles() async throws {
        // setup: a live database with a healthy backup restored into it
        let work = try BackupRestoreTests.directory("restore-unsound")
        let environment = ["STOCKROOM_DATABASE_URL": "sqlite://" + work.appending(path: "shop.sqlite").path]
        #expect(try await CommandRun.stockroom(["migrate"], environment: environment, in: work).status == 0)
        let good = try await CommandRun.stockroom(["backup", "good.sqlite"], environment: environment, in: work)
        #expect(good.status == 0, "\(good)")
        let original = try Data(contentsOf: work.appending(path: "shop.sqlite"))

        // the unsound files
        try Data("just some text, not a database".utf8).write(to: work.appending(path: "text.sqlite"))
        let foreign = try SQLiteDirectConnection(path: work.appending(path: "foreign.sqlite").path)
        try foreign.execute("CREATE TABLE notes (body TEXT)", []) { _ in }
        foreign.close()
        var damaged = try Data(contentsOf: work.appending(path: "good.sqlite"))
        damaged.replaceSubrange(4096..<damaged.count, with: Data(repeating: 0x5A, count: damaged.count - 4096))
        try damaged.write(to: work.appending(path: "damaged.sqlite"))
        try Self.edit(
            work, copying: "good.sqlite", to: "unbalanced.sqlite",
            """
            INSERT INTO stock_levels (store_id, product_id, in_stock, updated_at) VALUES (1, 1, 5, 0)
            """)
        try Self.edit(
            work, copying: "good.sqlite", to: "newer.sqlite", "INSERT INTO schema_migrations (id, name, applied_at) VALUES (999, 'future', 0)")
        let cases = [
            ("text.sqlite", "is not a sound Stockroom database"), ("foreign.sqlite", "has no schema_migrations"),
            ("damaged.sqlite", "malformed"), ("unbalanced.sqlite", "stock 5 but movements sum to 0"), ("newer.sqlite", "knows only up to"),
        ]
        for (file, message) in cases {
            // act
            let refused = try await CommandRun.stockroom(["restore", file], environment: environment, in: work)
            // check
            #expect(refused.status == 1 && refused.output.contains(message), "\(file): \(refused)")
            #expect(try Data(contentsOf: work.appending(path: "shop.sqlite")) == original, "\(file) left the database as it was")
            #expect(try Self.names(in: work).filter { $0.contains("before-restore") || $0.contains(".restoring-") }.isEmpty, "\(file)")
        }
        // the healthy one goes through
        #expect(try await CommandRun.stockroom(["restore", "good.sqlite"], environment: environment, in: work).status == 0)
        try? FileManager.default.removeItem(at: work)
    }

    @Test(
        "backup refuses to overwrite a file unless --force and never the database itself, writes into a directory by time, refuses a missing database, and sends PostgreSQL to pg_dump"
    )
    func backupGuards() async throws {
        let work = try BackupRestoreTests.directory("backup-guards")
        let environment = ["STOCKROOM_DATABASE_URL": "sqlite://" + work.appending(path: "shop.sqlite").path]
        #expect(try await CommandRun.stockroom(["migrate"], environment: environment, in: work).status == 0)
        try Data("keep me".utf8).write(to: work.appending(path: "taken.sqlite"))

        let refused = try await CommandRun.stockroom(["backup", "taken.sqlite"], environment: environment, in: work)
        #expect(refused.status == 2 && refused.output.contains("already exists"), "\(refused)")
        #expect(try String(contentsOf: work.appending(path: "taken.sqlite"), encoding: .utf8) == "keep me")

        let forced = try await CommandRun.stockroom(["backup", "taken.sqlite", "--force"], environment: environment, in: work)
        #expect(forced.status == 0, "\(forced)")
        #expect(try await Self.check(copyOf: work.appending(path: "taken.sqlite").path).problems.isEmpty)

        try FileManager.default.createDirectory(at: work.appending(path: "backups"), withIntermediateDirectories: true)
        let intoDirectory = try await CommandRun.stockroom(["backup", "backups"], environment: environment, in: work)
        let written = try BackupFolder(directory: work.appending(path: "backups").path, database: work.appending(path: "shop.sqlite").path).backups()
        #expect(intoDirectory.status == 0 && written.count == 1, "\(intoDirectory)")

        for live in ["shop.sqlite", "./shop.sqlite-wal"] {
            let over = try await CommandRun.stockroom(["backup", live, "--force"], environment: environment, in: work)
            #expect(over.status == 2 && over.output.contains("is the live database itself"), "\(live): \(over)")
        }

        let missing = ["STOCKROOM_DATABASE_URL": "sqlite://" + work.appending(path: "typo.sqlite").path]
        let noDatabase = try await CommandRun.stockroom(["backup", "typo-backup.sqlite"], environment: missing, in: work)
        #expect(noDatabase.status == 1 && noDatabase.output.contains("There is no database"), "\(noDatabase)")
        #expect(!Self.exists(work, "typo.sqlite") && !Self.exists(work, "typo-backup.sqlite"), "nothing was created")

        let postgres = ["STOCKROOM_DATABASE_URL": "postgres://stockroom@127.0.0.1:1/shop?sslmode=disable"]
        for command in ["backup", "restore"] {
            let answer = try await CommandRun.stockroom([command, "x.sqlite"], environment: postgres, in: work)
            #expect(answer.status == 2 && answer.output.contains("pg_dump") && answer.output.contains("Back up and restore"), "\(command): \(answer)")
        }
        try? FileManager.default.removeItem(at: work)
    }

    static func names(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
    }

    static func exists(_ directory: URL, _ name: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.appending(path: name).path)
    }

    /// `DatabaseFileCheck` on a copy (it opens what it checks read-write).
    static func check(copyOf path: String) async throws -> DatabaseFileCheck.Summary {
        let copy = FileManager.default.temporaryDirectory.appending(path: "stockroom-check-\(UUID().uuidString.prefix(8)).sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        return try await DatabaseFileCheck().check(copy)
    }

    /// A copy of `source` (or `name` itself, without one) with `statement` applied (foreign keys are off on a plain
    /// connection).
    static func edit(_ directory: URL, copying source: String?, to name: String, _ statement: String) throws {
        if let source { try FileManager.default.copyItem(at: directory.appending(path: source), to: directory.appending(path: name)) }
        let connection = try SQLiteDirectConnection(path: directory.appending(path: name).path, create: false)
        defer { connection.close() }
        try connection.execute("PRAGMA foreign_keys = OFF", []) { _ in }
        try connection.execute(statement, []) { _ in }
    }
}

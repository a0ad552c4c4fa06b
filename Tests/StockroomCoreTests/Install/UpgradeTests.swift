import Foundation
import Logging
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// README, "Upgrade": migrations run on start, and a database a newer Stockroom migrated is refused by an older one.
@Suite("Upgrading")
struct UpgradeTests {
    @Test("a database migrated past this build is refused at start, naming both migrations, and left as it was", arguments: Engine.allCases)
    func refusesNewerDatabase(engine: Engine) async throws {
        // setup: a database a later Stockroom has migrated (its migration 99 is unknown here)
        let url = try await TestDatabase.url(engine)
        let config = try AppConfig(values: ["STOCKROOM_DATABASE_URL": url])
        try await TestDatabase.withClient(engine, config: config) { database in
            try await Migrator(logger: Logger(label: "test")).migrate(database)
            try await database.withTransaction { transaction in
                try await transaction.db.raw("INSERT INTO schema_migrations (id, name, applied_at) VALUES (99, 'from the future', 0)").run()
            }
        }

        // act: start this build on it
        let node = try StockroomNode.start(
            name: "older",
            environment: [
                "STOCKROOM_DATABASE_URL": url, "STOCKROOM_ADMIN_PASSWORD": TestDatabase.ownerPassword, "STOCKROOM_BCRYPT_COST": "4",
                "STOCKROOM_LOG_FORMAT": "json",
            ])
        while node.process.exitStatus == nil { try await Task.sleep(for: .milliseconds(50)) }

        // check: it stops with the reason, and nothing was created
        let known = try #require(Migration.all.map(\.id).max())
        #expect(node.process.exitStatus == 1)
        // the reason is a log line like any other: JSON here, as a collector reads it
        let lines = node.process.output.split(separator: "\n").filter { !$0.isEmpty }.map {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        #expect(!lines.isEmpty && lines.allSatisfy { $0 != nil }, "\(node.process.output)")
        let stopped = lines.compactMap { $0 }.last { $0["level"] as? String == "critical" }
        #expect(
            stopped?["message"] as? String
                == "Stockroom stopped: The database is at migration 99 but this build knows only up to \(known); run a newer Stockroom.",
            "\(node.process.output)")
        let companies = try await TestDatabase.withClient(engine, config: config) { database in
            try await database.read { try await IdentityRepository().countCompanies($0) }
        }
        #expect(companies == 0)
    }
}

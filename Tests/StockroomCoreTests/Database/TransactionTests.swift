import Foundation
import Logging
import NIOConcurrencyHelpers
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Transactions")
struct TransactionTests {
    struct Boom: Error {}

    /// A migrated database with one company row to hang test rows on.
    func withMigrated(_ engine: Engine, _ body: (any DatabaseClient) async throws -> Void) async throws {
        try await TestDatabase.withClient(engine) { database in
            try await Migrator(logger: Logger(label: "test")).migrate(database)
            try await body(database)
        }
    }

    func companyNames(_ database: any DatabaseClient) async throws -> [String] {
        try await database.read { try await $0.raw("SELECT name FROM companies ORDER BY id").all(decodingColumn: "name", as: String.self) }
    }

    @Test("commit keeps the writes and runs after-commit hooks", arguments: Engine.allCases)
    func commit(engine: Engine) async throws {
        try await withMigrated(engine) { database in
            let hookRan = NIOLockedValueBox(false)
            // act
            let id = try await database.withTransaction { transaction in
                transaction.afterCommit { hookRan.withLockedValue { $0 = true } }
                let company = try await IdentityRepository().insertCompany(name: "Kept", transaction.db)
                #expect(!hookRan.withLockedValue { $0 }, "hooks wait for the commit")
                return company.id
            }
            // check
            #expect(id > 0)
            #expect(try await companyNames(database) == ["Kept"])
            #expect(hookRan.withLockedValue { $0 })
        }
    }

    @Test("a thrown error rolls everything back and drops the hooks", arguments: Engine.allCases)
    func rollback(engine: Engine) async throws {
        try await withMigrated(engine) { database in
            let hookRan = NIOLockedValueBox(false)
            // act
            await #expect(throws: Boom.self) {
                try await database.withTransaction { transaction in
                    transaction.afterCommit { hookRan.withLockedValue { $0 = true } }
                    _ = try await IdentityRepository().insertCompany(name: "Lost", transaction.db)
                    throw Boom()
                }
            }
            // check
            #expect(try await companyNames(database).isEmpty)
            #expect(!hookRan.withLockedValue { $0 })
            // the connection is usable again after the rollback
            _ = try await database.withTransaction { try await IdentityRepository().insertCompany(name: "After", $0.db) }
            #expect(try await companyNames(database) == ["After"])
        }
    }

    @Test("a transaction inside another joins it: its failure undoes its part and drops its hooks; reads see the writes", arguments: Engine.allCases)
    func nestedJoins(engine: Engine) async throws {
        try await withMigrated(engine) { database in
            let ran = NIOLockedValueBox([String]())
            try await database.withTransaction { outer in
                outer.afterCommit { ran.withLockedValue { $0.append("outer") } }
                _ = try await IdentityRepository().insertCompany(name: "Outer", outer.db)
                await #expect(throws: Boom.self) {
                    try await database.withTransaction { inner in
                        inner.afterCommit { ran.withLockedValue { $0.append("inner") } }
                        _ = try await IdentityRepository().insertCompany(name: "Inner", inner.db)
                        throw Boom()
                    }
                }
                // a read inside the transaction is on its own connection: it sees "Outer", not yet committed
                #expect(try await companyNames(database) == ["Outer"])
            }
            #expect(try await companyNames(database) == ["Outer"])
            #expect(ran.withLockedValue { $0 } == ["outer"], "the undone part's hooks were dropped")
        }
    }

    @Test("concurrent guarded updates never lose a write", arguments: Engine.allCases)
    func concurrentUpdates(engine: Engine) async throws {
        try await withMigrated(engine) { database in
            // setup
            let company = try await database.withTransaction { try await IdentityRepository().insertCompany(name: "Counter", $0.db) }
            let createdAt = { @Sendable in
                try await database.read {
                    try await $0.raw("SELECT created_at FROM companies WHERE id = \(bind: company.id)")
                        .first(decodingColumn: "created_at", as: Int64.self)!
                }
            }
            let before = try await createdAt()
            // act: 40 transactions each read the row and then update it
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await database.withTransaction { transaction in
                            _ = try await transaction.db.raw("SELECT name FROM companies WHERE id = \(bind: company.id)").first()
                            try await transaction.db.raw(
                                """
                                UPDATE companies SET created_at = created_at + 1 WHERE id = \(bind: company.id)
                                """
                            ).run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            // check
            #expect(try await createdAt() == before + 40)
        }
    }

    @Test("other requests' reads see committed writes only", arguments: Engine.allCases)
    func readsSeeCommittedOnly(engine: Engine) async throws {
        try await withMigrated(engine) { database in
            try await database.withTransaction { transaction in
                _ = try await IdentityRepository().insertCompany(name: "Pending", transaction.db)
                // another request (a task of its own, outside this transaction) does not see the uncommitted row
                #expect(try await Task.detached { try await companyNames(database) }.value.isEmpty)
            }
            #expect(try await companyNames(database) == ["Pending"])
        }
    }
}

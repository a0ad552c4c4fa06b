import Foundation
import Logging
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Migrations")
struct MigrationTests {
    let logger = Logger(label: "test")

    @Test("apply every migration once, then nothing", arguments: Engine.allCases)
    func appliesOnce(engine: Engine) async throws {
        try await TestDatabase.withClient(engine) { database in
            // act
            let first = try await Migrator(logger: logger).migrate(database)
            let second = try await Migrator(logger: logger).migrate(database)
            // check
            #expect(first == Migration.all.map(\.id))
            #expect(second.isEmpty)
            let recorded = try await database.read {
                try await $0.raw("SELECT id FROM schema_migrations ORDER BY id").all(decodingColumn: "id", as: Int.self)
            }
            #expect(recorded == Migration.all.map(\.id))
        }
    }

    @Test("create every core table", arguments: Engine.allCases)
    func createsCoreTables(engine: Engine) async throws {
        try await TestDatabase.withClient(engine) { database in
            try await Migrator(logger: logger).migrate(database)
            let tables = [
                "companies", "stores", "users", "sessions", "categories", "products", "stock_levels", "stock_movements",
                "sales", "sale_lines", "notifications", "audit_log", "idempotency_keys",
            ]
            for table in tables {
                let count = try await database.read {
                    try await $0.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decodingColumn: "n", as: Int.self)
                }
                #expect(count == 0, "table \(table)")
            }
        }
    }

    @Test("the schema refuses negative stock", arguments: Engine.allCases)
    func stockCannotGoNegative(engine: Engine) async throws {
        try await TestDatabase.withClient(engine) { database in
            // setup
            try await Migrator(logger: logger).migrate(database)
            let provisioning = AccountProvisioning(database: database, hasher: PasswordHasher(cost: 4))
            let created = try await provisioning.createCompany(
                name: "Shop", storeName: "Main", owner: .init(username: "owner", email: "o@example.com", password: "password-1"))
            // act
            let insert = {
                try await database.withTransaction { transaction in
                    let product = try await transaction.db.raw(
                        """
                        INSERT INTO products (company_id, barcode, name, price_cents, created_at, updated_at)
                        VALUES (\(bind: created.company.id), '1', 'Tea', 100, 0, 0) RETURNING id
                        """
                    ).first(decodingColumn: "id", as: Int64.self)!
                    try await transaction.db.raw(
                        """
                        INSERT INTO stock_levels (store_id, product_id, in_stock, updated_at)
                        VALUES (\(bind: created.store.id), \(bind: product), -1, 0)
                        """
                    ).run()
                }
            }
            // check
            await #expect(throws: (any Error).self) { try await insert() }
            let products = try await database.read {
                try await $0.raw("SELECT COUNT(*) AS n FROM products").first(decodingColumn: "n", as: Int.self)
            }
            #expect(products == 0, "the failed transaction left nothing behind")
        }
    }

    @Test("two clients migrating at once apply each migration once", arguments: Engine.allCases)
    func concurrentMigrations(engine: Engine) async throws {
        // setup: two independent clients (two nodes) on one database
        let config = try await TestDatabase.config(engine)
        let first = try await config.makeDatabase(logger: logger)
        let second = try await config.makeDatabase(logger: logger)
        try await first.whileRunning {
            try await second.whileRunning {
                // act
                async let a = Migrator(logger: logger).migrate(first)
                async let b = Migrator(logger: logger).migrate(second)
                let (appliedByA, appliedByB) = try await (a, b)
                // check
                #expect((appliedByA + appliedByB).sorted() == Migration.all.map(\.id))
                let recorded = try await first.read {
                    try await $0.raw("SELECT COUNT(*) AS n FROM schema_migrations").first(decodingColumn: "n", as: Int.self)
                }
                #expect(recorded == Migration.all.count)
            }
        }
    }

    @Test("a database newer than the build is refused", arguments: Engine.allCases)
    func refusesNewerDatabase(engine: Engine) async throws {
        try await TestDatabase.withClient(engine) { database in
            try await Migrator(logger: logger).migrate(database)
            try await database.withTransaction {
                try await $0.db.raw("INSERT INTO schema_migrations (id, name, applied_at) VALUES (9999, 'future', 0)").run()
            }
            await #expect(throws: MigrationError.self) { try await Migrator(logger: logger).migrate(database) }
        }
    }
}

import Foundation
import Logging
import SQLKit
import StockroomCore

/// The accounts a benchmark acts as: an owner who sends notifications, and `count` vendors, each with a personal
/// API token, in one company and store.
struct BenchSeed: Sendable {
    struct Account: Sendable {
        let id: Int64
        let token: String
    }

    let owner: Account
    let vendors: [Account]

    /// Migrates `database` (which must be empty) and creates the company, its store and owner the way
    /// `stockroom create-company` does. The vendors and their tokens are inserted in bulk: their password hash is
    /// the owner's, computed once — bcrypt for 10,000 accounts would take longer than the benchmark — and their
    /// tokens are random secrets stored as digests exactly as `POST /api/tokens` stores them.
    static func create(_ database: any DatabaseClient, vendors count: Int, logger: Logger) async throws -> BenchSeed {
        try await Migrator(logger: logger).migrate(database)
        let provisioning = AccountProvisioning(database: database, hasher: PasswordHasher(cost: 4))
        let created = try await provisioning.createCompany(
            name: "Bench", storeName: "Main", owner: .init(username: "owner", email: "owner@bench.example", password: "bench-password"))
        let (companyID, storeID) = (created.company.id, created.store.id)
        let hash = created.owner.passwordHash
        let now = Date.now.unixMilliseconds
        let names = (0..<count).map { String(format: "bench%05d", $0) }

        try await database.withTransaction { transaction in
            for chunk in names.chunked(into: 500) {
                let insert = transaction.db.insert(into: "users")
                    .columns("company_id", "store_id", "username", "email", "password_hash", "role", "status", "created_at", "updated_at")
                for name in chunk {
                    let values: [any Encodable & Sendable] = [companyID, storeID, name, "\(name)@bench.example", hash, "vendor", "active", now, now]
                    insert.values(values)
                }
                try await insert.run()
            }
        }
        let vendorIDs = try await database.read { db in
            let rows = try await db.raw("SELECT id, username FROM users WHERE company_id = \(bind: companyID) AND role = 'vendor'").all()
            return Dictionary(
                uniqueKeysWithValues: try rows.map {
                    (try $0.decode(column: "username", as: String.self), try $0.decode(column: "id", as: Int64.self))
                })
        }
        let owner = Account(id: created.owner.id, token: SecretToken.generate(prefix: "sr_"))
        let vendors = try names.map { name in
            guard let id = vendorIDs[name] else { throw ServerProcess.Failure(description: "seeded user \(name) is missing") }
            return Account(id: id, token: SecretToken.generate(prefix: "sr_"))
        }
        try await database.withTransaction { transaction in
            for chunk in ([owner] + vendors).chunked(into: 500) {
                let insert = transaction.db.insert(into: "api_tokens")
                    .columns("company_id", "user_id", "name", "token_digest", "prefix", "created_at")
                for account in chunk {
                    let values: [any Encodable & Sendable] = [
                        companyID, account.id, "bench", SecretToken.digest(account.token), String(account.token.prefix(8)), now,
                    ]
                    insert.values(values)
                }
                try await insert.run()
            }
        }
        return BenchSeed(owner: owner, vendors: vendors)
    }
}

extension BenchSeed {
    /// `stores - 1` more stores and `products` products with a million of each in every store, the opening stock in
    /// the ledger; returns the stores' ids, the first store (the tills') first.
    static func stock(_ database: any DatabaseClient, products: Int, stores: Int) async throws -> [Int64] {
        let ids = try await database.withTransaction { transaction in
            let db = transaction.db
            let identity = IdentityRepository()
            let companyID = try await db.raw("SELECT MIN(id) AS id FROM companies").first(decodingColumn: "id", as: Int64.self)!
            let first = try await identity.firstStore(companyID: companyID, db)!.id
            var ids = [first]
            for number in 1..<stores { ids.append(try await identity.insertStore(companyID: companyID, name: "Store \(number + 1)", db).id) }
            let now = Date.now.unixMilliseconds
            try await db.raw(
                """
                WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < \(bind: products))
                INSERT INTO products (company_id, barcode, name, price_cents, cost_cents, created_at, updated_at)
                SELECT \(bind: companyID), 'SOAK' || n, 'Soak product ' || n, 100 + n % 900, 50 + n % 400, \(bind: now), \(bind: now) FROM seq
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO stock_levels (store_id, product_id, in_stock, min_stock, updated_at)
                SELECT st.id, p.id, 1000000, 5, \(bind: now) FROM stores st CROSS JOIN products p
                WHERE st.company_id = \(bind: companyID) AND p.company_id = \(bind: companyID)
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO stock_movements (company_id, store_id, product_id, kind, delta, stock_after, created_at)
                SELECT \(bind: companyID), store_id, product_id, 'opening', in_stock, in_stock, \(bind: now) FROM stock_levels
                """
            ).run()
            return ids
        }
        try await settle(database)
        return ids
    }

    /// The database as a shop's is minutes after a bulk load, once autovacuum has been by: statistics gathered and,
    /// on PostgreSQL, the visibility map set (an index-only walk reads no table pages) and the trigram indexes' GIN
    /// pending lists merged (a search scans that list whole until then: 26 ms of a 38 ms search at 100,000 products).
    static func settle(_ database: any DatabaseClient) async throws {
        switch database.engine {
        // (VACUUM cannot run inside a transaction; SQLite's readers may not write the statistics table)
        case .postgres: try await database.read { try await $0.raw("VACUUM ANALYZE").run() }
        case .sqlite: try await database.withTransaction { try await $0.db.raw("ANALYZE").run() }
        }
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

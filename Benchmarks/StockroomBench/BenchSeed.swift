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
            return Dictionary(uniqueKeysWithValues: try rows.map {
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

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("First start and provisioning")
struct BootstrapTests {
    let logger = Logger(label: "test")

    func users(_ database: any DatabaseClient) async throws -> [(username: String, role: String, hash: String, company: Int64)] {
        try await database.read { db in
            try await db.raw("SELECT username, role, password_hash, company_id FROM users ORDER BY id").all().map {
                (
                    try $0.decode(column: "username", as: String.self), try $0.decode(column: "role", as: String.self),
                    try $0.decode(column: "password_hash", as: String.self), try $0.decode(column: "company_id", as: Int64.self)
                )
            }
        }
    }

    @Test("the first start creates one company, store and owner with the configured password", arguments: Engine.allCases)
    func bootstrapWithConfiguredPassword(engine: Engine) async throws {
        let config = try await TestDatabase.config(engine, ["STOCKROOM_ADMIN_USERNAME": "boss", "STOCKROOM_COMPANY_NAME": "Corner Shop"])
        try await TestDatabase.withClient(engine, config: config) { database in
            try await Migrator(logger: logger).migrate(database)
            let provisioning = AccountProvisioning(database: database, hasher: PasswordHasher(cost: 4))
            // act
            let created = try #require(try await provisioning.bootstrapIfEmpty(config))
            let again = try await provisioning.bootstrapIfEmpty(config)
            // check
            #expect(again == nil, "a second start creates nothing")
            #expect(created.generatedPassword == nil)
            #expect(created.company.name == "Corner Shop")
            #expect(created.owner.role == .owner && created.owner.storeID == created.store.id)
            let users = try await users(database)
            #expect(users.count == 1)
            #expect(users[0].username == "boss" && users[0].role == "owner")
            #expect(try await PasswordHasher(cost: 4).verify(TestDatabase.ownerPassword, hash: users[0].hash))
            let audit = try await database.read {
                try await $0.raw("SELECT action FROM audit_log ORDER BY id").all(decodingColumn: "action", as: String.self)
            }
            #expect(audit == ["company_created", "user_created"])
        }
    }

    @Test("without a configured password one is generated, and it signs in")
    func bootstrapGeneratesPassword() async throws {
        var config = try await TestDatabase.config(.sqlite)
        config.adminPassword = nil
        try await TestDatabase.withClient(.sqlite, config: config) { database in
            try await Migrator(logger: logger).migrate(database)
            let created = try #require(try await AccountProvisioning(database: database, hasher: PasswordHasher(cost: 4)).bootstrapIfEmpty(config))
            let password = try #require(created.generatedPassword)
            #expect(password.count == 16)
            #expect(try await PasswordHasher(cost: 4).verify(password, hash: try await users(database)[0].hash))
        }
    }

    @Test("the server bootstraps on start")
    func serverBootstraps() async throws {
        try await TestApp.build().test(.router) { client in
            let ready = try await client.execute(uri: "/api/health/ready", method: .get)
            #expect(ready.status == .ok)
        }
    }

    @Test("create-company and create-user add tenants and accounts; taken names are refused", arguments: Engine.allCases)
    func provisioning(engine: Engine) async throws {
        try await TestDatabase.withClient(engine) { database in
            try await Migrator(logger: logger).migrate(database)
            let provisioning = AccountProvisioning(database: database, hasher: PasswordHasher(cost: 4))
            // act
            let first = try await provisioning.createCompany(
                name: "North", storeName: "North 1", owner: .init(username: "north", email: "north@example.com", password: nil))
            let second = try await provisioning.createCompany(
                name: "South", storeName: "South 1", owner: .init(username: "south", email: "south@example.com", password: "password-2"))
            let vendor = try await provisioning.createUser(
                companyID: second.company.id, storeID: nil, username: "seller", email: "seller@example.com", password: nil, role: .vendor)
            // check
            #expect(first.company.id != second.company.id)
            #expect(first.generatedPassword != nil && second.generatedPassword == nil)
            #expect(vendor.user.storeID == second.store.id && vendor.user.companyID == second.company.id)
            await #expect(throws: ShopError.self) {
                try await provisioning.createUser(
                    companyID: first.company.id, storeID: nil, username: "SELLER", email: "other@example.com", password: nil, role: .vendor)
            }
            await #expect(throws: ShopError.self) {
                try await provisioning.createUser(
                    companyID: first.company.id, storeID: second.store.id, username: "x-user", email: "x@example.com",
                    password: nil, role: .vendor)
            }
            let usernames = try await users(database).map(\.username)
            #expect(usernames == ["north", "south", "seller"], "refused accounts left nothing behind")
        }
    }

    @Test("account fields are validated before anything is written")
    func provisioningValidation() async throws {
        try await TestDatabase.withClient(.sqlite) { database in
            try await Migrator(logger: logger).migrate(database)
            let provisioning = AccountProvisioning(database: database, hasher: PasswordHasher(cost: 4))
            let cases: [(String, String, String?, String)] = [
                ("ab", "a@example.com", nil, "username"),
                ("good-name", "not-an-email", nil, "email"),
                ("good-name", "a@example.com", "short", "password"),
                ("good-name", "a@example.com", String(repeating: "é", count: 37), "password"),
            ]
            for (username, email, password, field) in cases {
                do {
                    _ = try await provisioning.createCompany(
                        name: "X", storeName: "Y", owner: .init(username: username, email: email, password: password))
                    Issue.record("accepted \(username) \(email)")
                } catch let error as ShopError {
                    #expect(error.kind == .invalid)
                    #expect(error.facts["field"] == .string(field))
                }
            }
            #expect(try await database.read { try await IdentityRepository().countCompanies($0) } == 0)
        }
    }
}

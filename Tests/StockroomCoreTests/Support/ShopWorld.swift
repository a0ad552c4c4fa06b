import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Two companies to test tenancy and roles against, built on the real application:
/// company A (the first-start one) with stores A1 and A2, an owner, and an admin and a vendor in each store;
/// company B with one store, its owner and a vendor. Every account's password is `ShopWorld.password`
/// (the first-start owner's is `TestDatabase.ownerPassword`).
struct ShopWorld: Sendable {
    static let password = "password-123"

    struct Account: Sendable {
        let id: Int64
        let username: String
        let storeID: Int64
        let role: Role
    }

    let companyA: Int64
    let storeA1: Int64
    let storeA2: Int64
    let ownerA: Account
    let adminA1: Account
    let vendorA1: Account
    let adminA2: Account
    let vendorA2: Account
    let companyB: Int64
    let storeB: Int64
    let ownerB: Account
    let vendorB: Account
    let database: any DatabaseClient

    /// Runs `body` against a fresh application with the world created in it.
    static func run(
        _ engine: Engine = .sqlite, environment: [String: String] = [:],
        _ body: @escaping @Sendable (any TestClientProtocol, ShopWorld) async throws -> Void
    ) async throws {
        try await run(engine, environment: environment) { client, world, _ in try await body(client, world) }
    }

    /// The same, also handing over the application's dependencies (its event hub, its streams), and with `live`
    /// on a real socket (port 0) instead of the in-memory router.
    static func run(
        _ engine: Engine = .sqlite, environment: [String: String] = [:], live: Bool = false,
        _ body: @escaping @Sendable (any TestClientProtocol, ShopWorld, AppDependencies) async throws -> Void
    ) async throws {
        let captured = DependencyBox()
        var environment = environment
        if live { environment["STOCKROOM_PORT"] = "0" }
        let app = try await TestApp.build(engine, environment: environment) { _, dependencies in captured.value = dependencies }
        try await app.test(live ? .live : .router) { client in
            let dependencies = try #require(captured.value)
            try await body(client, try await ShopWorld.create(dependencies), dependencies)
            // Whatever the test did to products, the counts list totals read stayed equal to them.
            let counts = try await dependencies.database.read { try await LedgerRepository().countMismatches($0) }
            #expect(counts.isEmpty, "kept product counts: \(counts)")
        }
    }

    static func create(_ dependencies: AppDependencies) async throws -> ShopWorld {
        let database = dependencies.database
        let provisioning = AccountProvisioning(database: database, hasher: dependencies.hasher)
        let identity = IdentityRepository()
        let (companyA, storeA1, ownerA) = try await database.read { db in
            let owner = try #require(try await identity.user(login: "admin", db))
            return (owner.companyID, owner.storeID, Account(id: owner.id, username: "admin", storeID: owner.storeID, role: .owner))
        }
        let storeA2 = try await database.withTransaction { try await identity.insertStore(companyID: companyA, name: "A2", $0.db).id }
        func account(_ name: String, _ company: Int64, _ store: Int64, _ role: Role) async throws -> Account {
            let user = try await provisioning.createUser(
                companyID: company, storeID: store, username: name, email: "\(name)@example.com", password: password, role: role
            ).user
            return Account(id: user.id, username: name, storeID: store, role: role)
        }
        let b = try await provisioning.createCompany(
            name: "B", storeName: "B1", owner: .init(username: "ownerb", email: "ownerb@example.com", password: password))
        return ShopWorld(
            companyA: companyA, storeA1: storeA1, storeA2: storeA2, ownerA: ownerA,
            adminA1: try await account("admina1", companyA, storeA1, .admin),
            vendorA1: try await account("vendora1", companyA, storeA1, .vendor),
            adminA2: try await account("admina2", companyA, storeA2, .admin),
            vendorA2: try await account("vendora2", companyA, storeA2, .vendor),
            companyB: b.company.id, storeB: b.store.id,
            ownerB: Account(id: b.owner.id, username: "ownerb", storeID: b.store.id, role: .owner),
            vendorB: try await account("vendorb", b.company.id, b.store.id, .vendor),
            database: database)
    }

    static func password(for account: Account) -> String {
        account.username == "admin" ? TestDatabase.ownerPassword : password
    }
}

/// Captures the application's dependencies from the router-building closure.
final class DependencyBox: @unchecked Sendable {
    var value: AppDependencies?
}

/// A signed-in browser: its session cookie and CSRF token.
struct SignedIn: Sendable {
    let cookie: String
    let csrfToken: String

    var headers: HTTPFields {
        [.cookie: "\(Authenticator.cookieName)=\(cookie)", .contentType: "application/json"]
    }
}

extension TestClientProtocol {
    /// Signs in through `POST /api/login` and keeps the session cookie.
    func signIn(_ username: String, _ password: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> SignedIn {
        let response = try await execute(
            uri: "/api/login", method: .post, headers: .json,
            body: ByteBuffer(json: #"{"username": "\#(username)", "password": "\#(password)"}"#))
        try #require(response.status == .ok, "sign-in as \(username): \(response.text)", sourceLocation: sourceLocation)
        let setCookie = try #require(response.headers[.setCookie], sourceLocation: sourceLocation)
        let value = String(setCookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)[1])
        let me = try await execute(uri: "/api/me", method: .get, headers: [.cookie: "\(Authenticator.cookieName)=\(value)"])
        guard case .string(let csrf)? = try me.json()["csrf_token"] else { throw ClusterError("no csrf_token in /api/me") }
        return SignedIn(cookie: value, csrfToken: csrf)
    }

    func signIn(_ account: ShopWorld.Account) async throws -> SignedIn {
        try await signIn(account.username, ShopWorld.password(for: account))
    }

    /// A JSON request as `session` (or anonymous when nil).
    func call(
        _ method: HTTPRequest.Method, _ uri: String, as session: SignedIn?, json: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = session?.headers ?? .json
        for field in extra { headers[field.name] = field.value }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(json: $0) })
    }
}

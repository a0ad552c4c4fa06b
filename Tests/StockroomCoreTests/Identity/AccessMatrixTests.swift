import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// What each role can and cannot do, endpoint by endpoint, on its own store, another store of its company and
/// another company. Anonymous callers get 401 everywhere here.
@Suite("Access by role")
struct AccessMatrixTests {
    /// One request and the status each caller must get: owner of A, admin of A1, vendor of A1.
    struct Rule: Sendable, CustomStringConvertible {
        let method: HTTPRequest.Method
        let path: @Sendable (ShopWorld) -> String
        let body: (@Sendable (Role) -> String)?
        let owner: Int
        let admin: Int
        let vendor: Int
        let label: String

        init(
            _ method: HTTPRequest.Method, _ label: String, _ path: @escaping @Sendable (ShopWorld) -> String,
            body: (@Sendable (Role) -> String)? = nil, owner: Int, admin: Int, vendor: Int
        ) {
            self.method = method
            self.label = label
            self.path = path
            self.body = body
            self.owner = owner
            self.admin = admin
            self.vendor = vendor
        }

        func expected(_ role: Role) -> Int {
            switch role {
            case .owner: owner
            case .admin: admin
            case .vendor: vendor
            }
        }

        var description: String { "\(method) \(label)" }
    }

    static func newUser(role: String, store: Int64? = nil) -> @Sendable (Role) -> String {
        { actor in
            let name = "new-\(actor.rawValue)-\(role)-\(store ?? 0)"
            let storeField = store.map { #", "store_id": \#($0)"# } ?? ""
            return #"{"username": "\#(name)", "email": "\#(name)@example.com", "password": "password-123", "role": "\#(role)"\#(storeField)}"#
        }
    }

    // Rules run vendor first, then admin, then owner, so that writes by one role never take away what a later
    // role's rules need (no rule deactivates the owner or admin of A1).
    static let rules: [Rule] = [
        // accounts
        Rule(.get, "users", { _ in "/api/users" }, owner: 200, admin: 200, vendor: 403),
        Rule(.get, "users/own store", { "/api/users/\($0.vendorA1.id)" }, owner: 200, admin: 200, vendor: 403),
        Rule(.get, "users/other store", { "/api/users/\($0.vendorA2.id)" }, owner: 200, admin: 403, vendor: 403),
        Rule(.get, "users/other company", { "/api/users/\($0.vendorB.id)" }, owner: 404, admin: 404, vendor: 403),
        Rule(
            .put, "users/own store vendor", { "/api/users/\($0.vendorA1.id)" }, body: { _ in #"{"username": "vendora1"}"# },
            owner: 200, admin: 200, vendor: 403),
        Rule(.put, "users/other store admin", { "/api/users/\($0.adminA2.id)" }, body: { _ in "{}" }, owner: 200, admin: 403, vendor: 403),
        Rule(.put, "users/other company", { "/api/users/\($0.ownerB.id)" }, body: { _ in "{}" }, owner: 404, admin: 404, vendor: 403),
        Rule(
            .post, "users/password other store", { "/api/users/\($0.vendorA2.id)/password" },
            body: { _ in #"{"password": "password-123"}"# }, owner: 200, admin: 403, vendor: 403),
        Rule(
            .post, "users/password other company", { "/api/users/\($0.vendorB.id)/password" },
            body: { _ in #"{"password": "password-123"}"# }, owner: 404, admin: 404, vendor: 403),
        Rule(.delete, "users/other company", { "/api/users/\($0.vendorB.id)" }, owner: 404, admin: 404, vendor: 403),
        Rule(.delete, "users/other store", { "/api/users/\($0.vendorA2.id)" }, owner: 200, admin: 403, vendor: 403),
        Rule(.post, "users create vendor", { _ in "/api/users" }, body: newUser(role: "vendor"), owner: 201, admin: 201, vendor: 403),
        Rule(.post, "users create admin", { _ in "/api/users" }, body: newUser(role: "admin"), owner: 201, admin: 403, vendor: 403),
        Rule(
            .post, "users create in other store", { _ in "/api/users" }, body: { newUser(role: "vendor", store: 2)($0) },
            owner: 201, admin: 403, vendor: 403),
        // applications
        Rule(.get, "applications", { _ in "/api/applications" }, owner: 200, admin: 200, vendor: 403),
        Rule(.post, "applications approve other company", { "/api/applications/\($0.vendorB.id)/approve" }, owner: 404, admin: 404, vendor: 403),
        Rule(.post, "applications approve other store", { "/api/applications/\($0.adminA2.id)/approve" }, owner: 409, admin: 403, vendor: 403),
        Rule(
            .post, "applications reject own store, not pending", { "/api/applications/\($0.vendorA1.id)/reject" },
            owner: 409, admin: 409, vendor: 403),
        // stores and company
        Rule(.get, "stores", { _ in "/api/stores" }, owner: 200, admin: 200, vendor: 200),
        Rule(.get, "stores/own", { "/api/stores/\($0.storeA1)" }, owner: 200, admin: 200, vendor: 200),
        Rule(.get, "stores/other store", { "/api/stores/\($0.storeA2)" }, owner: 200, admin: 403, vendor: 403),
        Rule(.get, "stores/other company", { "/api/stores/\($0.storeB)" }, owner: 404, admin: 404, vendor: 404),
        Rule(.post, "stores create", { _ in "/api/stores" }, body: { #"{"name": "New \#($0.rawValue)"}"# }, owner: 201, admin: 403, vendor: 403),
        Rule(.put, "stores/own", { "/api/stores/\($0.storeA1)" }, body: { _ in #"{"address": "1 High St"}"# }, owner: 200, admin: 403, vendor: 403),
        Rule(.put, "stores/other company", { "/api/stores/\($0.storeB)" }, body: { _ in #"{"name": "Mine"}"# }, owner: 404, admin: 403, vendor: 403),
        Rule(.put, "stores/activate other store", { "/api/stores/activate/\($0.storeA2)" }, owner: 200, admin: 403, vendor: 403),
        Rule(.put, "stores/deactivate other company", { "/api/stores/deactivate/\($0.storeB)" }, owner: 404, admin: 403, vendor: 403),
        Rule(.get, "companies", { _ in "/api/companies" }, owner: 200, admin: 200, vendor: 200),
        // audit
        Rule(.get, "audit all", { _ in "/api/all" }, owner: 200, admin: 403, vendor: 403),
        Rule(.get, "audit user/own store", { "/api/user/\($0.vendorA1.id)" }, owner: 200, admin: 200, vendor: 200),
        Rule(.get, "audit user/other store", { "/api/user/\($0.vendorA2.id)" }, owner: 200, admin: 403, vendor: 403),
        Rule(.get, "audit user/owner of own store", { "/api/user/\($0.ownerA.id)" }, owner: 200, admin: 403, vendor: 403),
        Rule(
            .post, "users/password self", { "/api/users/\($0.adminA1.id)/password" },
            body: { _ in #"{"password": "password-123"}"# }, owner: 200, admin: 422, vendor: 403),
        Rule(.get, "audit user/other company", { "/api/user/\($0.vendorB.id)" }, owner: 404, admin: 404, vendor: 404),
        Rule(.get, "audit entity", { "/api/entity/user/\($0.vendorA1.id)" }, owner: 200, admin: 403, vendor: 403),
        // own account and tokens
        Rule(.get, "me", { _ in "/api/me" }, owner: 200, admin: 200, vendor: 200),
        Rule(.get, "tokens", { _ in "/api/tokens" }, owner: 200, admin: 200, vendor: 200),
        Rule(.post, "tokens create", { _ in "/api/tokens" }, body: { _ in #"{"name": "script"}"# }, owner: 201, admin: 201, vendor: 201),
        Rule(.delete, "tokens/unknown", { _ in "/api/tokens/999999" }, owner: 404, admin: 404, vendor: 404),
        Rule(
            .put, "settings/profile", { _ in "/api/settings/profile" },
            body: { role in
                #"{"email": "\#(role == .owner ? "admin" : role == .admin ? "admina1" : "vendora1")@example.com"}"#
            },
            owner: 200, admin: 200, vendor: 200),
        Rule(
            .put, "api/api/settings/password wrong current", { _ in "/api/api/settings/password" },
            body: { _ in #"{"current_password": "nope-nope", "new_password": "password-456", "confirm_password": "password-456"}"# },
            owner: 401, admin: 401, vendor: 401),
        // the debug log
        Rule(.post, "debug/log", { _ in "/api/debug/log" }, body: { _ in #"{"message": "boom"}"# }, owner: 200, admin: 200, vendor: 200),
        Rule(.get, "debug/logs", { _ in "/api/debug/logs" }, owner: 200, admin: 403, vendor: 403),
        Rule(.post, "debug/command", { _ in "/api/debug/command" }, body: { _ in #"{"command": "id"}"# }, owner: 410, admin: 410, vendor: 410),
    ]

    @Test("each role gets exactly its permitted statuses on own store, other store and other company")
    func matrix() async throws {
        try await ShopWorld.run { client, world in
            let actors: [(Role, ShopWorld.Account)] = [(.vendor, world.vendorA1), (.admin, world.adminA1), (.owner, world.ownerA)]
            for (role, account) in actors {
                let session = try await client.signIn(account)
                for rule in Self.rules {
                    let response = try await client.call(rule.method, rule.path(world), as: session, json: rule.body?(role))
                    #expect(Int(response.status.code) == rule.expected(role), "\(role.rawValue): \(rule) → \(response.text)")
                }
            }
        }
    }

    @Test("without credentials every endpoint answers 401 and changes nothing")
    func anonymous() async throws {
        try await ShopWorld.run { client, world in
            let before = try await world.database.read {
                try await $0.raw("SELECT COUNT(*) AS n FROM audit_log").first(decodingColumn: "n", as: Int.self)
            }
            for rule in Self.rules {
                let response = try await client.call(rule.method, rule.path(world), as: nil, json: rule.body?(.owner))
                #expect(response.status == .unauthorized, "\(rule) → \(response.text)")
                #expect(try response.json()["code"] == .string("unauthorized"))
            }
            let after = try await world.database.read {
                try await $0.raw("SELECT COUNT(*) AS n FROM audit_log").first(decodingColumn: "n", as: Int.self)
            }
            #expect(before == after)
        }
    }
}

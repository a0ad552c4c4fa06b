import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Accounts: registration, applications, users, settings")
struct AccountTests {
    @Test("a registration is a pending vendor until approved; taken names are refused; rejected accounts cannot sign in", arguments: Engine.allCases)
    func registration(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let register = { (name: String) in
                try await client.call(
                    .post, "/api/register", as: nil,
                    json: #"{"username": "\#(name)", "email": "\#(name)@example.com", "password": "password-123", "role": "owner"}"#)
            }
            let created = try await register("newbie")
            #expect(created.status == .created)
            #expect(try created.json()["status"] == .string("pending"))
            #expect(try await register("newbie").status == .conflict)
            let sameEmail = try await client.call(
                .post, "/api/register", as: nil,
                json: #"{"username": "other", "email": "NEWBIE@example.com", "password": "password-123"}"#)
            #expect(try sameEmail.status == .conflict && sameEmail.json()["code"] == .string("email_taken"))
            let short = try await client.call(
                .post, "/api/register", as: nil, json: #"{"username": "shorty", "email": "s@example.com", "password": "short"}"#)
            #expect(try short.status == .badRequest && short.json()["field"] == .string("password"))

            let pending = try await client.call(.post, "/api/login", as: nil, json: #"{"username": "newbie", "password": "password-123"}"#)
            #expect(try pending.status == .forbidden && pending.json()["code"] == .string("account_pending"))

            let admin = try await client.signIn(world.adminA1)
            let applications = try await client.call(.get, "/api/applications", as: admin).json()
            #expect(applications["total"] == .int(1))
            guard case .array(let items)? = applications["data"], case .object(let applicant)? = items.first,
                case .int(let id)? = applicant["id"]
            else { throw ClusterError("\(applications)") }
            #expect(applicant["role"] == .string("vendor"), "registering never grants the role asked for")
            #expect(try await client.call(.post, "/api/applications/\(id)/approve", as: admin).status == .ok)
            #expect(try await client.call(.post, "/api/applications/\(id)/approve", as: admin).status == .conflict)
            _ = try await client.signIn("newbie", "password-123")

            _ = try await register("rejected")
            let ownerB = try await client.signIn(world.ownerB)
            let rejectedID = try await world.database.read {
                try await $0.raw("SELECT id FROM users WHERE username = 'rejected'").first(decodingColumn: "id", as: Int64.self)
            }!
            #expect(try await client.call(.post, "/api/applications/\(rejectedID)/reject", as: ownerB).status == .notFound)
            let owner = try await client.signIn(world.ownerA)
            #expect(try await client.call(.post, "/api/applications/\(rejectedID)/reject", as: owner).status == .ok)
            let refused = try await client.call(.post, "/api/login", as: nil, json: #"{"username": "rejected", "password": "password-123"}"#)
            #expect(refused.status == .forbidden)
        }
    }

    @Test("users: create with seed role names, partial update, search, and the limits of an admin")
    func users() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let created = try await client.call(
                .post, "/api/users", as: owner,
                json: """
                    {"username": "clerk", "email": "clerk@example.com", "password": "password-123", "role": "EMPLOYEE", "store_id": \(world.storeA2)}
                    """)
            #expect(created.status == .created)
            let clerk = try created.json()
            #expect(clerk["role"] == .string("vendor") && clerk["store_id"] == .int(world.storeA2) && clerk["is_active"] == .bool(true))
            guard case .int(let clerkID)? = clerk["id"] else { throw ClusterError("\(clerk)") }
            #expect(try !created.text.contains("password"), "no password or hash in responses")
            let badRole = try await client.call(
                .post, "/api/users", as: owner,
                json: """
                    {"username": "x-user", "email": "x@example.com", "password": "password-123", "role": "superuser"}
                    """)
            #expect(try badRole.status == .badRequest && badRole.json()["field"] == .string("role"))

            // partial: only the email changes
            let updated = try await client.call(.put, "/api/users/\(clerkID)", as: owner, json: #"{"email": "clerk2@example.com"}"#).json()
            #expect(
                updated["email"] == .string("clerk2@example.com") && updated["username"] == .string("clerk")
                    && updated["role"] == .string("vendor") && updated["store_id"] == .int(world.storeA2))
            let promoted = try await client.call(.put, "/api/users/\(clerkID)", as: owner, json: #"{"role": "root"}"#).json()
            #expect(promoted["role"] == .string("owner"))
            let ownSelf = try await client.call(.put, "/api/users/\(world.ownerA.id)", as: owner, json: #"{"role": "vendor"}"#)
            #expect(ownSelf.status == .unprocessableContent)

            let search = try await client.call(.get, "/api/users?search=VENDORA&limit=1&page=2", as: owner).json()
            #expect(search["total"] == .int(2) && search["pages"] == .int(2) && search["page"] == .int(2) && search["limit"] == .int(1))
            let badPage = try await client.call(.get, "/api/users?page=0", as: owner)
            #expect(try badPage.status == .badRequest && badPage.json()["field"] == .string("page"))

            // an admin cannot promote, nor move people between stores, nor touch admins
            let admin = try await client.signIn(world.adminA1)
            let promote = try await client.call(.put, "/api/users/\(world.vendorA1.id)", as: admin, json: #"{"role": "admin"}"#)
            #expect(promote.status == .forbidden)
            let move = try await client.call(.put, "/api/users/\(world.vendorA1.id)", as: admin, json: #"{"store_id": \#(world.storeA2)}"#)
            #expect(move.status == .forbidden)
            let listed = try await client.call(.get, "/api/users?limit=250", as: admin).json()
            guard case .array(let rows)? = listed["data"] else { throw ClusterError("\(listed)") }
            #expect(rows.allSatisfy { if case .object(let row) = $0 { row["store_id"] == .int(world.storeA1) } else { false } })
            let vendor = try await client.signIn(world.vendorA1)
            let token = try await client.call(.post, "/api/tokens", as: vendor, json: #"{"name": "t"}"#).json()
            guard case .string(let secret)? = token["token"] else { throw ClusterError("\(token)") }
            let reset = try await client.call(.post, "/api/users/\(world.vendorA1.id)/password", as: admin, json: #"{"password": "password-777"}"#)
            #expect(reset.status == .ok)
            #expect(try await client.call(.get, "/api/me", as: vendor).status == .unauthorized, "a reset signs the account out")
            let revoked = try await client.execute(uri: "/api/me", method: .get, headers: [.authorization: "Bearer \(secret)"])
            #expect(revoked.status == .unauthorized, "and revokes its tokens")
            _ = try await client.signIn("vendora1", "password-777")
        }
    }

    @Test("settings: profile email and password change at both paths; the other sessions end")
    func settings() async throws {
        try await ShopWorld.run { client, world in
            let phone = try await client.signIn(world.vendorA1)
            let laptop = try await client.signIn(world.vendorA1)
            let taken = try await client.call(.put, "/api/api/settings/profile", as: laptop, json: #"{"email": "admina1@example.com"}"#)
            #expect(taken.status == .conflict)
            let profile = try await client.call(.put, "/api/settings/profile", as: laptop, json: #"{"email": "me@example.com"}"#)
            #expect(try profile.status == .ok && profile.json()["email"] == .string("me@example.com"))

            let mismatch = try await client.call(
                .put, "/api/settings/password", as: laptop,
                json: """
                    {"current_password": "password-123", "new_password": "password-456", "confirm_password": "password-457"}
                    """)
            #expect(try mismatch.status == .badRequest && mismatch.json()["field"] == .string("confirm_password"))
            let tooLong = String(repeating: "é", count: 40)
            let long = try await client.call(
                .put, "/api/settings/password", as: laptop,
                json: """
                    {"current_password": "password-123", "new_password": "\(tooLong)", "confirm_password": "\(tooLong)"}
                    """)
            #expect(try long.status == .badRequest && long.json()["field"] == .string("new_password"), "80 bytes is over bcrypt's 72")
            let changed = try await client.call(
                .put, "/api/api/settings/password", as: laptop,
                json: """
                    {"current_password": "password-123", "new_password": "password-456", "confirm_password": "password-456"}
                    """)
            #expect(changed.status == .ok)
            #expect(try await client.call(.get, "/api/me", as: laptop).status == .ok, "the session that changed it stays")
            #expect(try await client.call(.get, "/api/me", as: phone).status == .unauthorized, "the others end")
            _ = try await client.signIn("me@example.com", "password-456")
        }
    }

    @Test("stores: create, partial update, deactivate and activate, Credith's camelCase shape")
    func stores() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let created = try await client.call(.post, "/api/stores", as: owner, json: #"{"name": "Harbour", "address": "2 Quay"}"#)
            #expect(created.status == .created)
            let store = try created.json()
            #expect(Set(store.keys) == ["storeId", "companyId", "name", "address", "isActive", "createdAt"])
            guard case .int(let id)? = store["storeId"] else { throw ClusterError("\(store)") }
            let renamed = try await client.call(.put, "/api/stores/\(id)", as: owner, json: #"{"name": "Harbour Front"}"#).json()
            #expect(renamed["name"] == .string("Harbour Front") && renamed["address"] == .string("2 Quay"))
            let closed = try await client.call(.put, "/api/stores/deactivate/\(id)", as: owner).json()
            #expect(closed["isActive"] == .bool(false))
            let reopened = try await client.call(.put, "/api/stores/activate/\(id)", as: owner).json()
            #expect(reopened["isActive"] == .bool(true))
            let page = try await client.call(.get, "/api/stores?limit=2&offset=1", as: owner).json()
            #expect(page["total"] == .int(3))
            guard case .array(let rows)? = page["data"] else { throw ClusterError("\(page)") }
            #expect(rows.count == 2)
            let blank = try await client.call(.post, "/api/stores", as: owner, json: #"{"name": "  "}"#)
            #expect(try blank.status == .badRequest && blank.json()["field"] == .string("name"))
            let badID = try await client.call(.get, "/api/stores/abc", as: owner)
            #expect(badID.status == .badRequest)
        }
    }
}

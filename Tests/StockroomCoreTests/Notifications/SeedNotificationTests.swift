import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Seed 000's notifications where Stockroom had differed (issue #20): low stock when the stock drops *below* the
/// minimum, once per dip; account changes made by someone else told to the account's owner; an admin's DELETE of a
/// product told to the admin, saying what happened in their store.
@Suite("Seed 000's notifications")
struct SeedNotificationTests {
    /// The titles of `session`'s notifications, oldest first, once there are at least `count`.
    func titles(_ client: some TestClientProtocol, _ session: SignedIn, atLeast count: Int) async throws -> [String] {
        for _ in 0..<200 {
            let body = try await client.call(.get, "/api/notifications/all?limit=50", as: session)
            let list = try JSONDecoder().decode([JSONValue].self, from: Data(buffer: body.body))
            if list.count >= count {
                return list.reversed().compactMap { if case .string(let title)? = $0["title"] { title } else { nil } }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("fewer than \(count) notifications")
        return []
    }

    /// `session`'s titles once `done` holds for them (or as they are after 10 s, for the expectation to show).
    func titles(_ client: some TestClientProtocol, _ session: SignedIn, until done: ([String]) -> Bool) async throws -> [String] {
        var seen: [String] = []
        for _ in 0..<200 {
            let body = try await client.call(.get, "/api/notifications/all?limit=50", as: session)
            seen = try JSONDecoder().decode([JSONValue].self, from: Data(buffer: body.body)).reversed()
                .compactMap { if case .string(let title)? = $0["title"] { title } else { nil } }
            if done(seen) { return seen }
            try await Task.sleep(for: .milliseconds(50))
        }
        return seen
    }

    func storeName(_ world: ShopWorld, _ id: Int64) async throws -> String {
        try await world.database.read { try await IdentityRepository().store(id: id, companyID: world.companyA, $0)?.name } ?? "?"
    }

    @Test("low stock fires below the minimum, not at it, once per dip", arguments: Engine.allCases)
    func belowMinimum(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let id = try await client.createProduct(as: owner, barcode: "DIP", name: "Dipping", quantity: 5, minQuantity: 3)
            let sell = { (quantity: Int) in
                let sale = try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "DIP", "quantity": \#(quantity)}"#)
                #expect(sale.status == .created, "\(sale.text)")
            }
            try await sell(2)  // 3: at the minimum, no alert
            try await sell(1)  // 2: below, the dip's one alert
            try await sell(1)  // 1: the same dip
            // back at the minimum: the dip ends
            #expect(try await client.call(.put, "/api/products/\(id)", as: owner, json: #"{"quantity": 3}"#).status == .ok)
            try await sell(1)  // 2: a new dip
            let seen = try await titles(client, vendor) {
                $0.filter { $0 == "Sale registered" }.count >= 4 && $0.filter { $0 == "Low stock" }.count >= 2
            }
            #expect(seen.filter { $0 == "Low stock" }.count == 2, "\(seen)")
            #expect(seen.filter { $0 == "Sale registered" }.count == 4, "\(seen)")
            // a product created below its minimum is reported at once (StockManager's flag starts unset)
            _ = try await client.createProduct(as: owner, barcode: "SHORT", name: "Short from the start", quantity: 1, minQuantity: 4)
            let ownerSeen = try await titles(client, owner) { $0.filter { $0 == "Low stock" }.count >= 3 }
            #expect(ownerSeen.filter { $0 == "Low stock" }.count == 3, "the owner hears of every dip: \(ownerSeen)")
        }
    }

    @Test("account changes by someone else are told to the account's owner, in their language", arguments: Engine.allCases)
    func accountChanges(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let account = "/api/users/\(world.vendorA1.id)"
            #expect(try await client.call(.put, account, as: owner, json: #"{"email": "moved@example.com"}"#).status == .ok)
            #expect(try await client.call(.put, account, as: owner, json: #"{"store_id": \#(world.storeA2)}"#).status == .ok)
            #expect(try await client.call(.put, account, as: owner, json: #"{"role": "admin"}"#).status == .ok)
            let seen = try await titles(client, vendor, atLeast: 3)
            #expect(seen == Array(repeating: "Your account was updated", count: 3), "\(seen)")
            let unread = try await client.call(.get, "/api/notifications/unread", as: vendor, headers: [.acceptLanguage: "es"]).json()
            let messages = unread["notifications"]?.array.compactMap { $0["message"] } ?? []
            #expect(messages.contains(.string("Tu correo ahora es moved@example.com.")), "\(messages)")
            let storeA2 = try await storeName(world, world.storeA2)
            #expect(messages.contains(.string("Ahora trabajas en \(storeA2).")), "\(messages)")
            #expect(messages.contains(.string("Tu rol ahora es admin.")), "\(messages)")

            // a password reset ends the sessions; the notification waits for the next sign-in
            #expect(try await client.call(.post, "\(account)/password", as: owner, json: #"{"password": "password-999"}"#).status == .ok)
            let again = try await client.signIn("vendora1", "password-999")
            #expect(try await titles(client, again, atLeast: 4).last == "Your password was reset")
            // deactivated and activated again
            #expect(try await client.call(.delete, account, as: owner).status == .ok)
            #expect(try await client.call(.put, account, as: owner, json: #"{"status": "active"}"#).status == .ok)
            let back = try await client.signIn("vendora1", "password-999")
            #expect(try await titles(client, back, atLeast: 5).last == "Your account is active")

            // an approved registration is greeted; changing your own account tells nobody
            #expect(
                try await client.call(
                    .post, "/api/register", as: nil,
                    json: #"{"username": "newbie", "email": "newbie@example.com", "password": "password-123"}"#
                ).status == .created)
            let applications = try await client.call(.get, "/api/applications", as: owner).json()
            guard case .int(let newbie)? = applications["data"]?.array.first?["id"] else {
                Issue.record("\(applications)")
                return
            }
            #expect(try await client.call(.post, "/api/applications/\(newbie)/approve", as: owner).status == .ok)
            let welcomed = try await client.signIn("newbie", "password-123")
            #expect(try await titles(client, welcomed, atLeast: 1) == ["Registration approved"])
            #expect(try await client.call(.put, "/api/users/\(world.ownerA.id)", as: owner, json: #"{"email": "me@example.com"}"#).status == .ok)
            try await Task.sleep(for: .milliseconds(300))
            let mine = try await client.call(.get, "/api/notifications/all", as: owner)
            #expect(try JSONDecoder().decode([JSONValue].self, from: Data(buffer: mine.body)).isEmpty)
        }
    }

    @Test("an admin's DELETE of a product tells the admin it left their store only", arguments: Engine.allCases)
    func adminArchive(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let admin = try await client.signIn(world.adminA1)
            let id = try await client.createProduct(as: owner, barcode: "ARC", name: "Archived jam", quantity: 2)
            #expect(try await client.call(.delete, "/api/products/\(id)", as: admin).status == .ok)
            var first = JSONValue.null
            for _ in 0..<100 {
                let unread = try await client.call(.get, "/api/notifications/unread", as: admin).json()
                if let note = unread["notifications"]?.array.first {
                    first = note
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(first["title"] == .string("Product archived") && first["type"] == .string("warning"), "\(first)")
            let storeA1 = try await storeName(world, world.storeA1)
            #expect(first["message"] == .string("Archived jam was taken off sale in \(storeA1); other stores keep it."), "\(first)")
            #expect(
                try await client.call(.get, "/api/products/\(id)?store_id=\(world.storeA2)", as: owner).json()["status"] == .int(1),
                "still on sale elsewhere")
            // a second DELETE changes nothing and is not news
            #expect(try await client.call(.delete, "/api/products/\(id)", as: admin).status == .ok)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await client.call(.get, "/api/notifications/unread", as: admin).json()["unread_count"] == .int(1))
        }
    }

    @Test("an account change reaches the account's open stream at once", arguments: Engine.allCases)
    func accountChangePushed(engine: Engine) async throws {
        try await ShopWorld.run(engine, environment: [:], live: true) { client, world, _ in
            let port = try #require(client.port)
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let stream = try SSEClient(port: port, path: "/api/notifications/stream", cookie: "\(Authenticator.cookieName)=\(vendor.cookie)")
            let initial = try #require(await stream.events.nextEvent())
            #expect(initial.name == "init")
            #expect(
                try await client.call(.put, "/api/users/\(world.vendorA1.id)", as: owner, json: #"{"email": "pushed@example.com"}"#).status == .ok)
            let update = try #require(await stream.events.nextEvent())
            #expect(
                update.name == "update" && update.data.contains("Your account was updated") && update.data.contains("pushed@example.com"), "\(update)"
            )
        }
    }
}

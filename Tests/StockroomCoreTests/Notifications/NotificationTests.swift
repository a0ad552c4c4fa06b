import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Notifications")
struct NotificationTests {
    /// Waits (up to 10 s, polling) until `user` has `count` unread notifications; the triggers run after commit.
    func unread(_ client: some TestClientProtocol, _ session: SignedIn, atLeast count: Int) async throws -> [String: JSONValue] {
        for _ in 0..<200 {
            let body = try await client.call(.get, "/api/notifications/unread", as: session).json()
            if case .int(let n)? = body["unread_count"], n >= count { return body }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("fewer than \(count) unread notifications")
        return [:]
    }

    @Test("triggers notify the right people; the endpoints read, mark and delete only the caller's own")
    func triggersAndEndpoints() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let admin = try await client.signIn(world.adminA1)
            let adminA2 = try await client.signIn(world.adminA2)
            let vendor = try await client.signIn(world.vendorA1)
            // product created (owner), then a sale by the vendor takes it below its minimum: one dip
            _ = try await client.createProduct(as: owner, barcode: "LOW", name: "Lowish", quantity: 5, minQuantity: 3)
            _ = try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "LOW", "quantity": 3}"#)
            _ = try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "LOW", "quantity": 1}"#)
            _ = try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "LOW", "quantity": 5}"#)

            let vendorNotes = try await unread(client, vendor, atLeast: 4)
            let titles = vendorNotes["notifications"]?.array.compactMap { $0["title"] } ?? []
            #expect(titles.filter { $0 == .string("Low stock") }.count == 1, "once per dip: \(titles)")
            #expect(titles.filter { $0 == .string("Sale registered") }.count == 2)
            #expect(titles.contains(.string("Sale error")))
            let first = try #require(vendorNotes["notifications"]?.array.first)
            #expect(Set(first.objectKeys) == ["id", "title", "message", "type", "action_url", "created_at", "is_read"])
            let adminNotes = try await unread(client, admin, atLeast: 1)
            #expect(adminNotes["notifications"]?.array.compactMap { $0["title"] } == [.string("Low stock")])
            let ownerNotes = try await unread(client, owner, atLeast: 2)
            #expect(
                ownerNotes["notifications"]?.array.compactMap { $0["title"] }.sorted { "\($0)" < "\($1)" }
                    == [.string("Low stock"), .string("Product created")])
            #expect(
                try await client.call(.get, "/api/notifications/unread", as: adminA2).json()["unread_count"] == .int(0),
                "another store's admin hears nothing")

            // isolation: the vendor's notification is invisible to the admin
            guard case .int(let noteID)? = first["id"] else { throw ClusterError("\(first)") }
            #expect(try await client.call(.post, "/api/notifications/\(noteID)/read", as: admin).status == .notFound)
            #expect(try await client.call(.delete, "/api/notifications/\(noteID)", as: admin).status == .notFound)
            #expect(try await client.call(.post, "/api/notifications/\(noteID)/read", as: vendor).status == .ok)
            let all = try await client.call(.get, "/api/notifications/all?limit=2&offset=0", as: vendor)
            #expect(try JSONDecoder().decode([JSONValue].self, from: Data(buffer: all.body)).count == 2, "a bare array")
            #expect(try await client.call(.post, "/api/notifications/read-all", as: vendor).status == .ok)
            #expect(try await client.call(.get, "/api/notifications/unread", as: vendor).json()["unread_count"] == .int(0))
            #expect(try await client.call(.delete, "/api/notifications/\(noteID)", as: vendor).status == .ok)

            // manual notifications: owners and admins, to people they may see
            let manual = try await client.call(
                .post, "/api/notifications/create", as: admin,
                json: #"{"user_id": \#(world.vendorA1.id), "title": "Hola", "message": "Inventario a las 9"}"#)
            #expect(manual.status == .created)
            let got = try await unread(client, vendor, atLeast: 1)
            #expect(got["notifications"]?.array.first?["type"] == .string("info"))
            #expect(
                try await client.call(
                    .post, "/api/notifications/create", as: admin,
                    json: #"{"user_id": \#(world.vendorB.id), "title": "x", "message": "y"}"#
                ).status == .notFound)
            #expect(
                try await client.call(
                    .post, "/api/notifications/create", as: vendor,
                    json: #"{"user_id": \#(world.adminA1.id), "title": "x", "message": "y"}"#
                ).status == .forbidden)
        }
    }

    @Test(
        "the live stream: init on connect, update after a sale drops stock below minimum, heartbeats, one stream per user, others' events never arrive"
    )
    func liveStream() async throws {
        try await ShopWorld.run(environment: ["STOCKROOM_SSE_HEARTBEAT_SECONDS": "1"], live: true) { client, world, dependencies in
            let port = try #require(client.port)
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let other = try await client.signIn(world.vendorB)
            _ = try await client.createProduct(as: owner, barcode: "LIVE", name: "Live", quantity: 4, minQuantity: 2)

            // Every stream here is kept open past its client's default give-up (10 s), which can pass on a loaded
            // machine before the heartbeat and the counts below; a missing event still fails, later.
            let stream = try SSEClient(
                port: port, path: "/api/notifications/stream", cookie: "\(Authenticator.cookieName)=\(vendor.cookie)",
                giveUpAfter: .seconds(120))
            let bystander = try SSEClient(
                port: port, path: "/api/notifications/stream", cookie: "\(Authenticator.cookieName)=\(other.cookie)",
                giveUpAfter: .seconds(120))
            let initial = try #require(await stream.events.nextEvent())
            #expect(initial.name == "init" && initial.id == "1", "\(initial) / \(stream.head)")
            #expect(initial.data.contains("\"count\":0"))
            #expect(
                stream.head.contains("text/event-stream") && stream.head.lowercased().contains("cache-control: no-cache")
                    && stream.head.lowercased().contains("x-accel-buffering: no"))
            _ = await bystander.events.nextEvent()

            // a sale that takes the stock below the minimum
            #expect(try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "LIVE", "quantity": 3}"#).status == .created)
            var sawLowStock = false
            while !sawLowStock, let event = await stream.events.nextEvent() {
                #expect(event.name == "update")
                sawLowStock = event.data.contains("Low stock")
            }
            #expect(sawLowStock)
            // heartbeats keep coming (every second here)
            var heartbeat: SSEClient.Event?
            while heartbeat == nil, let event = await stream.events.nextEvent(skippingHeartbeats: false) {
                if event.isComment { heartbeat = event }
            }
            #expect(heartbeat?.data == "heartbeat")

            // a second stream for the same user ends the first
            let second = try SSEClient(
                port: port, path: "/api/notifications/stream", cookie: "\(Authenticator.cookieName)=\(vendor.cookie)",
                giveUpAfter: .seconds(120))
            #expect(await second.events.nextEvent()?.name == "init")
            var firstEnded = false
            for await _ in stream.events {}
            firstEnded = true
            #expect(firstEnded)
            #expect(dependencies.streams.openCount == 2)

            // the bystander (another company) never got an update
            bystander.close()
            var bystanderUpdates = 0
            for await event in bystander.events where event.name == "update" { bystanderUpdates += 1 }
            #expect(bystanderUpdates == 0)
            // closing the connection frees its subscription
            second.close()
            for _ in 0..<100 where dependencies.streams.openCount > 0 { try await Task.sleep(for: .milliseconds(50)) }
            #expect(dependencies.streams.openCount == 0)
            // without a session: 401
            #expect(try await client.execute(uri: "/api/notifications/stream", method: .get).status == .unauthorized)
        }
    }
}

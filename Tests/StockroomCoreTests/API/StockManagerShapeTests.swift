import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import StockroomCore

/// Shapes StockManager's documentation gives and its clients read (`../shared/STOCKMANAGER-API.md`), issue #20:
/// the first of its items, each on both engines.
@Suite("StockManager's documented shapes")
struct StockManagerShapeTests {
    @Test("never-sold answers {products: [{id, name, sku, stock, price}]} beside the page", arguments: Engine.allCases)
    func neverSold(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let id = try await client.createProduct(as: owner, barcode: "NS-1", name: "Dusty jar", quantity: 4, price: 2.5)
            let body = try await client.call(.get, "/api/never-sold", as: owner).json()
            #expect(body["products"] == .array([.object(["id": .int(id), "name": .string("Dusty jar"), "sku": .string("NS-1"), "stock": .int(4), "price": .double(2.5)])]),
                    "\(body)")
            #expect(body["data"]?.array.count == 1 && body["total"] == .int(1))
        }
    }

    @Test("stats' low-stock items carry sku as well as barcode", arguments: Engine.allCases)
    func lowStockSKU(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            _ = try await client.createProduct(as: owner, barcode: "LOW-1", name: "Last candles", quantity: 1, minQuantity: 5)
            let items = try await client.call(.get, "/api/stats", as: owner).json()["low_stock_list"]?.array ?? []
            #expect(items.count == 1 && items.first?["sku"] == .string("LOW-1") && items.first?["barcode"] == .string("LOW-1"), "\(items)")
        }
    }

    @Test("a wrong current password is 401 and the session stays", arguments: Engine.allCases)
    func wrongPassword(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let vendor = try await client.signIn(world.vendorA1)
            let wrong = try await client.call(.put, "/api/settings/password", as: vendor, json: """
                {"current_password": "not-it-at-all", "new_password": "password-456", "confirm_password": "password-456"}
                """)
            let code = try wrong.json()["code"]
            #expect(wrong.status == .unauthorized && code == .string("wrong_password"), "\(wrong.text)")
            #expect(try await client.call(.get, "/api/me", as: vendor).status == .ok)
        }
    }

    @Test("'+' in a query string is a space, as a form sends it; '%2B' is a plus", arguments: Engine.allCases)
    func plusIsSpace(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            _ = try await client.createProduct(as: owner, barcode: "TW-1", name: "two words")
            _ = try await client.createProduct(as: owner, barcode: "TW-2", name: "C++ manual")
            let spaced = try await client.call(.get, "/api/products?search=two+words", as: owner).json()
            #expect(spaced["total"] == .int(1) && spaced["data"]?.array.first?["barcode"] == .string("TW-1"), "\(spaced)")
            let plus = try await client.call(.get, "/api/products?search=c%2B%2B", as: owner).json()
            #expect(plus["total"] == .int(1) && plus["data"]?.array.first?["barcode"] == .string("TW-2"), "\(plus)")
        }
        #expect(QueryReader(query: "a=1&b=x+y%20z&c=%2B&d&a=2").parameters == ["a": "2", "b": "x y z", "c": "+", "d": ""])
    }

    @Test("DELETE /api/notifications/{id}/delete removes the caller's notification, as the documented path", arguments: Engine.allCases)
    func notificationDeleteAlias(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let created = try await client.call(.post, "/api/notifications/create", as: owner, json: #"{"user_id": \#(world.ownerA.id), "title": "Hello", "message": "there"}"#)
            #expect(created.status == .created || created.status == .ok, "\(created.text)")
            let unread = try await client.call(.get, "/api/notifications/unread", as: owner).json()
            guard case .int(let id)? = unread["notifications"]?.array.first?["id"] else { throw ClusterError("no notification in \(unread)") }
            #expect(try await client.call(.delete, "/api/notifications/\(id)/delete", as: owner).status == .ok)
            #expect(try await client.call(.delete, "/api/notifications/\(id)/delete", as: owner).status == .notFound)
        }
    }
}

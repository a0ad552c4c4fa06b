import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

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
            #expect(
                body["products"]
                    == .array([
                        .object(["id": .int(id), "name": .string("Dusty jar"), "sku": .string("NS-1"), "stock": .int(4), "price": .double(2.5)])
                    ]),
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
            let wrong = try await client.call(
                .put, "/api/settings/password", as: vendor,
                json: """
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
        // a timestamp's offset sent unescaped is still read as one
        let plain = QueryReader(query: "from=2026-01-01T00:00:00+01:00&to=2026-01-01T00:00:00%2B01:00")
        let from = try plain.date("from", timeZone: .gmt)
        let to = try plain.date("to", timeZone: .gmt)
        #expect(from != nil && from == to)
    }

    @Test("DELETE /api/notifications/{id}/delete removes the caller's notification, as the documented path", arguments: Engine.allCases)
    func notificationDeleteAlias(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let created = try await client.call(
                .post, "/api/notifications/create", as: owner, json: #"{"user_id": \#(world.ownerA.id), "title": "Hello", "message": "there"}"#)
            #expect(created.status == .created || created.status == .ok, "\(created.text)")
            let unread = try await client.call(.get, "/api/notifications/unread", as: owner).json()
            guard case .int(let id)? = unread["notifications"]?.array.first?["id"] else { throw ClusterError("no notification in \(unread)") }
            #expect(try await client.call(.delete, "/api/notifications/\(id)/delete", as: owner).status == .ok)
            #expect(try await client.call(.delete, "/api/notifications/\(id)/delete", as: owner).status == .notFound)
        }
    }

    @Test("the debug log answers {status: \"logged\"} and {logs: [...]} beside Stockroom's fields", arguments: Engine.allCases)
    func debugShapes(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let vendor = try await client.signIn(world.vendorA1)
            // StockManager's client sends level, message, context and timestamp
            let logged = try await client.call(
                .post, "/api/debug/log", as: vendor,
                json: """
                    {"level": "error", "message": "cart is undefined", "context": {"page": "till"}, "timestamp": "2026-12-06T10:00:00Z"}
                    """)
            let status = try logged.json()["status"]
            #expect(logged.status == .ok && status == .string("logged"), "\(logged.text)")
            let owner = try await client.signIn(world.ownerA)
            let lines = try await client.call(.get, "/api/debug/logs", as: owner).json()
            let logs: [String] = lines["logs"]?.array.compactMap { if case .string(let text) = $0 { text } else { nil } } ?? []
            let reported = logs.contains { $0.contains("ERROR Client report: cart is undefined") }
            #expect(logs.count == lines["data"]?.array.count && reported, "\(logs.prefix(3))")
        }
    }

    @Test("creating and changing a product answer a message beside the product", arguments: Engine.allCases)
    func productMessages(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let created = try await client.call(.post, "/api/products", as: owner, json: #"{"barcode": "MSG-1", "name": "Soap", "price": 2}"#)
            let body = try created.json()
            #expect(created.status == .created && body["message"] == .string("Product created") && body["barcode"] == .string("MSG-1"), "\(body)")
            guard case .int(let id)? = body["id"] else { throw ClusterError("\(body)") }
            let changed = try await client.call(.put, "/api/products/\(id)", as: owner, json: #"{"price": 3}"#).json()
            #expect(changed["message"] == .string("Product updated") && changed["price"] == .int(3), "\(changed)")
            // a plain read has no message
            #expect(try await client.call(.get, "/api/products/\(id)", as: owner).json()["message"] == nil)
        }
    }

    @Test(
        "suggest/vendors: up to ten active vendors and admins, the company's for owners, the own store's for others; {data: [{id, username, email}]}",
        arguments: Engine.allCases)
    func suggestVendors(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let vendor = try await client.signIn(world.vendorA1)
            let all = try await client.call(.get, "/api/suggest/vendors", as: vendor).json()["data"]?.array ?? []
            let names = all.compactMap { if case .string(let name)? = $0["username"] { name } else { nil } }
            #expect(names == ["admina1", "vendora1"], "a vendor sees their own store's people: \(all)")
            let owner = try await client.signIn(world.ownerA)
            let company = try await client.call(.get, "/api/suggest/vendors", as: owner).json()["data"]?.array ?? []
            #expect(company.count == 4, "an owner sees every store's: \(company)")
            guard case .object(let first)? = all.first else { throw ClusterError("no suggestion") }
            #expect(Set(first.keys) == ["id", "username", "email"])
            let some = try await client.call(.get, "/api/suggest/vendors?q=a2", as: owner).json()["data"]?.array ?? []
            #expect(some.count == 2)
            #expect(try await client.call(.get, "/api/suggest/vendors?q=a2", as: vendor).json()["data"]?.array.isEmpty == true)
            // another company's people are never suggested, and a deactivated account is not either
            let ownerB = try await client.signIn(world.ownerB)
            let theirs = try await client.call(.get, "/api/suggest/vendors", as: ownerB).json()["data"]?.array ?? []
            #expect(theirs.compactMap { if case .string(let name)? = $0["username"] { name } else { nil } } == ["vendorb"])
            let admin = try await client.signIn(world.adminA1)
            #expect(try await client.call(.delete, "/api/users/\(world.vendorA1.id)", as: admin).status == .ok)
            let after = try await client.call(.get, "/api/suggest/vendors", as: admin).json()["data"]?.array ?? []
            #expect(!after.contains { $0["username"] == .string("vendora1") })
        }
    }

    @Test("sales carry vendedor beside vendor, and the vendedor filter works", arguments: Engine.allCases)
    func vendedor(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            _ = try await client.createProduct(as: owner, barcode: "V-1", name: "Bread", quantity: 10)
            let vendor = try await client.signIn(world.vendorA1)
            let sold = try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "V-1", "quantity": 1}"#).json()
            _ = try await client.call(.post, "/api/sales", as: owner, json: #"{"barcode": "V-1", "quantity": 1}"#)
            guard case .int(let id)? = sold["sale_id"] else { throw ClusterError("\(sold)") }
            let detail = try await client.call(.get, "/api/sales/\(id)", as: owner).json()
            #expect(detail["vendedor"] == .string("vendora1") && detail["vendor"] == .string("vendora1"), "\(detail)")
            let filtered = try await client.call(.get, "/api/sales?vendedor=vendora", as: owner).json()
            #expect(filtered["total"] == .int(1) && filtered["data"]?.array.first?["vendedor"] == .string("vendora1"), "\(filtered)")
        }
    }

    @Test("audit answers {total, records} and an entity's {entity_type, entity_id, changes} oldest first", arguments: Engine.allCases)
    func auditShapes(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let id = try await client.createProduct(as: owner, barcode: "AUD-1", name: "Logged jar", quantity: 2, price: 3)
            for price in ["3.5", "4"] {
                #expect(try await client.call(.put, "/api/products/\(id)", as: owner, json: #"{"price": \#(price)}"#).status == .ok)
            }
            let all = try await client.call(.get, "/api/all?action=product_updated", as: owner).json()
            #expect(all["total"] == .int(2))
            let records = all["records"]?.array ?? []
            #expect(records.count == 2)
            let keys: Set<String> = ["id", "user_id", "username", "action", "entity_type", "entity_id", "description", "timestamp", "status"]
            for case .object(let record) in records {
                #expect(Set(record.keys) == keys, "\(record)")
                #expect(record["entity_id"] == .int(id) && record["entity_type"] == .string("product") && record["status"] == .string("success"))
                #expect(record["user_id"] == .int(world.ownerA.id) && record["username"] == .string("admin"))
                #expect(record["description"] == .string("product_updated product \(id)"))
            }
            let mine = try await client.call(.get, "/api/user/\(world.ownerA.id)", as: owner).json()
            #expect(mine["records"]?.array.count == mine["data"]?.array.count && mine["total"] != nil)

            let history = try await client.call(.get, "/api/entity/product/\(id)?action=product_updated", as: owner).json()
            #expect(history["entity_type"] == .string("product") && history["entity_id"] == .int(id))
            let changes = history["changes"]?.array ?? []
            #expect(changes.map { $0["new_value"]?["price"] } == [.double(3.5), .int(4)], "oldest first: \(changes)")
            #expect(changes.first?["old_value"]?["price"] == .int(3) && changes.first?["action"] == .string("product_updated"))
            guard case .object(let change)? = changes.first else {
                Issue.record("no change")
                return
            }
            #expect(Set(change.keys) == ["user_id", "username", "action", "old_value", "new_value", "timestamp", "description"])

            // a refused sign-in is recorded as failed
            #expect(
                try await client.call(.post, "/api/login", as: nil, json: #"{"username": "admin", "password": "wrong-password"}"#).status
                    == .unauthorized)
            let failed = try await client.call(.get, "/api/all?action=login_failed", as: owner).json()
            #expect(failed["records"]?.array.first?["status"] == .string("failed"), "\(failed)")
        }
    }

    @Test("the sale edit form and PUT take and give StockManager's fields: items, vendedor, payment_method", arguments: Engine.allCases)
    func saleEdit(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let tea = try await client.createProduct(as: owner, barcode: "ED-1", name: "Edit tea", quantity: 10, price: 2.5)
            let sold = try await client.call(.post, "/api/sales/bulk", as: vendor, json: #"{"items": [{"item_id": \#(tea), "quantity": 2}]}"#).json()
            guard case .int(let saleID)? = sold["sale_id"] else {
                Issue.record("no sale: \(sold)")
                return
            }

            let form = try await client.call(.get, "/api/sales/\(saleID)/edit", as: owner).json()
            #expect(form["id"] == .int(saleID) && form["vendedor"] == .string("vendora1") && form["payment_method"] == .string("cash"))
            #expect(form["date"] != nil && form["sale"]?["bill_number"] != nil)
            #expect(
                form["items"]
                    == .array([
                        .object([
                            "item_id": .int(tea), "quantity": .int(2), "price": .double(2.5), "name": .string("Edit tea"), "unit_price": .double(2.5),
                            "subtotal": .int(5),
                        ])
                    ]))

            // StockManager's client sends all three; the sale moves to the admin of the same store
            let edited = try await client.call(
                .put, "/api/sales/\(saleID)", as: owner,
                json: """
                    {"items": [{"item_id": \(tea), "quantity": 3}], "vendedor": "ADMINA1", "payment_method": "tarjeta"}
                    """)
            #expect(edited.status == .ok, "\(edited.text)")
            let body = try edited.json()
            #expect(
                body["message"] == .string("Sale updated") && body["vendedor"] == .string("admina1") && body["vendor_id"] == .int(world.adminA1.id))
            #expect(body["payment_method"] == .string("card") && body["total_quantity"] == .int(3))
            #expect(try await world.stock(store: world.storeA1, product: tea) == 7)
            let listed = try await client.call(.get, "/api/sales?vendedor=admina", as: owner).json()
            #expect(listed["data"]?.array.map { $0["id"] } == [.int(saleID)])

            // a seller of another store, or nobody, is refused and nothing changes
            for name in ["vendora2", "nobody-here", "vendorb"] {
                let refused = try await client.call(
                    .put, "/api/sales/\(saleID)", as: owner,
                    json: """
                        {"items": [{"item_id": \(tea), "quantity": 5}], "vendedor": "\(name)", "payment_method": "efectivo"}
                        """)
                let field = try refused.json()["field"]
                #expect(refused.status == .badRequest && field == .string("vendedor"), "\(name): \(refused.text)")
            }
            #expect(try await world.stock(store: world.storeA1, product: tea) == 7)
            #expect(try await client.call(.get, "/api/sales/\(saleID)", as: owner).json()["vendedor"] == .string("admina1"))
            let books = try await world.ledgerProblems()
            #expect(books.mismatches.isEmpty && books.negative == 0)
        }
    }

    @Test("products: status 1/0, PUT status brings one back, view_mode=discontinued, 24 a page", arguments: Engine.allCases)
    func productStatus(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let admin = try await client.signIn(world.adminA1)
            let vendor = try await client.signIn(world.vendorA1)
            var ids: [Int64] = []
            for index in 0..<26 {
                ids.append(try await client.createProduct(as: owner, barcode: "ST-\(index)", name: "Status \(index)", quantity: 3))
            }
            let first = try await client.call(.get, "/api/products/\(ids[0])", as: vendor).json()
            #expect(first["status"] == .int(1))
            let page = try await client.call(.get, "/api/products", as: vendor).json()
            #expect(page["limit"] == .int(24) && page["data"]?.array.count == 24 && page["pages"] == .int(2) && page["total"] == .int(26))
            #expect(try await client.call(.get, "/api/products_all", as: owner).json()["limit"] == .int(50))

            // StockManager's client takes a product off sale and brings it back by its status
            let off = try await client.call(.put, "/api/products/\(ids[1])", as: owner, json: #"{"status": 0, "name": "Status one"}"#)
            #expect(off.status == .ok, "\(off.text)")
            let offBody = try off.json()
            #expect(offBody["status"] == .int(0) && offBody["name"] == .string("Status one") && offBody["message"] != nil)
            let discontinued = try await client.call(.get, "/api/products?view_mode=discontinued", as: owner).json()
            #expect(discontinued["data"]?.array.map { $0["id"] } == [.int(ids[1])] && discontinued["total"] == .int(1))
            #expect(try await client.call(.get, "/api/products_all?view_mode=discontinued", as: admin).json()["total"] == .int(1))
            #expect(try await client.call(.get, "/api/products?view_mode=discontinued", as: vendor).status == .forbidden)
            #expect(try await client.call(.get, "/api/products", as: vendor).json()["total"] == .int(25))
            let back = try await client.call(.put, "/api/products/\(ids[1])", as: owner, json: #"{"status": 1}"#)
            #expect(try back.json()["status"] == .int(1))
            #expect(try await client.call(.get, "/api/products?view_mode=discontinued", as: owner).json()["total"] == .int(0))
            for bad in [#"{"status": 2}"#, #"{"status": "maybe"}"#, #"{"status": true}"#] {
                let refused = try await client.call(.put, "/api/products/\(ids[2])", as: owner, json: bad)
                let field = try refused.json()["field"]
                #expect(refused.status == .badRequest && field == .string("status"), "\(bad): \(refused.text)")
            }
            // an admin's status is their store's: the product is archived there, not disabled for the company, and the
            // admin's StockManager client sees it off sale, lists it as discontinued and brings it back
            let archived = try await client.call(.put, "/api/products/\(ids[3])", as: admin, json: #"{"status": 0}"#)
            #expect(archived.status == .ok, "\(archived.text)")
            #expect(try archived.json()["status"] == .int(0))
            #expect(
                try await client.call(.get, "/api/products?view_mode=archived", as: admin).json()["data"]?.array.map { $0["id"] } == [.int(ids[3])])
            #expect(
                try await client.call(.get, "/api/products?view_mode=discontinued", as: admin).json()["data"]?.array.map { $0["id"] } == [
                    .int(ids[3])
                ])
            #expect(
                try await client.call(.get, "/api/products/\(ids[3])?store_id=\(world.storeA2)", as: owner).json()["status"] == .int(1),
                "still on sale in the other store")
            let restored = try await client.call(.put, "/api/products/\(ids[3])", as: admin, json: #"{"status": 1}"#)
            #expect(try restored.json()["status"] == .int(1), "\(restored.text)")
            // …but not one the owner disabled for the company: 403, and nothing changes
            #expect(try await client.call(.delete, "/api/products/\(ids[4])", as: owner).status == .ok)
            let refused = try await client.call(.put, "/api/products/\(ids[4])", as: admin, json: #"{"status": 1, "name": "Sneaky"}"#)
            let code = try refused.json()["code"]
            #expect(refused.status == .forbidden && code == .string("owner_only"), "\(refused.text)")
            #expect(try await client.call(.get, "/api/products/\(ids[4])", as: owner).json()["name"] == .string("Status 4"))
        }
    }

    @Test("a store's inventory and my-store answer every record, and a window when asked", arguments: Engine.allCases)
    func wholeStoreInventory(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            for index in 0..<12 { _ = try await client.createProduct(as: owner, barcode: "INV-\(index)", name: "Shelf \(index)", quantity: 2) }
            let store = try await client.call(.get, "/api/store-inventory/store/\(world.storeA1)", as: owner).json()
            #expect(store["total"] == .int(12) && store["data"]?.array.count == 12, "more than the 10 a window holds by default")
            let mine = try await client.call(.get, "/api/store-inventory/my-store", as: vendor).json()
            #expect(mine["total"] == .int(12) && mine["data"]?.array.count == 12)
            let window = try await client.call(.get, "/api/store-inventory/store/\(world.storeA1)?limit=5&offset=10", as: owner).json()
            #expect(window["total"] == .int(12) && window["data"]?.array.count == 2)
            #expect(try await client.call(.get, "/api/store-inventory/my-store?limit=0", as: vendor).status == .badRequest)
        }
    }

    @Test("a user edit as StockManager sends it: status 1/0 and a password", arguments: Engine.allCases)
    func userEdit(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let account = "/api/users/\(world.vendorA1.id)"
            let off = try await client.call(.put, account, as: owner, json: #"{"status": 0}"#)
            #expect(try off.json()["status"] == .string("disabled"), "\(off.text)")
            let on = try await client.call(.put, account, as: owner, json: #"{"status": 1, "password": "password-777"}"#)
            #expect(try on.json()["status"] == .string("active"), "\(on.text)")
            _ = try await client.signIn("vendora1", "password-777")
            // a refused password changes nothing else; nor does a status StockManager never sends
            let short = try await client.call(.put, account, as: owner, json: #"{"email": "short@example.com", "password": "abc"}"#)
            let field = try short.json()["field"]
            #expect(short.status == .badRequest && field == .string("password"), "\(short.text)")
            #expect(try await client.call(.get, account, as: owner).json()["email"] == .string("vendora1@example.com"))
            #expect(try await client.call(.put, account, as: owner, json: #"{"status": 2}"#).status == .badRequest)
            #expect(
                try await client.call(.put, "/api/users/\(world.ownerA.id)", as: owner, json: #"{"password": "password-888"}"#).status
                    == .unprocessableContent)
        }
    }
}

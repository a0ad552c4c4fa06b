import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Purchase orders and receiving")
struct PurchaseOrderTests {
    @Test(
        "draft → ordered → partially received → received: stock arrives as receipt movements, the cost averages, nothing more than ordered",
        arguments: Engine.allCases)
    func orderLifecycle(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let admin = try await client.signIn(world.adminA1)
            // 10 units on the shelf at a cost of 6.00
            let yerba = try await client.createProduct(
                as: owner, barcode: "PO-1", name: "Yerba", quantity: 10, price: 12, cost: 6, storeID: world.storeA1)
            let mate = try await client.createProduct(
                as: owner, barcode: "PO-2", name: "Mate", quantity: 0, price: 30, cost: 15, storeID: world.storeA1)
            let supplier = try await client.createSupplier(as: owner, name: "Norte")

            // a draft: numbered per store, lines changeable, checked
            let draft = try await client.call(
                .post, "/api/purchase-orders", as: admin,
                json: #"{"supplier_id": \#(supplier), "notes": "weekly", "lines": [{"product_id": \#(yerba), "quantity": 20, "unit_cost": 7.01}]}"#)
            #expect(draft.status == .created, "\(draft.text)")
            let order = try draft.json()
            let id = try #require(order["id"]?.int)
            #expect(order["status"] == .string("draft") && order["store_id"] == .int(world.storeA1) && order["number"] == .int(1))
            #expect(order["supplier_name"] == .string("Norte") && order["receipts"] == .array([]) && order["total"] == .double(140.2))
            let edited = try await client.call(
                .put, "/api/purchase-orders/\(id)", as: admin,
                json: """
                    {"lines": [{"product_id": \(yerba), "quantity": 20, "unit_cost": 7.01},
                               {"product_id": \(mate), "quantity": 5, "unit_cost": 14.99, "allow_over_receipt": true}]}
                    """)
            #expect(try edited.status == .ok && (edited.json()["lines"]?.array.count) == 2, "\(edited.text)")
            for (body, status) in [
                (#"{"lines": []}"#, HTTPResponse.Status.badRequest),
                (#"{"lines": [{"product_id": \#(yerba), "quantity": 0, "unit_cost": 1}]}"#, .badRequest),
                (#"{"lines": [{"product_id": \#(yerba), "quantity": 1, "unit_cost": 1.001}]}"#, .badRequest),
                (
                    #"{"lines": [{"product_id": \#(yerba), "quantity": 1, "unit_cost": 1}, {"product_id": \#(yerba), "quantity": 2, "unit_cost": 1}]}"#,
                    .badRequest
                ),
                (#"{"lines": [{"product_id": 999999, "quantity": 1, "unit_cost": 1}]}"#, .notFound),
            ] {
                let refused = try await client.call(.put, "/api/purchase-orders/\(id)", as: admin, json: body)
                #expect(refused.status == status, "\(body): \(refused.text)")
            }
            // goods do not arrive against a draft
            let early = try await client.call(
                .post, "/api/purchase-orders/\(id)/receipts", as: admin, json: #"{"lines": [{"product_id": \#(yerba), "quantity": 1}]}"#)
            #expect(try early.status == .conflict && (early.json()["code"]) == .string("order_not_receiving"))

            // placed: the lines are fixed
            let placed = try await client.call(.post, "/api/purchase-orders/\(id)/order", as: admin)
            #expect(try placed.status == .ok && (placed.json()["status"]) == .string("ordered"), "\(placed.text)")
            #expect(try placed.json()["ordered_at"] != .null)
            let late = try await client.call(.put, "/api/purchase-orders/\(id)", as: admin, json: #"{"notes": "x"}"#)
            #expect(try late.status == .conflict && (late.json()["code"]) == .string("order_not_draft"))

            // a first delivery: 8 of 20 by line id, 2 mate by product
            let lines = try placed.json()["lines"]!.array
            let yerbaLine = try #require(lines.first { $0["product_id"] == .int(yerba) }?["id"]?.int)
            let first = try await client.call(
                .post, "/api/purchase-orders/\(id)/receipts", as: admin,
                json: #"{"note": "truck 1", "lines": [{"line_id": \#(yerbaLine), "quantity": 8}, {"product_id": \#(mate), "quantity": 2}]}"#)
            #expect(first.status == .created, "\(first.text)")
            let afterFirst = try first.json()
            #expect(afterFirst["status"] == .string("partially_received") && afterFirst["units_due"] == .int(15))
            #expect(afterFirst["receipts"]?.array.count == 1 && afterFirst["receipts"]?.array.first?["note"] == .string("truck 1"))
            #expect(try await world.stock(store: world.storeA1, product: yerba) == 18)
            #expect(try await world.stock(store: world.storeA1, product: mate) == 2)
            // 10 held at 6.00 and 8 arriving at 7.01: (6000 + 5608) / 18 = 644.888… → 6.45
            let yerbaCost = try await world.averageCost(product: yerba)
            #expect(yerbaCost.average == AverageCost(valueCents: 11_608, units: 18) && yerbaCost.costCents == 645)
            // nothing held: the average is the receipt's cost
            #expect(try await world.averageCost(product: mate).costCents == 1499)
            let movements = try await client.call(.get, "/api/stock-movements?kind=receipt", as: owner).json()
            #expect(movements["total"] == .int(2), "\(movements)")
            let supplied = try await client.call(.get, "/api/products/\(yerba)/suppliers", as: owner).jsonArray()
            #expect(supplied.first?["last_cost"] == .double(7.01))

            // more than is due is refused, with the numbers, and nothing of that delivery is written
            let over = try await client.call(
                .post, "/api/purchase-orders/\(id)/receipts", as: admin,
                json: #"{"lines": [{"product_id": \#(mate), "quantity": 1}, {"line_id": \#(yerbaLine), "quantity": 13}]}"#)
            #expect(over.status == .conflict, "\(over.text)")
            let refusal = try over.json()
            #expect(refusal["code"] == .string("over_receipt") && refusal["received"] == .int(8) && refusal["requested"] == .int(13))
            #expect(try await world.stock(store: world.storeA1, product: mate) == 2)
            // a line not on the order, a line named twice, a line naming nothing: 400
            for body in [
                #"{"lines": [{"product_id": 999999, "quantity": 1}]}"#,
                #"{"lines": [{"product_id": \#(mate), "quantity": 1}, {"product_id": \#(mate), "quantity": 1}]}"#,
                #"{"lines": [{"quantity": 1}]}"#, #"{"lines": []}"#,
            ] {
                let refused = try await client.call(.post, "/api/purchase-orders/\(id)/receipts", as: admin, json: body)
                #expect(refused.status == .badRequest, "\(body): \(refused.text)")
            }

            // the rest, and mate beyond its 5 (its line allows it): received
            let rest = try await client.call(
                .post, "/api/purchase-orders/\(id)/receipts", as: owner,
                json: #"{"lines": [{"line_id": \#(yerbaLine), "quantity": 12}, {"product_id": \#(mate), "quantity": 4}]}"#)
            #expect(rest.status == .created, "\(rest.text)")
            let done = try rest.json()
            #expect(done["status"] == .string("received") && done["units_due"] == .int(0))
            #expect(done["lines"]?.array.first { $0["product_id"] == .int(mate) }?["received"] == .int(6))
            #expect(try await world.stock(store: world.storeA1, product: yerba) == 30)
            let cancelled = try await client.call(.post, "/api/purchase-orders/\(id)/cancel", as: owner)
            #expect(try cancelled.status == .conflict && (cancelled.json()["code"]) == .string("order_closed"))

            // the list, filtered; the other store's admin does not see it; a vendor may not
            let listed = try await client.call(.get, "/api/purchase-orders?status=received", as: owner).json()
            #expect(listed["total"] == .int(1) && listed["data"]?.array.first?["receipts"] == .null)
            #expect(try await client.call(.get, "/api/purchase-orders?status=draft", as: owner).json()["total"] == .int(0))
            #expect(try await client.call(.get, "/api/purchase-orders?status=lost", as: owner).status == .badRequest)
            let otherAdmin = try await client.signIn(world.adminA2)
            #expect(try await client.call(.get, "/api/purchase-orders/\(id)", as: otherAdmin).status == .notFound)
            #expect(try await client.call(.get, "/api/purchase-orders", as: otherAdmin).json()["total"] == .int(0))
            #expect(try await client.call(.get, "/api/purchase-orders", as: try await client.signIn(world.vendorA1)).status == .forbidden)
            #expect(try await client.call(.get, "/api/purchase-orders/\(id)", as: try await client.signIn(world.ownerB)).status == .notFound)

            // a second order in the store takes the next number; cancelling a draft
            let second = try await client.placeOrder(
                as: owner, supplier: supplier, store: world.storeA1, lines: #"{"product_id": \#(yerba), "quantity": 1, "unit_cost": 1}"#)
            #expect(second["number"] == .int(2))
            let secondID = try #require(second["id"]?.int)
            #expect(try await client.call(.post, "/api/purchase-orders/\(secondID)/cancel", as: owner).json()["status"] == .string("cancelled"))
            let problems = try await world.ledgerProblems()
            #expect(problems.mismatches.isEmpty && problems.negative == 0)
        }
    }

    @Test("an inactive supplier takes no new order; an admin orders only for their store; a cost set by hand starts the average again")
    func orderRules() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let admin = try await client.signIn(world.adminA1)
            let product = try await client.createProduct(as: owner, barcode: "PR-1", name: "Harina", quantity: 4, cost: 2, storeID: world.storeA1)
            let supplier = try await client.createSupplier(as: owner, name: "Molino")
            let line = #"{"product_id": \#(product), "quantity": 4, "unit_cost": 3}"#
            let elsewhere = try await client.call(
                .post, "/api/purchase-orders", as: admin, json: #"{"supplier_id": \#(supplier), "store_id": \#(world.storeA2), "lines": [\#(line)]}"#)
            #expect(elsewhere.status == .forbidden)
            let order = try await client.placeOrder(as: owner, supplier: supplier, store: world.storeA1, lines: line)
            let id = try #require(order["id"]?.int)
            _ = try await client.call(
                .post, "/api/purchase-orders/\(id)/receipts", as: owner, json: #"{"lines": [{"product_id": \#(product), "quantity": 4}]}"#)
            // 4 at 2.00 and 4 at 3.00
            #expect(try await world.averageCost(product: product).costCents == 250)
            // the owner sets the cost by hand: the next receipt averages from it
            #expect(try await client.call(.put, "/api/products/\(product)", as: owner, json: #"{"cost": 4}"#).status == .ok)
            #expect(try await world.averageCost(product: product).average == AverageCost(valueCents: 0, units: 0))
            let next = try await client.placeOrder(as: owner, supplier: supplier, store: world.storeA1, lines: line)
            _ = try await client.call(
                .post, "/api/purchase-orders/\(next["id"]!.int!)/receipts", as: owner,
                json: #"{"lines": [{"product_id": \#(product), "quantity": 4}]}"#)
            // 8 held at 4.00 and 4 at 3.00: 44 / 12 = 3.666… → 3.67
            #expect(try await world.averageCost(product: product).costCents == 367)
            // the history keeps every cost the product had: opening, receipt, edit, receipt
            let reasons = try await world.database.read { db in
                try await db.raw("SELECT reason FROM product_cost_changes WHERE product_id = \(bind: product) ORDER BY id").all(
                    decodingColumn: "reason", as: String.self)
            }
            #expect(reasons == ["opening", "receipt", "edit", "receipt"])
            #expect(try await client.call(.put, "/api/suppliers/\(supplier)", as: owner, json: #"{"is_active": false}"#).status == .ok)
            let inactive = try await client.call(
                .post, "/api/purchase-orders", as: owner, json: #"{"supplier_id": \#(supplier), "lines": [\#(line)]}"#)
            #expect(try inactive.status == .badRequest && (inactive.json()["field"]) == .string("supplier_id"), "\(inactive.text)")
        }
    }

    @Test("receivers racing on one order line never receive more than was ordered; the books balance", arguments: Engine.allCases)
    func parallelReceivers(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "RR-1", name: "Arroz", quantity: 0, cost: 1, storeID: world.storeA1)
            let supplier = try await client.createSupplier(as: owner, name: "Arrocera")
            let order = try await client.placeOrder(
                as: owner, supplier: supplier, store: world.storeA1, lines: #"{"product_id": \#(product), "quantity": 25, "unit_cost": 1.37}"#)
            let id = try #require(order["id"]?.int)
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, Int64).self) { group in
                for index in 0..<30 {
                    let quantity = Int64(1 + index % 3)
                    group.addTask {
                        let response = try await client.call(
                            .post, "/api/purchase-orders/\(id)/receipts", as: owner,
                            json: #"{"lines": [{"product_id": \#(product), "quantity": \#(quantity)}]}"#)
                        return (response.status, quantity)
                    }
                }
                return try await group.reduce(into: [(HTTPResponse.Status, Int64)]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0.0 == .created || $0.0 == .conflict }, "\(statuses)")
            #expect(statuses.contains { $0.0 == .conflict }, "60 units asked of 25: some must be refused")
            let accepted = statuses.filter { $0.0 == .created }.reduce(0) { $0 + $1.1 }
            let stock = try await world.stock(store: world.storeA1, product: product) ?? 0
            #expect(accepted <= 25 && stock == accepted)
            let final = try await client.call(.get, "/api/purchase-orders/\(id)", as: owner).json()
            #expect(final["lines"]?.array.first?["received"] == .int(accepted))
            #expect(final["receipts"]?.array.count == statuses.filter { $0.0 == .created }.count)
            // every unit arrived at 1.37 on an empty shelf: the average is exactly that
            #expect(try await world.averageCost(product: product).average == AverageCost(valueCents: 137 * accepted, units: accepted))
            let problems = try await world.ledgerProblems()
            #expect(problems.mismatches.isEmpty && problems.negative == 0)
        }
    }

    @Test("the store's admins, the owners and the receiver hear of goods received, in their language; the other store's admin does not")
    func receiptNotifications() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let admin = try await client.signIn(world.adminA1)
            let otherAdmin = try await client.signIn(world.adminA2)
            let product = try await client.createProduct(as: owner, barcode: "NT-1", name: "Té", quantity: 0, storeID: world.storeA1)
            let supplier = try await client.createSupplier(as: owner, name: "Tealera")
            let order = try await client.placeOrder(
                as: owner, supplier: supplier, store: world.storeA1, lines: #"{"product_id": \#(product), "quantity": 10, "unit_cost": 2}"#)
            let id = try #require(order["id"]?.int)
            _ = try await client.call(.put, "/api/settings/language", as: admin, json: #"{"language": "es"}"#)
            let receipt = try await client.call(
                .post, "/api/purchase-orders/\(id)/receipts", as: owner, json: #"{"lines": [{"product_id": \#(product), "quantity": 4}]}"#)
            #expect(receipt.status == .created)
            let ownerNote = try await notification(client, owner, titled: "Goods received")
            guard case .string(let message)? = ownerNote?["message"] else { throw ClusterError("no message in \(String(describing: ownerNote))") }
            #expect(message.hasPrefix("4 units from Tealera arrived at ") && message.hasSuffix(" (order #1)."), "\(message)")
            #expect(ownerNote?["action_url"] == .string("/purchase-orders/\(id)"))
            let adminNote = try await notification(client, admin, titled: "Mercadería recibida")
            #expect(adminNote != nil)
            _ = try await client.call(
                .post, "/api/purchase-orders/\(id)/receipts", as: owner, json: #"{"lines": [{"product_id": \#(product), "quantity": 6}]}"#)
            #expect(try await notification(client, owner, titled: "Order received") != nil)
            let others = try await client.call(.get, "/api/notifications/all", as: otherAdmin).jsonArray()
            #expect(!others.contains { $0["action_url"] == .string("/purchase-orders/\(id)") })
        }
    }

    /// The caller's newest notification titled `title`, waiting up to 10 s for the triggers (they run after commit).
    func notification(_ client: some TestClientProtocol, _ session: SignedIn, titled title: String) async throws -> JSONValue? {
        for _ in 0..<200 {
            if let found = try await client.call(.get, "/api/notifications/all", as: session).jsonArray().first(where: {
                $0["title"] == .string(title)
            }) {
                return found
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("no notification titled \(title)")
        return nil
    }

    @Test("a receipt sent again with its Idempotency-Key after a lost answer is received once")
    func retriedReceipt() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "IK-1", name: "Aceite", quantity: 0, storeID: world.storeA1)
            let supplier = try await client.createSupplier(as: owner, name: "Aceitera")
            let order = try await client.placeOrder(
                as: owner, supplier: supplier, store: world.storeA1, lines: #"{"product_id": \#(product), "quantity": 10, "unit_cost": 2}"#)
            let id = try #require(order["id"]?.int)
            let body = #"{"lines": [{"product_id": \#(product), "quantity": 4}]}"#
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "truck-7-delivery"]
            let first = try await client.call(.post, "/api/purchase-orders/\(id)/receipts", as: owner, json: body, headers: key)
            let again = try await client.call(.post, "/api/purchase-orders/\(id)/receipts", as: owner, json: body, headers: key)
            #expect(first.status == .created && again.status == .created)
            #expect(first.text == again.text)
            #expect(try await world.stock(store: world.storeA1, product: product) == 4)
        }
    }
}

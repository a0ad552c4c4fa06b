import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Transfers in two steps")
struct TransferTests {
    @Test("dispatched, in transit, received in parts with a loss: the ledger says so at every step", arguments: Engine.allCases)
    func twoSteps(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let adminA1 = try await client.signIn(world.adminA1)
            let adminA2 = try await client.signIn(world.adminA2)
            let cola = try await client.createProduct(as: owner, barcode: "TR-1", name: "Cola", quantity: 30, storeID: world.storeA1)
            let chips = try await client.createProduct(as: owner, barcode: "TR-2", name: "Chips", quantity: 8, storeID: world.storeA1)
            // the products are carried by both stores
            for product in [cola, chips] {
                _ = try await client.call(
                    .patch, "/api/store-inventory/stock", as: owner, json: #"{"productId": \#(product), "storeId": \#(world.storeA2), "stock": 0}"#)
            }

            let sent = try await client.call(
                .post, "/api/transfers", as: adminA1,
                json: """
                    {"from_store_id": \(world.storeA1), "to_store_id": \(world.storeA2), "note": "Weekend",
                     "lines": [{"product_id": \(cola), "quantity": 10}, {"product_id": \(chips), "quantity": 5}]}
                    """)
            #expect(sent.status == .created, "\(sent.text)")
            let transfer = try sent.json()
            let id = try #require(transfer["id"]?.int)
            #expect(transfer["status"] == .string("in_transit") && transfer["units"] == .int(15) && transfer["units_in_transit"] == .int(15))
            #expect(try await world.stock(store: world.storeA1, product: cola) == 20)
            #expect(try await world.stock(store: world.storeA2, product: cola) == 0)
            let inTransit = try await client.call(.get, "/api/transfers/in-transit?store_id=\(world.storeA2)", as: owner).jsonArray()
            #expect(inTransit.map { $0["product_id"] } == [.int(chips), .int(cola)] && inTransit.map { $0["quantity"] } == [.int(5), .int(10)])
            #expect(try await client.call(.get, "/api/transfers/in-transit", as: adminA2).jsonArray().count == 2)
            try await expectBooksBalance(world)

            // the sending store may not take it in; the receiving one does, in parts
            let wrongEnd = try await client.call(
                .post, "/api/transfers/\(id)/receipts", as: adminA1, json: #"{"lines": [{"product_id": \#(cola), "received": 1}]}"#)
            #expect(wrongEnd.status == .forbidden)
            let first = try await client.call(
                .post, "/api/transfers/\(id)/receipts", as: adminA2, json: #"{"lines": [{"product_id": \#(cola), "received": 6}]}"#)
            #expect(first.status == .created, "\(first.text)")
            #expect(try first.json()["status"] == .string("partially_received") && first.json()["units_in_transit"] == .int(9))
            #expect(try await world.stock(store: world.storeA2, product: cola) == 6)
            try await expectBooksBalance(world)

            // more than is in transit, or a loss without its reason, is refused and changes nothing
            let over = try await client.call(
                .post, "/api/transfers/\(id)/receipts", as: adminA2, json: #"{"lines": [{"product_id": \#(cola), "received": 5}]}"#)
            #expect(try over.status == .conflict && over.json()["code"] == .string("over_receipt") && over.json()["in_transit"] == .int(4))
            let noReason = try await client.call(
                .post, "/api/transfers/\(id)/receipts", as: adminA2, json: #"{"lines": [{"product_id": \#(cola), "received": 3, "lost": 1}]}"#)
            #expect(try noReason.status == .badRequest && noReason.json()["field"] == .string("reason"))

            let rest = try await client.call(
                .post, "/api/transfers/\(id)/receipts", as: adminA2,
                json: """
                    {"note": "van 2", "lines": [{"product_id": \(cola), "received": 3, "lost": 1, "reason": "Crushed can"},
                                                {"product_id": \(chips), "received": 5}]}
                    """)
            #expect(rest.status == .created, "\(rest.text)")
            let done = try rest.json()
            #expect(done["status"] == .string("received") && done["units_in_transit"] == .int(0) && done["units_lost"] == .int(1))
            #expect(done["receipts"]?.array.count == 2 && done["received_at"] != .null)
            #expect(try await world.stock(store: world.storeA2, product: cola) == 9)
            #expect(try await world.stock(store: world.storeA2, product: chips) == 5)
            #expect(try await client.call(.get, "/api/transfers/in-transit", as: owner).jsonArray().isEmpty)
            let again = try await client.call(
                .post, "/api/transfers/\(id)/receipts", as: adminA2, json: #"{"lines": [{"product_id": \#(cola), "received": 1}]}"#)
            #expect(try again.status == .conflict && again.json()["code"] == .string("transfer_received"))

            // the ledger: out 10, in 6, in 4 and 1 lost with its reason
            let movements = try await client.call(.get, "/api/stock-movements?product_id=\(cola)&limit=50", as: owner).json()["data"]?.array ?? []
            let kinds = movements.filter { $0["reference"] == done["reference"] }.map { "\($0["kind"]!)\($0["delta"]!)" }.sorted()
            #expect(
                kinds == [
                    #"string("transfer_in")int(4)"#, #"string("transfer_in")int(6)"#, #"string("transfer_loss")int(-1)"#,
                    #"string("transfer_out")int(-10)"#,
                ], "\(kinds)")
            #expect(movements.contains { $0["kind"] == .string("transfer_loss") && $0["reason"] == .string("Crushed can") })
            try await expectBooksBalance(world)

            // the list: filters, admins see what leaves or reaches their store, vendors nothing, another company none
            #expect(try await client.call(.get, "/api/transfers?status=received&to_store_id=\(world.storeA2)", as: owner).json()["total"] == .int(1))
            #expect(try await client.call(.get, "/api/transfers?status=in_transit", as: owner).json()["total"] == .int(0))
            #expect(try await client.call(.get, "/api/transfers", as: adminA2).json()["total"] == .int(1))
            #expect(try await client.call(.get, "/api/transfers", as: try await client.signIn(world.vendorA1)).status == .forbidden)
            #expect(try await client.call(.get, "/api/transfers/\(id)", as: try await client.signIn(world.ownerB)).status == .notFound)
        }
    }

    @Test("refusals: one store, another admin's store, a short shelf, a line not sent, a closed store")
    func refusals() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let adminA2 = try await client.signIn(world.adminA2)
            let product = try await client.createProduct(as: owner, barcode: "TF-1", name: "Té", quantity: 3, storeID: world.storeA1)
            _ = try await client.call(
                .patch, "/api/store-inventory/stock", as: owner, json: #"{"productId": \#(product), "storeId": \#(world.storeA2), "stock": 0}"#)
            func send(_ session: SignedIn, from: Int64, to: Int64, quantity: Int) async throws -> TestResponse {
                try await client.call(
                    .post, "/api/transfers", as: session,
                    json: #"{"from_store_id": \#(from), "to_store_id": \#(to), "lines": [{"product_id": \#(product), "quantity": \#(quantity)}]}"#)
            }
            let same = try await send(owner, from: world.storeA1, to: world.storeA1, quantity: 1)
            #expect(try same.status == .badRequest && same.json()["field"] == .string("to_store_id"), "\(same.text)")
            #expect(try await send(adminA2, from: world.storeA1, to: world.storeA2, quantity: 1).status == .forbidden)
            let short = try await send(owner, from: world.storeA1, to: world.storeA2, quantity: 4)
            #expect(try short.status == .conflict && short.json()["code"] == .string("insufficient_stock") && short.json()["available"] == .int(3))
            #expect(try await world.stock(store: world.storeA1, product: product) == 3)
            let zero = try await send(owner, from: world.storeA1, to: world.storeA2, quantity: 0)
            #expect(try zero.status == .badRequest && zero.json()["field"] == .string("quantity"))
            let sent = try await send(owner, from: world.storeA1, to: world.storeA2, quantity: 2)
            let id = try #require(try sent.json()["id"]?.int)
            let notOnIt = try await client.call(
                .post, "/api/transfers/\(id)/receipts", as: adminA2, json: #"{"lines": [{"product_id": 999999, "received": 1}]}"#)
            #expect(notOnIt.status == .badRequest)
            // numbers that would overflow when added are refused, not trusted
            let huge = try await client.call(
                .post, "/api/transfers/\(id)/receipts", as: adminA2,
                json: #"{"lines": [{"product_id": \#(product), "received": 9223372036854775807, "lost": 1, "reason": "x"}]}"#)
            #expect(try huge.status == .badRequest && huge.json()["field"] == .string("received"), "\(huge.text)")
            #expect(try await client.call(.put, "/api/stores/deactivate/\(world.storeA2)", as: owner).status == .ok)
            let closed = try await client.call(
                .post, "/api/transfers/\(id)/receipts", as: owner, json: #"{"lines": [{"product_id": \#(product), "received": 2}]}"#)
            #expect(try closed.status == .badRequest && closed.json()["code"] == .string("store_inactive"), "\(closed.text)")
            try await expectBooksBalance(world)
        }
    }

    @Test("receivers racing on one transfer never take in more than was sent", arguments: Engine.allCases)
    func parallelReceivers(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "TP-1", name: "Pan", quantity: 40, storeID: world.storeA1)
            _ = try await client.call(
                .patch, "/api/store-inventory/stock", as: owner, json: #"{"productId": \#(product), "storeId": \#(world.storeA2), "stock": 0}"#)
            let sent = try await client.call(
                .post, "/api/transfers", as: owner,
                json:
                    #"{"from_store_id": \#(world.storeA1), "to_store_id": \#(world.storeA2), "lines": [{"product_id": \#(product), "quantity": 20}]}"#
            )
            let id = try #require(try sent.json()["id"]?.int)
            let outcomes = try await withThrowingTaskGroup(of: (HTTPResponse.Status, Int64).self) { group in
                for index in 0..<24 {
                    let (received, lost) = (Int64(1 + index % 2), Int64(index % 3 == 0 ? 1 : 0))
                    group.addTask {
                        let response = try await client.call(
                            .post, "/api/transfers/\(id)/receipts", as: owner,
                            json: #"{"lines": [{"product_id": \#(product), "received": \#(received), "lost": \#(lost), "reason": "dented"}]}"#)
                        return (response.status, received)
                    }
                }
                return try await group.reduce(into: [(HTTPResponse.Status, Int64)]()) { $0.append($1) }
            }
            #expect(outcomes.allSatisfy { $0.0 == .created || $0.0 == .conflict }, "\(outcomes)")
            let transfer = try await client.call(.get, "/api/transfers/\(id)", as: owner).json()
            let line = try #require(transfer["lines"]?.array.first)
            let received = try #require(line["received"]?.int)
            let lost = try #require(line["lost"]?.int)
            #expect(received + lost <= 20 && line["in_transit"]?.int == 20 - received - lost)
            #expect(try await world.stock(store: world.storeA2, product: product) == received)
            #expect(outcomes.filter { $0.0 == .created }.reduce(0) { $0 + $1.1 } == received)
            try await expectBooksBalance(world)
        }
    }

    @Test("Credith's one-step transfer is a transfer dispatched and received at once, listed with its reference")
    func oneStep() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "T1-1", name: "Agua", quantity: 9, storeID: world.storeA1)
            _ = try await client.call(
                .patch, "/api/store-inventory/stock", as: owner, json: #"{"productId": \#(product), "storeId": \#(world.storeA2), "stock": 0}"#)
            let moved = try await client.call(
                .post, "/api/store-inventory/transfer", as: owner,
                json: #"{"productId": \#(product), "fromStoreId": \#(world.storeA1), "toStoreId": \#(world.storeA2), "quantity": 4}"#)
            #expect(moved.status == .ok, "\(moved.text)")
            let reference = try #require(try moved.json()["reference"])
            let listed = try await client.call(.get, "/api/transfers", as: owner).json()["data"]?.array ?? []
            #expect(listed.count == 1 && listed.first?["reference"] == reference && listed.first?["status"] == .string("received"))
            #expect(listed.first?["units_in_transit"] == .int(0))
            #expect(try await world.stock(store: world.storeA2, product: product) == 4)
            let audit = try await client.call(.get, "/api/entity/product/\(product)", as: owner)
            #expect(audit.text.contains("stock_transferred") && !audit.text.contains("stock_dispatched"))
            try await expectBooksBalance(world)
        }
    }

    @Test("units in transit count among the units held when a receipt moves the average cost")
    func transitInTheAverage() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "TC-1", name: "Vino", quantity: 10, cost: 5, storeID: world.storeA1)
            _ = try await client.call(
                .patch, "/api/store-inventory/stock", as: owner, json: #"{"productId": \#(product), "storeId": \#(world.storeA2), "stock": 0}"#)
            _ = try await client.call(
                .post, "/api/transfers", as: owner,
                json:
                    #"{"from_store_id": \#(world.storeA1), "to_store_id": \#(world.storeA2), "lines": [{"product_id": \#(product), "quantity": 4}]}"#)
            let supplier = try await client.createSupplier(as: owner, name: "Bodega")
            let order = try await client.placeOrder(
                as: owner, supplier: supplier, store: world.storeA1, lines: #"{"product_id": \#(product), "quantity": 10, "unit_cost": 8}"#)
            _ = try await client.call(
                .post, "/api/purchase-orders/\(order["id"]!.int!)/receipts", as: owner,
                json: #"{"lines": [{"product_id": \#(product), "quantity": 10}]}"#)
            // 6 on the shelf and 4 on the road at 5.00, 10 arriving at 8.00: 130.00 / 20 = 6.50
            #expect(try await world.averageCost(product: product).costCents == 650)
        }
    }

    @Test("notifications: stock on its way to the receiving store, a short transfer to the sender")
    func notifications() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let adminA1 = try await client.signIn(world.adminA1)
            let adminA2 = try await client.signIn(world.adminA2)
            let product = try await client.createProduct(as: owner, barcode: "TN-1", name: "Queso", quantity: 5, storeID: world.storeA1)
            _ = try await client.call(
                .patch, "/api/store-inventory/stock", as: owner, json: #"{"productId": \#(product), "storeId": \#(world.storeA2), "stock": 0}"#)
            let sent = try await client.call(
                .post, "/api/transfers", as: adminA1,
                json:
                    #"{"from_store_id": \#(world.storeA1), "to_store_id": \#(world.storeA2), "lines": [{"product_id": \#(product), "quantity": 3}]}"#)
            let id = try #require(try sent.json()["id"]?.int)
            #expect(try await PurchaseOrderTests().notification(client, adminA2, titled: "Stock on its way") != nil)
            _ = try await client.call(
                .post, "/api/transfers/\(id)/receipts", as: adminA2,
                json: #"{"lines": [{"product_id": \#(product), "received": 2, "lost": 1, "reason": "Broken"}]}"#)
            let short = try await PurchaseOrderTests().notification(client, adminA1, titled: "Transfer short")
            #expect(short?["action_url"] == .string("/transfers/\(id)"))
        }
    }

    /// The books balance: every level its ledger, every transfer line its movements, nothing negative.
    func expectBooksBalance(_ world: ShopWorld, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let problems = try await world.ledgerProblems()
        #expect(problems.mismatches.isEmpty && problems.negative == 0 && problems.transit.isEmpty, "\(problems)", sourceLocation: sourceLocation)
    }
}

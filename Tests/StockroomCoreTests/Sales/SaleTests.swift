import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Sales and bills")
struct SaleTests {
    @Test("single and bulk sales answer StockManager's shapes; bad input and unsellable products are refused", arguments: Engine.allCases)
    func selling(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let tea = try await client.createProduct(as: owner, barcode: "TEA", name: "Tea", quantity: 10, price: 4.25, cost: 2)
            let sold = try await client.call(
                .post, "/api/sales", as: vendor, json: #"{"barcode": "TEA", "quantity": 2, "payment_method": "tarjeta"}"#)
            #expect(sold.status == .created)
            let body = try sold.json()
            #expect(body["message"] != nil && body["product"] == .string("Tea") && body["quantity"] == .int(2) && body["total"] == .double(8.5))
            for (json, status) in [
                (#"{"barcode": "TEA", "quantity": 0}"#, 400), (#"{"barcode": "TEA", "quantity": -1}"#, 400),
                (#"{"barcode": "TEA", "quantity": 1.5}"#, 400), (#"{"barcode": "NOPE", "quantity": 1}"#, 404),
                (#"{"barcode": "TEA", "quantity": 9}"#, 409), (#"{"barcode": "TEA", "quantity": 1, "payment_method": "shells"}"#, 400),
            ] {
                let response = try await client.call(.post, "/api/sales", as: vendor, json: json)
                #expect(Int(response.status.code) == status, "\(json) → \(response.text)")
            }
            let shortage = try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "TEA", "quantity": 9}"#).json()
            #expect(shortage["product_id"] == .int(tea) && shortage["requested"] == .int(9) && shortage["available"] == .int(8))
            // disabled or archived products cannot be sold
            _ = try await client.call(.delete, "/api/products/\(tea)?storeId=\(world.storeA1)", as: owner)
            #expect(try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "TEA", "quantity": 1}"#).status == .notFound)
            _ = try await client.call(.post, "/api/products/\(tea)/activate?storeId=\(world.storeA1)", as: owner)
            _ = try await client.call(.delete, "/api/products/\(tea)", as: owner)
            #expect(
                try await client.call(.post, "/api/sales/bulk", as: vendor, json: #"{"items": [{"item_id": \#(tea), "quantity": 1}]}"#).status
                    == .notFound)
            _ = try await client.call(.post, "/api/products/\(tea)/activate", as: owner)
            #expect(try await client.call(.post, "/api/sales/bulk", as: vendor, json: #"{"items": []}"#).status == .badRequest)

            // lists: vendors see their own sales, owners all; the contract's item fields
            _ = try await client.call(.post, "/api/sales", as: owner, json: #"{"barcode": "TEA", "quantity": 1}"#)
            let mine = try await client.call(.get, "/api/sales", as: vendor).json()
            #expect(mine["total"] == .int(1) && mine["limit"] == .int(10))
            let item = try #require(mine["data"]?.array.first)
            for key in ["id", "date", "products", "total_quantity", "total", "vendor", "payment_method", "store_id", "status"] {
                #expect(item[key] != nil, "sale item lacks \(key)")
            }
            #expect(item["payment_method"] == .string("card") && item["vendor"] == .string("vendora1"))
            #expect(try await client.call(.get, "/api/sales", as: owner).json()["total"] == .int(2))
            #expect(try await client.call(.get, "/api/sales?vendor=admin", as: owner).json()["total"] == .int(1))
            #expect(try await client.call(.get, "/api/sales?product=tea", as: owner).json()["total"] == .int(2))
            #expect(try await client.call(.get, "/api/sales?product=coffee", as: owner).json()["total"] == .int(0))
            let ownerB = try await client.signIn(world.ownerB)
            #expect(try await client.call(.get, "/api/sales", as: ownerB).json()["total"] == .int(0))
            guard case .int(let saleID)? = item["id"] else { throw ClusterError("\(item)") }
            #expect(try await client.call(.get, "/api/sales/\(saleID)", as: ownerB).status == .notFound)
            #expect(try await client.call(.post, "/api/sales/\(saleID)/void", as: vendor).status == .forbidden)
        }
    }

    @Test(
        "a sale's records: its bill number in the audit log, one ledger row per product, the totals; a refusal leaves nothing",
        arguments: Engine.allCases)
    func saleRecords(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let tea = try await client.createProduct(as: owner, barcode: "TEA", name: "Tea", quantity: 10, price: 4, cost: 2)
            let cake = try await client.createProduct(as: owner, barcode: "CAKE", name: "Cake", quantity: 3, price: 5, cost: 1)
            var sales: [Int64] = []
            // (PostgreSQL writes the contended rows in one call after the sale's own rows: bills, ledger, audit the same)
            for body in [
                #"{"items": [{"item_id": \#(cake), "quantity": 1}, {"item_id": \#(tea), "quantity": 2},"#
                    + #" {"item_id": \#(tea), "quantity": 1, "discountPercentage": 50}]}"#,
                #"{"items": [{"item_id": \#(tea), "quantity": 1}]}"#,
            ] {
                let sold = try await client.call(.post, "/api/sales/bulk", as: vendor, json: body)
                try #require(sold.status == .created, "\(sold.text)")
                guard case .int(let id)? = try sold.json()["sale_id"] else { throw ClusterError(sold.text) }
                sales.append(id)
            }
            let refused = try await client.call(
                .post, "/api/sales/bulk", as: vendor,
                json: #"{"items": [{"item_id": \#(tea), "quantity": 1}, {"item_id": \#(cake), "quantity": 3}]}"#)
            #expect(refused.status == .conflict)
            #expect(try refused.json()["product_id"] == .int(cake) && (try refused.json()["available"]) == .int(2))
            for (index, sale) in sales.enumerated() {
                #expect(try await client.call(.get, "/api/sales/\(sale)", as: owner).json()["bill_number"] == .int(Int64(index + 1)))
                let changes = try await client.call(.get, "/api/entity/sale/\(sale)", as: owner).json()["changes"]?.array ?? []
                #expect(changes.count == 1 && changes.first?["new_value"]?["bill_number"] == .int(Int64(index + 1)), "\(changes)")
            }
            let ledger = try await world.database.read { db in
                try await db.raw(
                    """
                    SELECT reference, product_id, delta, stock_after FROM stock_movements WHERE kind = 'sale' ORDER BY id
                    """
                ).all().map { row in
                    [
                        try row.decode(column: "reference", as: String.self), String(try row.decode(column: "product_id", as: Int64.self)),
                        String(try row.decode(column: "delta", as: Int64.self)), String(try row.decode(column: "stock_after", as: Int64.self)),
                    ]
                }
            }
            // the same product on two lines (two discounts) leaves the shelf in one row; products in id order
            #expect(
                ledger == [
                    ["sale:\(sales[0])", "\(tea)", "-3", "7"], ["sale:\(sales[0])", "\(cake)", "-1", "2"],
                    ["sale:\(sales[1])", "\(tea)", "-1", "6"],
                ])
            #expect(try await world.stock(store: world.storeA1, product: tea) == 6)
            let metrics = try await client.call(.get, "/api/metrics?period=1", as: owner).json()
            #expect(metrics["kpis"]?["totalSales"] == .int(2) && metrics["kpis"]?["unitsSold"] == .int(5))
            #expect(metrics["vendors"]?.array.first?["sales"] == .int(2))
        }
    }

    @Test("edits and voids restore and re-apply stock; unchanged lines keep their captured prices")
    func editsAndVoids() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let tea = try await client.createProduct(as: owner, barcode: "T", name: "Tea", quantity: 20, price: 5)
            let cake = try await client.createProduct(as: owner, barcode: "C", name: "Cake", quantity: 20, price: 7)
            let jam = try await client.createProduct(as: owner, barcode: "J", name: "Jam", quantity: 20, price: 3)
            let sale = try await client.call(
                .post, "/api/sales/bulk", as: owner,
                json: #"{"items": [{"item_id": \#(tea), "quantity": 4}, {"item_id": \#(cake), "quantity": 2}]}"#
            ).json()
            guard case .int(let id)? = sale["sale_id"] else { throw ClusterError("\(sale)") }
            // the catalog price changes later; the sale's tea keeps 5
            _ = try await client.call(.put, "/api/products/\(tea)", as: owner, json: #"{"price": 9}"#)
            let form = try await client.call(.get, "/api/sales/\(id)/edit", as: owner).json()
            #expect(form["items"]?.array.count == 2)

            // shape 1: fewer tea, drop the cake, add jam
            let edited = try await client.call(
                .put, "/api/sales/\(id)", as: owner,
                json: """
                    {"items": [{"item_id": \(tea), "quantity": 1}, {"item_id": \(jam), "quantity": 5}], "payment_method": "card"}
                    """)
            #expect(edited.status == .ok)
            let editedBody = try edited.json()
            #expect(editedBody["total"] == .int(20), "1 × 5 (kept price) + 5 × 3")
            #expect(editedBody["payment_method"] == .string("card"))
            #expect(try await world.stock(store: world.storeA1, product: tea) == 19)
            #expect(try await world.stock(store: world.storeA1, product: cake) == 20)
            #expect(try await world.stock(store: world.storeA1, product: jam) == 15)
            // shape 2: more than there is → 409 and nothing changes
            let tooMany = try await client.call(.put, "/api/sales/\(id)", as: owner, json: #"{"items": [{"item_id": \#(jam), "quantity": 21}]}"#)
            #expect(tooMany.status == .conflict)
            #expect(try await world.stock(store: world.storeA1, product: jam) == 15)
            // shape 3: the same product twice is one line
            let merged = try await client.call(
                .put, "/api/sales/\(id)", as: owner,
                json: #"{"items": [{"item_id": \#(cake), "quantity": 1}, {"item_id": \#(cake), "quantity": 2}]}"#
            ).json()
            #expect(merged["products"]?.array.count == 1 && merged["total_quantity"] == .int(3))
            #expect(try await world.stock(store: world.storeA1, product: jam) == 20)
            #expect(try await world.stock(store: world.storeA1, product: tea) == 20)
            #expect(try await world.stock(store: world.storeA1, product: cake) == 17)

            // void puts everything back; a voided sale cannot be voided or edited again
            let voided = try await client.call(.post, "/api/sales/\(id)/void", as: owner).json()
            #expect(voided["status"] == .string("voided"))
            #expect(try await world.stock(store: world.storeA1, product: cake) == 20)
            #expect(try await client.call(.post, "/api/sales/\(id)/void", as: owner).status == .conflict)
            #expect(
                try await client.call(.put, "/api/sales/\(id)", as: owner, json: #"{"items": [{"item_id": \#(tea), "quantity": 1}]}"#).status
                    == .conflict)
            let kinds = try await client.call(.get, "/api/stock-movements?product_id=\(cake)", as: owner).json()["data"]?.array.compactMap {
                $0["kind"]
            }
            #expect(kinds == [.string("void"), .string("sale_edit"), .string("sale_edit"), .string("sale"), .string("opening")])
            let problems = try await world.ledgerProblems()
            #expect(problems.mismatches.isEmpty && problems.negative == 0)
        }
    }

    @Test("bills: Credith's shape, server prices, discounts, tax from company settings, per-store numbers")
    func bills() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let milk = try await client.createProduct(as: owner, barcode: "M", name: "Milk", quantity: 50, price: 10, cost: 6)
            let tax = try await client.call(.put, "/api/settings/company", as: owner, json: #"{"tax_rate": 16, "prices_include_tax": false}"#)
            let settings = try tax.json()
            #expect(
                tax.status == .ok && settings["tax_rate"] == .int(16) && settings["prices_include_tax"] == .bool(false)
                    && settings["currency"] == .string("EUR"))
            let admin = try await client.signIn(world.adminA1)
            #expect(
                try await client.call(.put, "/api/settings/company", as: admin, json: #"{"tax_rate": 0, "prices_include_tax": false}"#).status
                    == .forbidden)
            #expect(
                try await client.call(.put, "/api/settings/company", as: owner, json: #"{"tax_rate": 101, "prices_include_tax": false}"#).status
                    == .badRequest)
            let response = try await client.call(
                .post, "/api/bills", as: owner,
                json: """
                    {"storeId": \(world.storeA1), "paymentType": "CASH", "customer": "Ana",
                     "details": [{"productId": \(milk), "quantity": 3, "discountPercentage": 10, "unitPrice": 0.01}], "discountAmount": 2}
                    """)
            #expect(response.status == .created)
            let bill = try response.json()
            #expect(bill["billNumber"] == .int(1) && bill["paymentType"] == .string("CASH") && bill["customer"] == .string("Ana"))
            #expect(bill["subtotal"] == .int(27), "3 × 10 less 10 % — the client's unitPrice is ignored")
            #expect(bill["discountAmount"] == .int(2) && bill["taxAmount"] == .int(4) && bill["total"] == .int(29), "16 % of 25")
            #expect(bill["details"]?.array.first?["unitPrice"] == .int(10))
            guard case .int(let billID)? = bill["billId"] else { throw ClusterError("\(bill)") }
            #expect(try await client.call(.get, "/api/bills/\(billID)", as: owner).json()["total"] == .int(29))
            #expect(try await client.call(.get, "/api/sales/\(billID)", as: owner).json()["bill_number"] == .int(1), "one record, two shapes")
            let second = try await client.call(
                .post, "/api/bills", as: owner,
                json: """
                    {"storeId": \(world.storeA2), "details": [{"productId": \(milk), "quantity": 1}]}
                    """)
            #expect(second.status == .conflict, "no stock in A2")
            _ = try await client.call(
                .post, "/api/store-inventory/transfer", as: owner,
                json: """
                    {"productId": \(milk), "fromStoreId": \(world.storeA1), "toStoreId": \(world.storeA2), "quantity": 5}
                    """)
            let inA2 = try await client.call(
                .post, "/api/bills", as: owner, json: #"{"storeId": \#(world.storeA2), "details": [{"productId": \#(milk), "quantity": 1}]}"#)
            #expect(try inA2.json()["billNumber"] == .int(1), "each store counts its own bills")
            let list = try await client.call(.get, "/api/bills?limit=1", as: owner).json()
            #expect(list["total"] == .int(2) && list["data"]?.array.count == 1)
            let vendor = try await client.signIn(world.vendorA1)
            #expect(
                try await client.call(
                    .post, "/api/bills", as: vendor, json: #"{"storeId": \#(world.storeA2), "details": [{"productId": \#(milk), "quantity": 1}]}"#
                ).status == .forbidden)
            let csv = try await client.call(.get, "/api/export/sales.csv", as: owner)
            #expect(csv.text.split(separator: "\r\n").count == 3)
            // the list's filters narrow the download too
            let inStoreA2 = try await client.call(.get, "/api/export/sales.csv?store_id=\(world.storeA2)&vendor=admin", as: owner).text
            #expect(inStoreA2.split(separator: "\r\n").count == 2 && inStoreA2.contains(",\(world.storeA2),admin,"))
            #expect(try await client.call(.get, "/api/export/sales.csv?vendor=nobody", as: owner).text.split(separator: "\r\n").count == 1)
            #expect(
                try await client.call(.get, "/api/export/sales.csv?from=2001-01-01&to=2001-01-02", as: owner).text.split(separator: "\r\n").count == 1
            )
            #expect(try await client.call(.get, "/api/export/sales.csv?from=yesterday", as: owner).status == .badRequest)
            // the store is read with the company's tax in one statement: another company's store is still not found,
            // a deactivated one still refused
            let foreign = try await client.call(
                .post, "/api/bills", as: owner, json: #"{"storeId": \#(world.storeB), "details": [{"productId": \#(milk), "quantity": 1}]}"#)
            #expect(foreign.status == .notFound)
            _ = try await client.call(.put, "/api/stores/deactivate/\(world.storeA2)", as: owner)
            let closed = try await client.call(
                .post, "/api/bills", as: owner, json: #"{"storeId": \#(world.storeA2), "details": [{"productId": \#(milk), "quantity": 1}]}"#)
            #expect(try closed.status == .badRequest && closed.json()["code"] == .string("store_inactive"))
        }
    }
}

@Suite("Sale events")
struct SaleEventTests {
    @Test("a refused sale publishes the sale-error event; a completed one publishes after commit")
    func events() async throws {
        try await ShopWorld.run { client, world, dependencies in
            let owner = try await client.signIn(world.ownerA)
            _ = try await client.createProduct(as: owner, barcode: "EV", name: "Event", quantity: 1)
            let events = dependencies.events.subscribe()
            _ = try await client.call(.post, "/api/sales", as: owner, json: #"{"barcode": "EV", "quantity": 2}"#)
            _ = try await client.call(.post, "/api/sales", as: owner, json: #"{"barcode": "EV", "quantity": 1}"#)
            var seen: [String] = []
            for await event in events {
                switch event {
                case .saleFailed(let company, _, let actor, let code, _):
                    #expect(company == world.companyA && actor == world.ownerA.id)
                    seen.append("failed:\(code)")
                case .saleCompleted(let company, _, _, _):
                    #expect(company == world.companyA)
                    seen.append("completed")
                case .stockChanged:
                    seen.append("stock")
                default:
                    continue
                }
                if seen.count == 3 { break }
            }
            #expect(seen == ["failed:insufficient_stock", "stock", "completed"])
        }
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Customer returns")
struct SaleReturnTests {
    /// Sells `items` (product, quantity, line discount %) as `session`, with `discount` off the sale; the sale's id.
    func sell(
        _ client: some TestClientProtocol, as session: SignedIn, _ items: [(Int64, Int, Double)], discount: Double = 0
    ) async throws -> Int64 {
        let lines = items.map { #"{"item_id": \#($0.0), "quantity": \#($0.1), "discount_percentage": \#($0.2)}"# }.joined(separator: ", ")
        let response = try await client.call(
            .post, "/api/sales/bulk", as: session, json: #"{"items": [\#(lines)], "discount_amount": \#(discount)}"#)
        try #require(response.status == .created, "\(response.text)")
        return try #require(try response.json()["sale_id"]?.int)
    }

    @Test(
        "returns refund what the sale captured, in parts that add up, back on the shelf or written off; the sale is then fixed",
        arguments: Engine.allCases)
    func returns(engine: Engine) async throws {
        try await ShopWorld.run(engine, environment: ReportTests.zone) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let admin = try await client.signIn(world.adminA1)
            let vendor = try await client.signIn(world.vendorA1)
            // 21 % tax included in prices
            let tax = try await client.call(.put, "/api/settings/company", as: owner, json: #"{"tax_rate": 21, "prices_include_tax": true}"#)
            #expect(tax.status == .ok, "\(tax.text)")
            let wine = try await client.createProduct(as: owner, barcode: "RW-1", name: "Wine", quantity: 10, price: 9.99, cost: 4)
            let cheese = try await client.createProduct(as: owner, barcode: "RW-2", name: "Cheese", quantity: 10, price: 7.5, cost: 3)
            // wine 3 × 9.99 − 10 % = 26.97, cheese 2 × 7.50 = 15.00; subtotal 41.97, less 1.00 = total 40.97
            let saleID = try await sell(client, as: vendor, [(wine, 3, 10), (cheese, 2, 0)], discount: 1)
            let sale = try await client.call(.get, "/api/sales/\(saleID)", as: owner).json()
            #expect(sale["total"] == .double(40.97), "\(sale)")

            // one wine back on the shelf: its share of the total is 26.97 × 40.97 / 41.97 = 26.327… → 26.33; a third → 8.78
            let first = try await client.call(
                .post, "/api/sales/\(saleID)/returns", as: admin, json: #"{"items": [{"item_id": \#(wine), "quantity": 1}], "note": "Corked"}"#)
            #expect(first.status == .created, "\(first.text)")
            let firstBody = try first.json()
            #expect(firstBody["refund"] == .double(8.78) && firstBody["sale_id"] == .int(saleID) && firstBody["note"] == .string("Corked"))
            #expect(firstBody["products"]?.array.first?["restocked"] == .bool(true))
            #expect(try await world.stock(store: world.storeA1, product: wine) == 8)
            // the other two wines and one cheese written off; the wines' refunds add up to the line's share exactly
            let second = try await client.call(
                .post, "/api/sales/\(saleID)/returns", as: owner,
                json:
                    #"{"items": [{"item_id": \#(wine), "quantity": 2}, {"item_id": \#(cheese), "quantity": 1, "restock": false, "reason": "Mouldy"}]}"#
            )
            #expect(second.status == .created, "\(second.text)")
            let secondLines = try second.json()["products"]?.array ?? []
            #expect(secondLines.first { $0["product_id"] == .int(wine) }?["refund"] == .double(17.55))  // 26.33 − 8.78
            // cheese: 15.00 × 40.97 / 41.97 = 14.642… → 14.64; half of it → 7.32
            #expect(secondLines.first { $0["product_id"] == .int(cheese) }?["refund"] == .double(7.32))
            #expect(try await world.stock(store: world.storeA1, product: wine) == 10)
            #expect(try await world.stock(store: world.storeA1, product: cheese) == 8)

            // more than is left to return, a product not on the sale, a write-off without its reason
            let over = try await client.call(
                .post, "/api/sales/\(saleID)/returns", as: owner, json: #"{"items": [{"item_id": \#(wine), "quantity": 1}]}"#)
            #expect(try over.status == .conflict && over.json()["code"] == .string("return_exceeds_sale") && over.json()["returned"] == .int(3))
            let stranger = try await client.createProduct(as: owner, barcode: "RW-3", name: "Bread", quantity: 5)
            let notOnSale = try await client.call(
                .post, "/api/sales/\(saleID)/returns", as: owner, json: #"{"items": [{"item_id": \#(stranger), "quantity": 1}]}"#)
            #expect(try notOnSale.status == .badRequest && notOnSale.json()["field"] == .string("items"))
            let noReason = try await client.call(
                .post, "/api/sales/\(saleID)/returns", as: owner, json: #"{"items": [{"item_id": \#(cheese), "quantity": 1, "restock": false}]}"#)
            #expect(try noReason.status == .badRequest && noReason.json()["field"] == .string("reason"))

            // the sale shows its returns to whoever sees it; a vendor does not take returns; another store's admin sees nothing
            let listed = try await client.call(.get, "/api/sales/\(saleID)/returns", as: vendor).jsonArray()
            #expect(listed.map { $0["refund"] } == [.double(8.78), .double(24.87)])
            #expect(
                try await client.call(
                    .post, "/api/sales/\(saleID)/returns", as: vendor, json: #"{"items": [{"item_id": \#(cheese), "quantity": 1}]}"#
                ).status == .forbidden)
            #expect(try await client.call(.get, "/api/sales/\(saleID)/returns", as: try await client.signIn(world.adminA2)).status == .notFound)
            // a sale with returns is no longer edited or voided
            let void = try await client.call(.post, "/api/sales/\(saleID)/void", as: owner)
            #expect(try void.status == .conflict && void.json()["code"] == .string("sale_has_returns"))

            // the ledger: returns in, the write-off out with its reason
            let movements = try await client.call(.get, "/api/stock-movements?product_id=\(cheese)", as: owner).json()["data"]?.array ?? []
            #expect(movements.contains { $0["kind"] == .string("write_off") && $0["reason"] == .string("Mouldy") && $0["delta"] == .int(-1) })
            #expect(movements.contains { $0["kind"] == .string("return") && $0["delta"] == .int(1) })
            let problems = try await world.ledgerProblems()
            #expect(problems.mismatches.isEmpty && problems.negative == 0)

            // the reports: the sale less what came back, kept as a rebuild from sales and returns would
            let hourly = try await world.database.read { db in
                try await db.raw("SELECT sales, revenue_cents, units, cost_cents FROM sales_hourly WHERE store_id = \(bind: world.storeA1)").all()
            }
            #expect(hourly.count == 1)
            #expect(try hourly.first?.decode(column: "sales", as: Int64.self) == 1)
            #expect(try hourly.first?.decode(column: "revenue_cents", as: Int64.self) == 4097 - 878 - 2487)
            #expect(try hourly.first?.decode(column: "units", as: Int64.self) == 1)
            #expect(try hourly.first?.decode(column: "cost_cents", as: Int64.self) == 300)
            let kept = try await Fixture.rollupRows(world.database)
            try await Fixture.rebuild(world.database)
            #expect(try await Fixture.rollupRows(world.database) == kept)
            let stats = try await client.call(.get, "/api/metrics", as: owner).json()
            #expect(stats["kpis"]?["unitsSold"] == .int(1), "\(String(describing: stats["kpis"]))")
        }
    }

    @Test("a product sold on two lines at two discounts comes back as one, refunded at what its lines were paid")
    func productOnTwoLines() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "R2-1", name: "Mug", quantity: 10, price: 10)
            // 2 at full price (20.00) and 2 at half price (10.00)
            let saleID = try await sell(client, as: owner, [(product, 2, 0), (product, 2, 50)])
            let back = try await client.call(
                .post, "/api/sales/\(saleID)/returns", as: owner, json: #"{"items": [{"item_id": \#(product), "quantity": 4}]}"#)
            #expect(back.status == .created, "\(back.text)")
            #expect(try back.json()["refund"] == .int(30))
            #expect(try await world.stock(store: world.storeA1, product: product) == 10)
        }
    }

    @Test("parallel returns of one sale never take back more than was sold", arguments: Engine.allCases)
    func parallelReturns(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "RP-1", name: "Soap", quantity: 20, price: 3.33)
            let saleID = try await sell(client, as: owner, [(product, 7, 0)])
            let outcomes = try await withThrowingTaskGroup(of: (HTTPResponse.Status, Int64).self) { group in
                for index in 0..<12 {
                    let quantity = Int64(1 + index % 2)
                    group.addTask {
                        let response = try await client.call(
                            .post, "/api/sales/\(saleID)/returns", as: owner,
                            json: #"{"items": [{"item_id": \#(product), "quantity": \#(quantity)}]}"#)
                        return (response.status, quantity)
                    }
                }
                return try await group.reduce(into: [(HTTPResponse.Status, Int64)]()) { $0.append($1) }
            }
            #expect(outcomes.allSatisfy { $0.0 == .created || $0.0 == .conflict }, "\(outcomes)")
            let returned = outcomes.filter { $0.0 == .created }.reduce(0) { $0 + $1.1 }
            let listing = try await client.call(.get, "/api/sales/\(saleID)/returns", as: owner).text
            #expect(returned <= 7 && returned >= 6, "\(outcomes) \(listing)")
            #expect(try await world.stock(store: world.storeA1, product: product) == 13 + returned)
            let refunds = try await client.call(.get, "/api/sales/\(saleID)/returns", as: owner).jsonArray()
            let refunded = refunds.compactMap { value -> Int64? in
                guard case .double(let amount)? = value["refund"] else { return value["refund"]?.int.map { $0 * 100 } }
                return Int64((amount * 100).rounded())
            }.reduce(0, +)
            if returned == 7 { #expect(refunded == 2331, "every unit back: the whole total, to the cent") }
            let problems = try await world.ledgerProblems()
            #expect(problems.mismatches.isEmpty && problems.negative == 0)
        }
    }

    @Test("everything returned, a unit at a time in any order, refunds exactly the sale's total and tax, whatever the numbers")
    func refundsAddUp() {
        var generator = CrashLoad.Random(seed: 7)
        for _ in 0..<500 {
            // 1 to 5 lines, some of them the same product at another discount
            var lines: [SaleLine] = []
            for _ in 0..<Int.random(in: 1...5, using: &generator) {
                lines.append(
                    SaleLine(
                        productID: Int64.random(in: 1...3, using: &generator), productName: "p", quantity: Int64.random(in: 1...9, using: &generator),
                        unitPriceCents: 0, unitCostCents: 0, discountBasisPoints: 0, lineTotalCents: Int64.random(in: 0...100_000, using: &generator))
                )
            }
            let subtotal = lines.reduce(0) { $0 + $1.lineTotalCents }
            let total = Int64.random(in: 0...max(subtotal, 0), using: &generator)
            let sale = Sale(
                id: 1, companyID: 1, storeID: 1, vendorID: 1, vendorName: "v", billNumber: 1, status: .completed, paymentMethod: .cash, customer: nil,
                subtotalCents: subtotal, discountCents: subtotal - total, taxCents: total / 6, totalCents: total,
                tax: TaxSettings(rateBasisPoints: 0, pricesIncludeTax: false), lines: lines, createdAt: .now, updatedAt: .now)
            let pricing = ReturnPricing(sale: sale)
            #expect(pricing.sold.values.reduce(0) { $0 + $1.shareCents } == total, "the shares add up to the total")
            var units = pricing.sold.flatMap { product, sold in Array(repeating: product, count: Int(sold.quantity)) }
            units.shuffle(using: &generator)
            var returned: [Int64: Int64] = [:]
            var refunded: Int64 = 0
            var taxed: Int64 = 0
            var revenue: [Int64: Int64] = [:]
            for product in units {
                let part = pricing.refund(productID: product, quantity: 1, returnedBefore: returned[product, default: 0])
                #expect(part.refund >= 0 && part.revenue >= 0)
                taxed += pricing.tax(of: refunded + part.refund) - pricing.tax(of: refunded)
                refunded += part.refund
                revenue[product, default: 0] += part.revenue
                returned[product, default: 0] += 1
            }
            #expect(refunded == total && taxed == sale.taxCents)
            for (product, sold) in pricing.sold { #expect(revenue[product] == sold.lineTotalCents) }
        }
    }
}

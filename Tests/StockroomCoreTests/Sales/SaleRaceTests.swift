import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
@testable import StockroomCore

@Suite("Sales under contention")
struct SaleRaceTests {
    @Test("N tills buy the last K units: exactly K sell, the rest get 409, stock ends at 0, bills are gap-free", arguments: Engine.allCases)
    func lastUnits(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let product = try await client.createProduct(as: owner, barcode: "HOT", name: "Hot item", quantity: 7, price: 3)
            let other = try await client.createProduct(as: owner, barcode: "SIDE", name: "Side", quantity: 1000, price: 1)
            let buyers = 48
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String).self) { group in
                for index in 0..<buyers {
                    group.addTask {
                        // half scan the barcode (single sale), half send a two-line bill
                        let response = index % 2 == 0
                            ? try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "HOT", "quantity": 1}"#)
                            : try await client.call(.post, "/api/bills", as: vendor, json: """
                                {"storeId": \(world.storeA1), "paymentType": "CASH", "details": [{"productId": \(other), "quantity": 1}, {"productId": \(product), "quantity": 1}]}
                                """)
                        return (response.status, response.text)
                    }
                }
                return try await group.reduce(into: [(HTTPResponse.Status, String)]()) { $0.append($1) }
            }
            let sold = statuses.filter { $0.0 == .created }
            let refused = statuses.filter { $0.0 == .conflict }
            #expect(sold.count == 7, "\(statuses.map(\.0))")
            #expect(refused.count == buyers - 7)
            #expect(refused.allSatisfy { $0.1.contains("insufficient_stock") && $0.1.contains("\"available\":0") })
            #expect(try await world.stock(store: world.storeA1, product: product) == 0)
            let problems = try await world.ledgerProblems()
            #expect(problems.mismatches.isEmpty && problems.negative == 0)
            let numbers = try await world.database.read {
                try await $0.raw("SELECT bill_number FROM sales WHERE store_id = \(bind: world.storeA1) ORDER BY bill_number")
                    .all(decodingColumn: "bill_number", as: Int64.self)
            }
            #expect(numbers == Array(1...7), "unique and gap-free although 41 sales rolled back")
            // a refused bill sold nothing of its other line either
            let sideSold = try await world.database.read {
                try await $0.raw("SELECT COALESCE(CAST(SUM(quantity) AS BIGINT), 0) AS n FROM sale_lines WHERE product_id = \(bind: other)")
                    .first(decodingColumn: "n", as: Int64.self)
            }
            #expect(try await world.stock(store: world.storeA1, product: other) == 1000 - (sideSold ?? 0))
        }
    }

    @Test("a retried sale with the same Idempotency-Key sells once and answers the same")
    func idempotentSale() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "ONE", name: "Once", quantity: 10, price: 2.5)
            let body = #"{"items": [{"item_id": \#(product), "quantity": 3}], "payment_method": "efectivo"}"#
            let key: HTTPFields = [Idempotency.headerName: "till-7-receipt-0042"]
            let first = try await client.call(.post, "/api/sales/bulk", as: owner, json: body, headers: key)
            let again = try await client.call(.post, "/api/sales/bulk", as: owner, json: body, headers: key)
            #expect(first.status == .created && again.status == .created && first.text == again.text)
            #expect(try first.json() == ["ok": .bool(true), "sale_id": first.json()["sale_id"]!, "total": .double(7.5), "items": .array([
                .object(["item_id": .int(product), "name": .string("Once"), "quantity": .int(3), "unit_price": .double(2.5), "subtotal": .double(7.5)]),
            ])])
            #expect(try await world.stock(store: world.storeA1, product: product) == 7)
            let count = try await world.database.read { try await $0.raw("SELECT COUNT(*) AS n FROM sales").first(decodingColumn: "n", as: Int.self) }
            #expect(count == 1)
        }
    }
}

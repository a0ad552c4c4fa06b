import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Issue #26's compare-and-set stock write: an integration sets the stock it computed from the stock it saw, and
/// never overwrites a sale it did not see.
@Suite("Stock set with expectedStock")
struct ExpectedStockTests {
    @Test("a stock set with expectedStock applies only while the shelf is as seen; otherwise 409 with the stock as it is")
    func compareAndSet() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "ES-1", name: "Flour", quantity: 10, storeID: world.storeA1)
            func set(_ stock: Int, expected: Int) async throws -> TestResponse {
                try await client.call(
                    .patch, "/api/store-inventory/stock", as: owner,
                    json: #"{"productId": \#(product), "storeId": \#(world.storeA1), "stock": \#(stock), "expectedStock": \#(expected)}"#)
            }
            let applied = try await set(15, expected: 10)
            #expect(try applied.status == .ok && applied.json()["inStock"] == .int(15), "\(applied.text)")
            let stale = try await set(30, expected: 10)
            #expect(try stale.status == .conflict && stale.json()["code"] == .string("stock_changed") && stale.json()["current"] == .int(15))
            #expect(try await world.stock(store: world.storeA1, product: product) == 15)
            let negative = try await set(1, expected: -1)
            #expect(try negative.status == .badRequest && negative.json()["field"] == .string("expectedStock"))
        }
    }

    @Test("compare-and-set writes racing sales never overwrite one", arguments: Engine.allCases)
    func racingSales(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let product = try await client.createProduct(as: owner, barcode: "ES-2", name: "Rice", quantity: 50, storeID: world.storeA1)
            let outcomes = try await withThrowingTaskGroup(of: (String, HTTPResponse.Status).self) { group in
                for index in 0..<30 {
                    group.addTask {
                        if index % 3 != 0 {
                            return (
                                "sale", try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "ES-2", "quantity": 1}"#).status
                            )
                        }
                        // an integration: read, add 100 to what it read, write back only if nothing moved
                        let seen =
                            try await client.call(.get, "/api/store-inventory/\(world.storeA1)/\(product)", as: owner).json()["inStock"]?.int ?? 0
                        let written = try await client.call(
                            .patch, "/api/store-inventory/stock", as: owner,
                            json: #"{"productId": \#(product), "storeId": \#(world.storeA1), "stock": \#(seen + 100), "expectedStock": \#(seen)}"#)
                        return ("set", written.status)
                    }
                }
                return try await group.reduce(into: [(String, HTTPResponse.Status)]()) { $0.append($1) }
            }
            let sold = outcomes.filter { $0.0 == "sale" && $0.1 == .created }.count
            let sets = outcomes.filter { $0.0 == "set" && $0.1 == .ok }.count
            #expect(sold == 20 && outcomes.allSatisfy { $0.1 == .created || $0.1 == .ok || $0.1 == .conflict }, "\(outcomes)")
            // every sale counted and every accepted write added exactly its 100: none wrote over a sale
            #expect(try await world.stock(store: world.storeA1, product: product) == Int64(50 - sold + 100 * sets))
            let adjustments = try await client.call(.get, "/api/stock-movements?product_id=\(product)&kind=adjustment&limit=50", as: owner).json()
            #expect(adjustments["data"]?.array.allSatisfy { $0["delta"] == .int(100) } == true, "\(adjustments)")
            let problems = try await world.ledgerProblems()
            #expect(problems.mismatches.isEmpty && problems.negative == 0)
        }
    }
}

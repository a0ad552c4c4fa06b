import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

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
                        let response =
                            index % 2 == 0
                            ? try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "HOT", "quantity": 1}"#)
                            : try await client.call(
                                .post, "/api/bills", as: vendor,
                                json: """
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
            // StockManager's fields, exactly (Stockroom's figures — subtotal, discount, tax — beside them)
            let answer = try first.json()
            #expect(answer["ok"] == .bool(true) && answer["sale_id"] != nil && answer["total"] == .double(7.5))
            #expect(
                answer["items"]?.array.map { line in ["item_id", "name", "quantity", "unit_price", "subtotal"].map { line[$0] } }
                    == [[.int(product), .string("Once"), .int(3), .double(2.5), .double(7.5)]])
            #expect(try await world.stock(store: world.storeA1, product: product) == 7)
            let count = try await world.database.read { try await $0.raw("SELECT COUNT(*) AS n FROM sales").first(decodingColumn: "n", as: Int.self) }
            #expect(count == 1)
        }
    }
}

extension SaleRaceTests {
    @Test(
        "one key sent eight times at once: one sale; every answer is that sale or 'still being processed'; a retry after replays it",
        arguments: Engine.allCases)
    func sameKeyAtOnce(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "TWICE", name: "Twice", quantity: 10, price: 1)
            let body = #"{"items": [{"item_id": \#(product), "quantity": 2}]}"#
            let key: HTTPFields = [Idempotency.headerName: "till-1-sale-0001"]
            let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let answer = try await client.call(.post, "/api/sales/bulk", as: owner, json: body, headers: key)
                        return (Int(answer.status.code), answer.text)
                    }
                }
                return try await group.reduce(into: [(Int, String)]()) { $0.append($1) }
            }
            let sold = answers.filter { $0.0 == 201 }
            #expect(!sold.isEmpty && Set(sold.map(\.1)).count == 1, "every 201 is the same sale: \(answers)")
            #expect(answers.allSatisfy { $0.0 == 201 || ($0.0 == 409 && $0.1.contains("idempotency_in_progress")) }, "\(answers)")
            let again = try await client.call(.post, "/api/sales/bulk", as: owner, json: body, headers: key)
            #expect(again.status == .created && again.text == sold.first?.1 && again.headers[Idempotency.replayedHeader] == "true")
            #expect(try await world.stock(store: world.storeA1, product: product) == 8)
            let count = try await world.database.read { try await $0.raw("SELECT COUNT(*) AS n FROM sales").first(decodingColumn: "n", as: Int.self) }
            #expect(count == 1)
        }
    }
}

@Suite("Sale edits under contention and limits")
struct SaleEditRaceTests {
    @Test("parallel voids of one sale restore its stock once", arguments: Engine.allCases)
    func parallelVoids(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "V", name: "Void me", quantity: 10)
            let sale = try await client.call(.post, "/api/sales", as: owner, json: #"{"barcode": "V", "quantity": 4}"#).json()
            guard case .int(let id)? = sale["sale_id"] else { throw ClusterError("\(sale)") }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<8 { group.addTask { try await client.call(.post, "/api/sales/\(id)/void", as: owner).status } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.filter { $0 == .conflict }.count == 7, "\(statuses)")
            #expect(try await world.stock(store: world.storeA1, product: product) == 10)
            #expect(try await world.ledgerProblems().mismatches.isEmpty)
        }
    }

    @Test("an edit keeps the sale's tax rate and line discounts; huge merged quantities are refused; other stores' sales are invisible")
    func editKeepsTermsAndLimits() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "K", name: "Kept", quantity: 100, price: 10)
            _ = try await client.call(.put, "/api/settings/company", as: owner, json: #"{"tax_rate": 10, "prices_include_tax": false}"#)
            let bill = try await client.call(
                .post, "/api/bills", as: owner,
                json: """
                    {"storeId": \(world.storeA1), "details": [{"productId": \(product), "quantity": 2, "discountPercentage": 50}]}
                    """
            ).json()
            #expect(bill["total"] == .int(11), "2 × 10 less 50 % = 10, plus 10 % tax")
            guard case .int(let id)? = bill["billId"] else { throw ClusterError("\(bill)") }
            _ = try await client.call(.put, "/api/settings/company", as: owner, json: #"{"tax_rate": 20, "prices_include_tax": false}"#)
            let edited = try await client.call(.put, "/api/sales/\(id)", as: owner, json: #"{"items": [{"item_id": \#(product), "quantity": 4}]}"#)
                .json()
            #expect(edited["total"] == .int(22), "4 × 10 less the kept 50 %, plus the sale's own 10 %")

            let lines = (0..<200).map { _ in #"{"item_id": \#(product), "quantity": 1000000}"# }.joined(separator: ",")
            let huge = try await client.call(.post, "/api/sales/bulk", as: owner, json: #"{"items": [\#(lines)]}"#)
            #expect(huge.status == .badRequest, "\(huge.text)")

            let admin2 = try await client.signIn(world.adminA2)
            #expect(try await client.call(.get, "/api/sales/\(id)", as: admin2).status == .notFound)
            #expect(try await client.call(.post, "/api/sales/\(id)/void", as: admin2).status == .notFound)
        }
    }
}

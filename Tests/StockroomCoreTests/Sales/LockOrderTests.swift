import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// PostgreSQL runs a node's sales, edits, voids, transfers and stock sets side by side, each holding row locks to
/// its COMMIT: the bill counter, stock levels, the hour's totals, product totals and the sale itself. They can only
/// wait on each other one way if every transaction takes those rows in one order (README, "How writes are
/// committed"); a transaction taking two of them the other way round deadlocks, and PostgreSQL answers one of the
/// two with an error after a second. Thirty seconds of everything at once on a few hot products makes any such
/// pair meet.
@Suite("Lock order under a mixed load", .serialized)
struct LockOrderTests {
    static let seconds = 30.0

    @Test("30 s of sales, edits, voids, transfers and stock sets on few products in two stores: no deadlock, no error, books and totals right")
    func mixedRun() async throws {
        try await ShopWorld.run(.postgres, environment: ["STOCKROOM_TIMEZONE": "Asia/Kolkata"]) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let tills = [try await client.signIn(world.vendorA1), try await client.signIn(world.vendorA2)]
            var created: [Int64] = []
            for index in 0..<4 {
                let id = try await client.createProduct(
                    as: owner, barcode: "LOCK-\(index)", name: "Hot \(index)", quantity: 100_000, price: 2, cost: 1)
                // the second store starts with stock too, so transfers run both ways
                let shelved = try await client.call(
                    .patch, "/api/store-inventory/stock", as: owner,
                    json: """
                        {"productId": \(id), "storeId": \(world.storeA2), "stock": 100000}
                        """)
                #expect(shelved.status == .ok, "\(shelved.text)")
                created.append(id)
            }
            let products = created
            let stores = [world.storeA1, world.storeA2]
            let sales = LockOrderSaleIDs()
            let deadline = Date.now.addingTimeInterval(Self.seconds)
            let outcomes = try await withThrowingTaskGroup(of: [String: Int].self) { group in
                for worker in 0..<12 {
                    group.addTask {
                        var generator = SystemRandomNumberGenerator()
                        var seen: [String: Int] = [:]
                        while Date.now < deadline {
                            let (kind, response) = try await Self.step(
                                worker: worker, client: client, owner: owner, tills: tills, products: products, stores: stores,
                                sales: sales, random: &generator)
                            seen["\(kind) \(response.status.code)", default: 0] += 1
                            if response.status.code >= 500 || ![200, 201, 400, 409].contains(response.status.code) {
                                Issue.record("\(kind) answered \(response.status.code): \(response.text)")
                            }
                        }
                        return seen
                    }
                }
                return try await group.reduce(into: [String: Int]()) { total, seen in total.merge(seen, uniquingKeysWith: +) }
            }
            // every kind of write took effect many times
            for kind in ["sale", "edit", "void", "transfer", "stock"] {
                #expect((outcomes["\(kind) 200"] ?? 0) + (outcomes["\(kind) 201"] ?? 0) > 5, "\(kind): \(outcomes)")
            }
            let problems = try await world.ledgerProblems()
            #expect(problems.negative == 0)
            #expect(problems.mismatches.isEmpty, "\(problems.mismatches)")
            // the totals kept by every sale, edit and void equal a rebuild from the sales themselves (on the same clock)
            let kept = try await Fixture.rollupRows(world.database)
            try await Fixture.rebuild(world.database)
            #expect(try await Fixture.rollupRows(world.database) == kept)
            // bill numbers: per store, 1…n without a gap or a repeat
            let gaps = try await world.database.read { db in
                try await db.raw(
                    """
                    SELECT store_id, COUNT(*) AS n, MAX(bill_number) AS top, COUNT(DISTINCT bill_number) AS distinct_numbers
                    FROM sales GROUP BY store_id
                    """
                ).all().filter { row in
                    let n = try row.decode(column: "n", as: Int64.self)
                    return try row.decode(column: "top", as: Int64.self) != n || row.decode(column: "distinct_numbers", as: Int64.self) != n
                }.count
            }
            #expect(gaps == 0)
        }
    }

    /// One random write: a sale of one to three hot products (lines in random order), an edit or void of an
    /// earlier sale, a transfer either way, or a stock set.
    static func step(
        worker: Int, client: any TestClientProtocol, owner: SignedIn, tills: [SignedIn], products: [Int64], stores: [Int64], sales: LockOrderSaleIDs,
        random: inout SystemRandomNumberGenerator
    ) async throws -> (String, TestResponse) {
        let picked = products.shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random))
        let items = picked.map { #"{"item_id": \#($0), "quantity": \#(Int.random(in: 1...3, using: &random))}"# }.joined(separator: ", ")
        let choice = Int.random(in: 0..<10, using: &random)
        switch (choice, sales.any(&random)) {
        case (5...6, let sale?):
            return Bool.random(using: &random)
                ? ("edit", try await client.call(.put, "/api/sales/\(sale)", as: owner, json: #"{"items": [\#(items)]}"#))
                : ("void", try await client.call(.post, "/api/sales/\(sale)/void", as: owner))
        case (7...8, _):
            let from = stores.randomElement(using: &random)!
            return (
                "transfer",
                try await client.call(
                    .post, "/api/store-inventory/transfer", as: owner,
                    json: """
                        {"productId": \(picked.first!), "fromStoreId": \(from), "toStoreId": \(stores.first { $0 != from }!), "quantity": 2}
                        """)
            )
        case (9, _):
            return (
                "stock",
                try await client.call(
                    .patch, "/api/store-inventory/stock", as: owner,
                    json: """
                        {"productId": \(picked.first!), "storeId": \(stores.randomElement(using: &random)!), "stock": \(Int.random(in: 50_000...100_000, using: &random))}
                        """)
            )
        default:
            let response = try await client.call(.post, "/api/sales/bulk", as: tills[worker % 2], json: #"{"items": [\#(items)]}"#)
            if case .int(let id)? = try? response.json()["sale_id"] { sales.add(id) }
            return ("sale", response)
        }
    }
}

/// The sales made so far, for edits and voids to pick from.
final class LockOrderSaleIDs: Sendable {
    private let ids = NIOLockedValueBox<[Int64]>([])
    func add(_ id: Int64) { ids.withLockedValue { $0.append(id) } }
    func any(_ random: inout SystemRandomNumberGenerator) -> Int64? { ids.withLockedValue { $0.randomElement(using: &random) } }
}

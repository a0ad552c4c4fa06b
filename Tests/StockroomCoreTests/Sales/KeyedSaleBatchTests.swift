import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing
@testable import StockroomCore

/// Sales sent with an `Idempotency-Key` — every charge the web till sends — written in batches like any other: the
/// batch checks each key first and keeps each key with its sale's answer in the same transaction.
@Suite("Keyed sales in batches")
struct KeyedSaleBatchTests {
    @Test("forty keyed sales at once share batches; each key is kept with its own answer, a shortage's refusal included",
          arguments: Engine.allCases)
    func keysKeptByTheirBatch(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world, dependencies in
            let owner = try await client.signIn(world.ownerA)
            let hot = try await client.createProduct(as: owner, barcode: "HOT", name: "Hot item", quantity: 10, price: 3)
            let service = SaleBatchTests.service(dependencies)
            let caller = SaleBatchTests.vendor(world)
            let answers = await withTaskGroup(of: (Int, SaleBatches.Answer?).self) { group in
                for index in 0..<40 {
                    group.addTask {
                        (index, try? await service.sell(caller, Self.order(hot), keyed: Self.keyed(caller, "till-\(index)")))
                    }
                }
                return await group.reduce(into: [Int: SaleBatches.Answer?]()) { $0[$1.0] = $1.1 }
            }
            var sold: [Int: Sale] = [:]
            var short: Set<Int> = []
            for (index, answer) in answers {
                switch answer {
                case .sold(let sale, let kept)?:
                    sold[index] = sale
                    #expect(kept?.status == 201 && kept?.body == Data("sale \(sale.id) bill \(sale.billNumber)".utf8))
                case .short?: short.insert(index)
                default: Issue.record("till-\(index) answered \(String(describing: answer))")
                }
            }
            #expect(sold.count == 10 && short.count == 30)
            let counts = service.batches.counts
            #expect(counts.sales == 40 && counts.batches < 40, "\(counts)")
            let kept = try await world.database.read { db in
                try await db.raw("SELECT key, status_code, response_body FROM idempotency_keys WHERE user_id = \(bind: caller.userID)").all()
                    .map { (try $0.decode(column: "key", as: String.self), try $0.decode(column: "status_code", as: Int.self),
                            try $0.decode(column: "response_body", as: String.self)) }
            }
            #expect(kept.count == 40)
            for (key, status, body) in kept {
                let index = Int(key.dropFirst("till-".count))!
                if let sale = sold[index] {
                    #expect(status == 201 && body == "sale \(sale.id) bill \(sale.billNumber)")
                } else {
                    #expect(status == 409 && body == "short of \(hot)")
                }
            }
            try await SaleBatchTests.expectBooks(world, sales: Array(sold.values), units: 10)
        }
    }

    @Test("a keyed sale whose key was answered while it waited is given that answer and not written; a key sent with another request is refused; on PostgreSQL a key another connection is running is refused and nothing is kept",
          arguments: Engine.allCases)
    func keysAnsweredBeforeTheBatch(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world, dependencies in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "KEYED", name: "Keyed", quantity: 10, price: 3)
            let service = SaleBatchTests.service(dependencies)
            let caller = SaleBatchTests.vendor(world)
            try await world.database.withTransaction { transaction in
                try await IdempotencyKeys().store([(Self.keyed(caller, "done").claim, StoredAnswer(status: 201, body: Data("first".utf8)))], transaction.db)
            }
            let replayed = try await service.sell(caller, Self.order(product), keyed: Self.keyed(caller, "done"))
            guard case .replayed(let kept) = replayed else { Issue.record("\(replayed)"); return }
            #expect(kept.status == 201 && kept.body == Data("first".utf8))
            let reused = try await service.sell(caller, Self.order(product), keyed: Self.keyed(caller, "done", digest: "another request"))
            guard case .keyRefused(let error) = reused else { Issue.record("\(reused)"); return }
            #expect(error.code == "idempotency_key_reused")

            if engine == .postgres {
                let running = Self.keyed(caller, "running elsewhere")
                try await world.database.withTransaction { transaction in
                    // this transaction plays the other node: it holds the key's lock while the sale is tried
                    try await transaction.db.raw("SELECT pg_advisory_xact_lock(\(bind: running.claim.lockID))").run()
                    let answer = try await Task.detached { try await service.sell(caller, Self.order(product), keyed: running) }.value
                    guard case .keyRefused(let error) = answer else { Issue.record("\(answer)"); return }
                    #expect(error.code == "idempotency_in_progress")
                }
                let keys = try await world.database.read {
                    try await $0.raw("SELECT COUNT(*) AS n FROM idempotency_keys WHERE key = 'running elsewhere'").first(decodingColumn: "n", as: Int.self)
                }
                #expect(keys == 0)
                // once the other lets go, the key runs
                guard case .sold = try await service.sell(caller, Self.order(product), keyed: running) else {
                    Issue.record("the key was not run after its lock was let go"); return
                }
            }
            let sales = try await world.database.read { try await $0.raw("SELECT COUNT(*) AS n FROM sales").first(decodingColumn: "n", as: Int.self) }
            #expect(sales == (engine == .postgres ? 1 : 0))
            #expect(try await world.stock(store: world.storeA1, product: product) == (engine == .postgres ? 9 : 10))
        }
    }

    @Test("forty keyed sales at once through the API: ten made, thirty refused; every retry replays its own answer byte for byte",
          arguments: Engine.allCases)
    func keyedThroughTheAPI(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let hot = try await client.createProduct(as: owner, barcode: "HOT", name: "Hot item", quantity: 10, price: 3)
            let body = #"{"items": [{"item_id": \#(hot), "quantity": 1}]}"#
            func sell(_ index: Int) async throws -> TestResponse {
                try await client.call(.post, "/api/sales/bulk", as: vendor, json: body, headers: [Idempotency.headerName: "charge-\(index)"])
            }
            let first = try await withThrowingTaskGroup(of: (Int, TestResponse).self) { group in
                for index in 0..<40 { group.addTask { (index, try await sell(index)) } }
                return try await group.reduce(into: [Int: TestResponse]()) { $0[$1.0] = $1.1 }
            }
            #expect(first.values.filter { $0.status == .created }.count == 10)
            #expect(first.values.filter { $0.status == .conflict && $0.text.contains("insufficient_stock") }.count == 30)
            for (index, answer) in first {
                let again = try await sell(index)
                #expect(again.status == answer.status && again.headers[Idempotency.replayedHeader] == "true")
                if answer.status == .created { #expect(again.text == answer.text) }
                else { #expect(try again.json()["code"] == .string("insufficient_stock")) }
            }
            #expect(try await world.stock(store: world.storeA1, product: hot) == 0)
            let sales = try await world.database.read { try await $0.raw("SELECT COUNT(*) AS n FROM sales").first(decodingColumn: "n", as: Int.self) }
            #expect(sales == 10)
        }
    }

    static func order(_ product: Int64) -> SaleRequest {
        SaleRequest(storeID: nil, lines: [.init(productID: product, quantity: 1)], paymentMethod: .cash)
    }

    static func keyed(_ caller: Caller, _ key: String, digest: String = "the request") -> KeyedSale {
        KeyedSale(claim: IdempotencyClaim(userID: caller.userID, key: key, digest: digest),
                  answer: { StoredAnswer(status: 201, body: Data("sale \($0.id) bill \($0.billNumber)".utf8)) },
                  refusal: { StoredAnswer(status: 409, body: Data("short of \($0.productID)".utf8)) })
    }
}

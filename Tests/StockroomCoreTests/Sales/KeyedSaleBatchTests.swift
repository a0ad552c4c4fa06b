import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Sales sent with an `Idempotency-Key` — every charge the web till sends — written in batches like any other: the
/// batch checks each key first and keeps each key with its sale's answer in the same transaction.
@Suite("Keyed sales in batches")
struct KeyedSaleBatchTests {
    @Test(
        "forty keyed sales at once share batches; each key is kept with its own answer, a shortage's refusal included",
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
                    .map {
                        (
                            try $0.decode(column: "key", as: String.self), try $0.decode(column: "status_code", as: Int.self),
                            try $0.decode(column: "response_body", as: String.self)
                        )
                    }
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

    @Test(
        "a keyed sale whose key was answered while it waited is given that answer and not written; a key sent with another request is refused; on PostgreSQL a key another connection holds is refused with nothing kept, then replayed once that one commits",
        arguments: Engine.allCases)
    func keysAnsweredBeforeTheBatch(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world, dependencies in
            let (product, service, caller) = try await Self.shopWithAnsweredKey(client, world, dependencies, barcode: "KEYED")
            let replayed = try await service.sell(caller, Self.order(product), keyed: Self.keyed(caller, "done"))
            guard case .replayed(let kept) = replayed else {
                Issue.record("\(replayed)")
                return
            }
            #expect(kept.status == 201 && kept.body == Data("first".utf8))
            let reused = try await service.sell(caller, Self.order(product), keyed: Self.keyed(caller, "done", digest: "another request"))
            guard case .keyRefused(let error) = reused else {
                Issue.record("\(reused)")
                return
            }
            #expect(error.code == "idempotency_key_reused")

            if engine == .postgres {
                let running = Self.keyed(caller, "running elsewhere")
                try await world.database.withTransaction { transaction in
                    // this transaction plays another node (of this version or the one before): it holds the key's
                    // lock while the sale is tried, then keeps its answer and commits
                    try await transaction.db.raw("SELECT pg_advisory_xact_lock(\(bind: running.claim.lockID))").run()
                    let answer = try await Task.detached { try await service.sell(caller, Self.order(product), keyed: running) }.value
                    guard case .keyRefused(let error) = answer else {
                        Issue.record("\(answer)")
                        return
                    }
                    #expect(error.code == "idempotency_in_progress")
                    let kept = try await transaction.db.raw("SELECT COUNT(*) AS n FROM idempotency_keys WHERE key = 'running elsewhere'")
                        .first(decodingColumn: "n", as: Int.self)
                    #expect(kept == 0, "the refused sale kept nothing")
                    try await IdempotencyRepository().store(
                        [(running.claim, StoredAnswer(status: 201, body: Data("elsewhere".utf8)))], transaction.db)
                }
                // once the other has committed, the retry is given its answer
                guard case .replayed(let kept) = try await service.sell(caller, Self.order(product), keyed: running),
                    kept.body == Data("elsewhere".utf8)
                else {
                    Issue.record("the other node's answer was not replayed")
                    return
                }
            }
            let sales = try await world.database.read { try await $0.raw("SELECT COUNT(*) AS n FROM sales").first(decodingColumn: "n", as: Int.self) }
            #expect(sales == 0)
            #expect(try await world.stock(store: world.storeA1, product: product) == 10)
        }
    }

    @Test(
        "forty keyed sales at once through the API: ten made, thirty refused; every retry replays its own answer byte for byte",
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
                if answer.status == .created {
                    #expect(again.text == answer.text)
                } else {
                    #expect(try again.json()["code"] == .string("insufficient_stock"))
                }
            }
            #expect(try await world.stock(store: world.storeA1, product: hot) == 0)
            let sales = try await world.database.read { try await $0.raw("SELECT COUNT(*) AS n FROM sales").first(decodingColumn: "n", as: Int.self) }
            #expect(sales == 10)
        }
    }

    @Test(
        "one batch of sales without a key, with a new key, with a key answered already and with a key sent for another request: each answered in its place",
        arguments: Engine.allCases)
    func mixedBatch(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world, dependencies in
            let (product, service, caller) = try await Self.shopWithAnsweredKey(client, world, dependencies, barcode: "MIXED")
            let (sale, store) = try await world.database.read { try await service.newSale(caller, Self.order(product), storeID: world.storeA1, $0) }
            func order(_ keyed: KeyedSale?) -> SaleBatches.Order { SaleBatches.Order(sale: sale, store: store, caller: caller, keyed: keyed) }
            let answers = try await world.database.withTransaction { transaction in
                try await service.batches.write(
                    [
                        order(nil), order(Self.keyed(caller, "done")), order(Self.keyed(caller, "new")),
                        order(Self.keyed(caller, "done", digest: "another request")), order(nil),
                    ], transaction)
            }
            try #require(answers.count == 5)
            var sold: [Sale] = []
            if case .sold(let sale, nil) = answers[0] { sold.append(sale) } else { Issue.record("0: \(answers[0])") }
            if case .replayed(let kept) = answers[1] { #expect(kept.body == Data("first".utf8)) } else { Issue.record("1: \(answers[1])") }
            if case .sold(let sale, let kept?) = answers[2] {
                sold.append(sale)
                #expect(kept.body == Data("sale \(sale.id) bill \(sale.billNumber)".utf8))
            } else {
                Issue.record("2: \(answers[2])")
            }
            if case .keyRefused(let error) = answers[3] { #expect(error.code == "idempotency_key_reused") } else { Issue.record("3: \(answers[3])") }
            if case .sold(let sale, nil) = answers[4] { sold.append(sale) } else { Issue.record("4: \(answers[4])") }
            #expect(sold.map(\.billNumber) == [1, 2, 3])
            let keys = try await world.database.read {
                try await $0.raw("SELECT key FROM idempotency_keys ORDER BY key").all(decodingColumn: "key", as: String.self)
            }
            #expect(keys == ["done", "new"])
            try await SaleBatchTests.expectBooks(world, sales: sold, units: 3)
        }
    }

    @Test(
        "a keyed sale refused before its batch (no product has the barcode) keeps that refusal: the retry after the product exists replays the 404",
        arguments: Engine.allCases)
    func refusedBeforeTheBatch(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let key: HTTPFields = [Idempotency.headerName: "scan-0001"]
            let body = #"{"barcode": "LATER", "quantity": 1}"#
            let first = try await client.call(.post, "/api/sales", as: vendor, json: body, headers: key)
            #expect(first.status == .notFound)
            let later = try await client.createProduct(as: owner, barcode: "LATER", name: "Later", quantity: 5, price: 2)
            let again = try await client.call(.post, "/api/sales", as: vendor, json: body, headers: key)
            #expect(again.status == .notFound && again.headers[Idempotency.replayedHeader] == "true")
            let fresh = try await client.call(.post, "/api/sales", as: vendor, json: body, headers: [Idempotency.headerName: "scan-0002"])
            #expect(fresh.status == .created)
            #expect(try await world.stock(store: world.storeA1, product: later) == 4)
        }
    }

    /// A product of 10 units, a sale service of its own, the vendor selling, and the key "done" answered 201 "first".
    static func shopWithAnsweredKey(
        _ client: any TestClientProtocol, _ world: ShopWorld, _ dependencies: AppDependencies, barcode: String
    ) async throws -> (product: Int64, service: SaleService, caller: Caller) {
        let owner = try await client.signIn(world.ownerA)
        let product = try await client.createProduct(as: owner, barcode: barcode, name: barcode.capitalized, quantity: 10, price: 3)
        let caller = SaleBatchTests.vendor(world)
        try await world.database.withTransaction { transaction in
            try await IdempotencyRepository().store(
                [(Self.keyed(caller, "done").claim, StoredAnswer(status: 201, body: Data("first".utf8)))], transaction.db)
        }
        return (product, SaleBatchTests.service(dependencies), caller)
    }

    static func order(_ product: Int64) -> SaleRequest {
        SaleRequest(storeID: nil, lines: [.init(productID: product, quantity: 1)], paymentMethod: .cash)
    }

    static func keyed(_ caller: Caller, _ key: String, digest: String = "the request") -> KeyedSale {
        KeyedSale(
            claim: IdempotencyClaim(userID: caller.userID, key: key, digest: digest),
            answer: { StoredAnswer(status: 201, body: Data("sale \($0.id) bill \($0.billNumber)".utf8)) },
            refusal: { StoredAnswer(status: 409, body: Data("short of \($0.productID)".utf8)) })
    }
}

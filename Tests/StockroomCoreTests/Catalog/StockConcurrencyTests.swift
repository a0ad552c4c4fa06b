import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Stock under concurrency")
struct StockConcurrencyTests {
    @Test(
        "parallel transfers both ways and stock sets never go negative, conserve units and keep the ledger balanced",
        arguments: Engine.allCases)
    func parallelTransfersAndSets(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "RACE-1", name: "Race", quantity: 50, storeID: world.storeA1)
            let stores = [world.storeA1, world.storeA2]

            // phase 1: only transfers, in both directions — units are conserved
            let outcomes = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<60 {
                    let from = stores[index % 2]
                    let to = stores[(index + 1) % 2]
                    group.addTask {
                        try await client.call(
                            .post, "/api/store-inventory/transfer", as: owner,
                            json: """
                                {"productId": \(product), "fromStoreId": \(from), "toStoreId": \(to), "quantity": \(1 + index % 7)}
                                """
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(outcomes.allSatisfy { $0 == .ok || $0 == .badRequest }, "only successes and insufficient-stock refusals: \(outcomes)")
            #expect(outcomes.contains(.ok))
            let a1 = try await world.stock(store: world.storeA1, product: product) ?? 0
            let a2 = try await world.stock(store: world.storeA2, product: product) ?? 0
            #expect(a1 + a2 == 50 && a1 >= 0 && a2 >= 0)

            // phase 2: transfers racing stock sets
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        if index % 4 == 0 {
                            let response = try await client.call(
                                .patch, "/api/store-inventory/stock", as: owner,
                                json: """
                                    {"productId": \(product), "storeId": \(stores[index % 2]), "stock": \(index)}
                                    """)
                            #expect(response.status == .ok, "\(response.text)")
                        } else {
                            let response = try await client.call(
                                .post, "/api/store-inventory/transfer", as: owner,
                                json: """
                                    {"productId": \(product), "fromStoreId": \(stores[index % 2]), "toStoreId": \(stores[(index + 1) % 2]), "quantity": 3}
                                    """)
                            #expect(response.status == .ok || response.status == .badRequest, "\(response.text)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let problems = try await world.ledgerProblems()
            #expect(problems.negative == 0)
            #expect(problems.mismatches.isEmpty, "\(problems.mismatches)")
        }
    }

    @Test("a retried transfer with the same Idempotency-Key moves stock once; the key with another body is refused")
    func idempotentTransfer() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "IDEM-1", name: "Once", quantity: 10)
            let body = #"{"productId": \#(product), "fromStoreId": \#(world.storeA1), "toStoreId": \#(world.storeA2), "quantity": 4}"#
            let key: HTTPFields = [Idempotency.headerName: "transfer-0001"]
            let first = try await client.call(.post, "/api/store-inventory/transfer", as: owner, json: body, headers: key)
            let retry = try await client.call(.post, "/api/store-inventory/transfer", as: owner, json: body, headers: key)
            #expect(first.status == .ok && retry.status == .ok)
            #expect(first.text == retry.text, "the retry gets the first answer")
            #expect(retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(try await world.stock(store: world.storeA1, product: product) == 6)
            let other = try await client.call(
                .post, "/api/store-inventory/transfer", as: owner, json: body.replacingOccurrences(of: "\"quantity\": 4", with: "\"quantity\": 5"),
                headers: key)
            #expect(try other.status == .unprocessableContent && other.json()["code"] == .string("idempotency_key_reused"))
            // a refusal is remembered too: the retry of a failed transfer fails the same way, even after restocking
            let tooMany = #"{"productId": \#(product), "fromStoreId": \#(world.storeA1), "toStoreId": \#(world.storeA2), "quantity": 7}"#
            let refusal: HTTPFields = [Idempotency.headerName: "transfer-0002"]
            #expect(try await client.call(.post, "/api/store-inventory/transfer", as: owner, json: tooMany, headers: refusal).status == .badRequest)
            _ = try await client.call(
                .patch, "/api/store-inventory/stock", as: owner, json: #"{"productId": \#(product), "storeId": \#(world.storeA1), "stock": 100}"#)
            #expect(try await client.call(.post, "/api/store-inventory/transfer", as: owner, json: tooMany, headers: refusal).status == .badRequest)
            #expect(try await world.stock(store: world.storeA1, product: product) == 100)
        }
    }
}

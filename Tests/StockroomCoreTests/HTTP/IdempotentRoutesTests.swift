import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The keyed writes other than new sales (stock set, transfer, sale edit and void) through the middleware that
/// gives routes their `Idempotency-Key`: the handler runs once per key and body, its answer — success or refusal —
/// kept in the same transaction and replayed.
@Suite("Idempotent routes")
struct IdempotentRoutesTests {
    @Test(
        "a keyed stock set, transfer and void each happen once; a retry replays the first answer; another body with the key is refused",
        arguments: Engine.allCases)
    func keyedWrites(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "KEYED", name: "Keyed item", quantity: 5, price: 2)
            func call(_ method: HTTPRequest.Method, _ path: String, _ json: String?, key: String) async throws -> TestResponse {
                try await client.call(method, path, as: owner, json: json, headers: [Idempotency.headerName: key])
            }
            // A transfer of more than the shelf holds is refused, and the refusal is the key's answer even once the
            // stock is there: the retry is the same request, answered the same way.
            let transfer = #"{"productId": \#(product), "fromStoreId": \#(world.storeA1), "toStoreId": \#(world.storeA2), "quantity": 8}"#
            let refused = try await call(.post, "/api/store-inventory/transfer", transfer, key: "move-1")
            #expect(refused.status == .badRequest)
            let set = #"{"productId": \#(product), "storeId": \#(world.storeA1), "stock": 20, "reason": "count"}"#
            let first = try await call(.patch, "/api/store-inventory/stock", set, key: "set-1")
            #expect(first.status == .ok && first.headers[Idempotency.replayedHeader] == nil)
            let again = try await call(.patch, "/api/store-inventory/stock", set, key: "set-1")
            #expect(again.status == .ok && again.headers[Idempotency.replayedHeader] == "true" && again.text == first.text)
            let retried = try await call(.post, "/api/store-inventory/transfer", transfer, key: "move-1")
            #expect(retried.status == .badRequest && retried.headers[Idempotency.replayedHeader] == "true")
            #expect(try retried.json()["code"] == refused.json()["code"])
            #expect(try await world.stock(store: world.storeA1, product: product) == 20)
            #expect((try await world.stock(store: world.storeA2, product: product) ?? 0) == 0)

            let other = try await call(.patch, "/api/store-inventory/stock", set.replacingOccurrences(of: "20", with: "21"), key: "set-1")
            #expect(other.status == .unprocessableContent)
            #expect(try await world.stock(store: world.storeA1, product: product) == 20)

            // A void answered once, then replayed: the retry is not told the sale is voided already.
            let sold = try await client.call(.post, "/api/sales/bulk", as: owner, json: #"{"items": [{"item_id": \#(product), "quantity": 3}]}"#)
            #expect(sold.status == .created)
            guard case .int(let saleID)? = try sold.json()["sale_id"] else {
                Issue.record("no sale id: \(sold.text)")
                return
            }
            let voided = try await call(.post, "/api/sales/\(saleID)/void", nil, key: "void-1")
            #expect(voided.status == .ok)
            let voidedAgain = try await call(.post, "/api/sales/\(saleID)/void", nil, key: "void-1")
            #expect(voidedAgain.status == .ok && voidedAgain.text == voided.text && voidedAgain.headers[Idempotency.replayedHeader] == "true")
            let unkeyed = try await client.call(.post, "/api/sales/\(saleID)/void", as: owner)
            #expect(unkeyed.status == .conflict)
            #expect(try await world.stock(store: world.storeA1, product: product) == 20)

            // Refused for who asked, not for what: nothing kept, so the key is free once the account may.
            let vendor = try await client.signIn(world.vendorA1)
            let forbidden = try await client.call(
                .patch, "/api/store-inventory/stock", as: vendor, json: set, headers: [Idempotency.headerName: "set-by-vendor"])
            #expect(forbidden.status == .forbidden)

            let kept = try await world.database.read {
                try await $0.raw("SELECT COUNT(*) AS n FROM idempotency_keys").first(decodingColumn: "n", as: Int.self)
            }
            #expect(kept == 3)
        }
    }

    @Test("a key that is not 1 to 255 visible ASCII characters is refused before anything runs", arguments: Engine.allCases)
    func badKey(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "BADKEY", name: "Item", quantity: 5, price: 2)
            let set = #"{"productId": \#(product), "storeId": \#(world.storeA1), "stock": 9}"#
            let answer = try await client.call(
                .patch, "/api/store-inventory/stock", as: owner, json: set,
                headers: [Idempotency.headerName: String(repeating: "k", count: 256)])
            #expect(answer.status == .badRequest && answer.text.contains("invalid_idempotency_key"))
            #expect(try await world.stock(store: world.storeA1, product: product) == 5)
        }
    }
}

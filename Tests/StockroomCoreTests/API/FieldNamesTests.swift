import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The domain names a refused field in the shop's words; each API's refusal names it as that API's request did:
/// StockManager's snake_case bodies, Credith's camelCase ones.
@Suite("Field names in refusals")
struct FieldNamesTests {
    @Test(
        "a refused line, product, store or URL is named as the request named it, in the field and the message",
        arguments: Engine.allCases)
    func namedAsSent(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            func field(_ method: HTTPRequest.Method, _ path: String, _ json: String, headers: HTTPFields = [:]) async throws -> (String?, String?) {
                let answer = try await client.call(method, path, as: owner, json: json, headers: headers)
                #expect(answer.status == .badRequest, "\(path): \(answer.text)")
                let body = try answer.json()
                guard case .string(let field)? = body["field"], case .string(let message)? = body["error"] else { return (nil, nil) }
                return (field, message)
            }
            #expect(try await field(.post, "/api/sales/bulk", #"{"items": []}"#).0 == "items")
            #expect(try await field(.post, "/api/bills", #"{"storeId": \#(world.storeA1), "details": []}"#).0 == "details")
            #expect(try await field(.post, "/api/sales/bulk", #"{"items": [{"item_id": 0, "quantity": 1}]}"#).0 == "item_id")
            #expect(
                try await field(.post, "/api/bills", #"{"storeId": \#(world.storeA1), "details": [{"productId": 0, "quantity": 1}]}"#).0
                    == "productId")
            // A keyed request's kept refusal names it so too, and its replay.
            let keyed: HTTPFields = [Idempotency.headerName: "named-1"]
            #expect(try await field(.post, "/api/bills", #"{"storeId": \#(world.storeA1), "details": []}"#, headers: keyed).0 == "details")
            #expect(try await field(.post, "/api/bills", #"{"storeId": \#(world.storeA1), "details": []}"#, headers: keyed).0 == "details")

            let product = try await client.createProduct(as: owner, barcode: "NAMED", name: "Named", quantity: 5, price: 2)
            let closed = try await client.call(.put, "/api/stores/deactivate/\(world.storeA2)", as: owner)
            #expect(closed.status == .ok, "\(closed.text)")
            let stock = try await field(
                .patch, "/api/store-inventory/stock", #"{"productId": \#(product), "storeId": \#(world.storeA2), "stock": 3}"#)
            #expect(stock.0 == "storeId")
            let transfer = try await field(
                .post, "/api/store-inventory/transfer",
                #"{"productId": \#(product), "fromStoreId": \#(world.storeA1), "toStoreId": \#(world.storeA1), "quantity": 1}"#)
            #expect(transfer.0 == "toStoreId" && transfer.1 == "fromStoreId and toStoreId must be different stores")

            let url = try await field(
                .post, "/api/notifications/create",
                #"{"user_id": \#(world.ownerA.id), "title": "t", "message": "m", "action_url": "javascript:alert(1)"}"#)
            #expect(url.0 == "action_url" && url.1 == "action_url must be a path or an http(s) address")
        }
    }

    @Test("a refusal whose message names its field is written again for the request's name; one that does not keeps its words")
    func renaming() {
        do {
            try Validation.checkText(String(repeating: "x", count: 501), field: "actionURL", length: 1...500)
        } catch let refusal as ShopError {
            let named = FieldNames.stockManager.naming(refusal)
            #expect(refusal.message == "actionURL must be 1 to 500 characters")
            #expect(named.field == "action_url" && named.message == "action_url must be 1 to 500 characters")
        } catch {
            Issue.record("\(error)")
        }
        let kept = FieldNames.credith.naming(ShopError.invalidField("lines", "A sale needs at least one item"))
        #expect(kept.field == "details" && kept.message == "A sale needs at least one item")
        #expect(FieldNames.credith.naming(ShopError.invalidField("quantity", "q")).field == "quantity")
        #expect(FieldNames(path: "/api/bills/3").naming(ShopError.missingField("store")).message == "Missing required field 'storeId'")
        #expect(FieldNames(path: "/api/users").naming(ShopError.missingField("store")).message == "Missing required field 'store_id'")
        // By whole segments, as the router matches them.
        #expect(FieldNames(path: "//api//bills").names == FieldNames.credith.names)
        #expect(FieldNames(path: "/api/bills-old").names == FieldNames.stockManager.names)
    }
}

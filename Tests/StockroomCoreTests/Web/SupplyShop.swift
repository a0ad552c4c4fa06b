import Foundation
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// A shop with its supply side under way, made through the API: a supplier, two products carried by stores A1 and
/// A2, an order placed for A1 (12 coffee at 4.10, 5 tea at 2.50) and a transfer of 6 coffee and 3 tea from A1 to A2.
struct SupplyShop: Sendable {
    static let coffeeCode = "7791000000011"
    static let teaCode = "7791000000028"

    let supplier: Int64
    let coffee: Int64
    let tea: Int64
    let order: Int64
    let orderLines: [Int64]
    let transfer: Int64

    static func make(_ client: any TestClientProtocol, _ world: ShopWorld, owner: SignedIn) async throws -> SupplyShop {
        let coffee = try await client.createProduct(
            as: owner, barcode: coffeeCode, name: "Coffee beans", quantity: 20, price: 9, cost: 4, storeID: world.storeA1)
        let tea = try await client.createProduct(
            as: owner, barcode: teaCode, name: "Green tea", quantity: 10, price: 5, cost: 2.5, storeID: world.storeA1)
        for product in [coffee, tea] {
            let carried = try await client.call(
                .patch, "/api/store-inventory/stock", as: owner, json: #"{"productId": \#(product), "storeId": \#(world.storeA2), "stock": 0}"#)
            try #require(carried.status.code < 300, "\(carried.text)")
        }
        let supplier = try await client.createSupplier(as: owner, name: "Norte & <Sur>")
        let order = try await client.placeOrder(
            as: owner, supplier: supplier, store: world.storeA1,
            lines: #"{"product_id": \#(coffee), "quantity": 12, "unit_cost": 4.1}, {"product_id": \#(tea), "quantity": 5, "unit_cost": 2.5}"#)
        let sent = try await client.call(
            .post, "/api/transfers", as: owner,
            json: """
                {"from_store_id": \(world.storeA1), "to_store_id": \(world.storeA2),
                 "lines": [{"product_id": \(coffee), "quantity": 6}, {"product_id": \(tea), "quantity": 3}]}
                """)
        try #require(sent.status == .created, "\(sent.text)")
        return SupplyShop(
            supplier: supplier, coffee: coffee, tea: tea, order: try #require(order["id"]?.int),
            orderLines: order["lines"]?.array.compactMap { $0["id"]?.int } ?? [], transfer: try #require(try sent.json()["id"]?.int))
    }
}

import Foundation

/// Why stock changed: every change writes one ledger row of one of these kinds.
public enum MovementKind: String, Sendable, Codable, CaseIterable {
    case opening, sale
    case saleEdit = "sale_edit"
    case void, adjustment
    case transferOut = "transfer_out"
    case transferIn = "transfer_in"
    case `import`
    /// Goods arriving against a purchase order.
    case receipt
    /// A customer's return put back on the shelf; `writeOff` takes a returned unit that cannot be sold out again.
    case `return`
    case writeOff = "write_off"
    /// A stock count's correction.
    case count
    /// Units dispatched from another store that never arrived (lost or damaged on the way).
    case transferLoss = "transfer_loss"
}

/// One row of the stock ledger. The movements of a store's product always sum to its stock.
public struct StockMovement: Sendable, Equatable {
    public var id: Int64
    public var companyID: Int64
    public var storeID: Int64
    public var productID: Int64
    public var kind: MovementKind
    public var delta: Int64
    public var stockAfter: Int64
    public var actorID: Int64?
    public var reference: String?
    public var reason: String?
    public var createdAt: Date
}

/// A product's stock in one store.
public struct StockLevel: Sendable, Equatable {
    public var storeID: Int64
    public var productID: Int64
    public var inStock: Int64
    public var minStock: Int64
    public var isActive: Bool
}

/// Not enough stock for a change, with the numbers: a conflict with the shelf for sales (409), an invalid request for
/// transfers (400, as Credith documents).
public struct InsufficientStock: Error, Sendable {
    public var productID: Int64
    public var storeID: Int64
    public var requested: Int64
    public var available: Int64

    public func refusal(_ kind: ShopError.Kind = .conflict) -> ShopError {
        ShopError(
            kind, code: "insufficient_stock",
            "Not enough stock of product \(productID): requested \(requested), available \(available)",
            facts: ["product_id": .int(productID), "store_id": .int(storeID), "requested": .int(requested), "available": .int(available)])
    }
}

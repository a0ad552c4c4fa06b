import Foundation

/// A product of a company's catalog; stock is per store (`StockLevel`).
public struct Product: Sendable, Equatable {
    public var id: Int64
    public var companyID: Int64
    public var categoryID: Int64?
    public var categoryName: String?
    public var barcode: String
    public var name: String
    public var description: String
    public var priceCents: Int64
    public var costCents: Int64
    /// `YYYY-MM-DD`, when the product expires.
    public var expirationDate: String?
    public var imageURL: String?
    public var isActive: Bool
    public var createdAt: Date
    public var updatedAt: Date
}

/// A product as one store sees it: the catalog entry with that store's stock and minimum.
public struct StoreProduct: Sendable, Equatable {
    public var product: Product
    public var storeID: Int64
    public var stock: Int64
    public var minStock: Int64
    /// False when the product is archived in this store (Credith's per-store archive).
    public var isActiveInStore: Bool

    /// On sale in this store: neither disabled for the company nor archived here.
    public var isOnSale: Bool { product.isActive && isActiveInStore }
}

public struct Category: Sendable, Equatable {
    public var id: Int64
    public var companyID: Int64
    public var name: String
    public var isActive: Bool
    public var createdAt: Date
}

/// StockManager's limits, kept as validation bounds.
public enum CatalogLimits {
    public static let name = 1...100
    public static let description = 0...500
    public static let barcode = 1...64
    public static let priceCents: ClosedRange<Int64> = 0...100_000_000
    public static let quantity: ClosedRange<Int64> = 0...1_000_000
}

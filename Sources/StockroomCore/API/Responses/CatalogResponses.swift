import Foundation
import Hummingbird

/// A product as StockManager's clients read it, with the stock of the store it was read for.
struct ProductResponse: ResponseEncodable, AllKeysEncodable {
    let id: Int64
    let barcode: String
    let name: String
    let description: String
    let stock: Int64
    let minStock: Int64
    let price: Double
    let cost: Double
    /// StockManager's `1` (on sale) or `0` (disabled for the company, or archived in the store read).
    let status: Int
    let expirationDate: String?
    let category: String?
    let categoryID: Int64?
    let imageURL: String?
    let storeID: Int64
    let createdAt: Date
    let updatedAt: Date

    init(_ item: StoreProduct) {
        let product = item.product
        id = product.id
        barcode = product.barcode
        name = product.name
        description = product.description
        stock = item.stock
        minStock = item.minStock
        price = Money.amount(product.priceCents)
        cost = Money.amount(product.costCents)
        status = item.isOnSale ? 1 : 0
        expirationDate = product.expirationDate
        category = product.categoryName
        categoryID = product.categoryID
        imageURL = product.imageURL
        storeID = item.storeID
        createdAt = product.createdAt
        updatedAt = product.updatedAt
    }
}

extension ProductResponse: JSONWritable {
    private static let keys = JSONObjectKeys(
        [
            "id", "barcode", "name", "description", "stock", "minStock", "price", "cost", "status", "expirationDate", "category",
            "categoryID", "imageURL", "storeID", "createdAt", "updatedAt",
        ], style: keyStyle)

    /// What the synthesized `Encodable` conformance writes, field by field (pages list hundreds of products).
    func write(to output: JSONOutput) throws {
        let keys = Self.keys
        output.key(keys[0])
        output.signed(id)
        output.key(keys[1])
        output.string(barcode)
        output.key(keys[2])
        output.string(name)
        output.key(keys[3])
        output.string(description)
        output.key(keys[4])
        output.signed(stock)
        output.key(keys[5])
        output.signed(minStock)
        output.key(keys[6])
        try output.double(price)
        output.key(keys[7])
        try output.double(cost)
        output.key(keys[8])
        output.signed(Int64(status))
        output.key(keys[9])
        output.optional(expirationDate)
        output.key(keys[10])
        output.optional(category)
        output.key(keys[11])
        output.optional(categoryID)
        output.key(keys[12])
        output.optional(imageURL)
        output.key(keys[13])
        output.signed(storeID)
        output.key(keys[14])
        output.date(createdAt)
        output.key(keys[15])
        output.date(updatedAt)
        output.endObject()
    }
}

/// A category as Credith's clients read it.
struct CategoryResponse: ResponseEncodable, AllKeysEncodable {
    static var keyStyle: JSONKeyStyle { .asWritten }
    let categoryId: Int64
    let name: String
    let isActive: Bool
    let createdAt: Date

    init(_ category: Category) {
        categoryId = category.id
        name = category.name
        isActive = category.isActive
        createdAt = category.createdAt
    }
}

/// Credith's inventory record, with the product (and store) embedded where the list shows them; keys that a
/// documented shape lacks are left out rather than null, as in Credith's examples.
struct InventoryRecordResponse: ResponseEncodable {
    let productId: Int64
    let storeId: Int64
    let inStock: Int64
    let isActive: Bool
    let product: ProductSummary?
    let store: StoreSummary?

    struct ProductSummary: Encodable {
        let productId: Int64
        let name: String
        let description: String
        let sellPrice: Double
        let buyPrice: Double?
        let imageUrl: String?
        let minGainPercentage: Int?

        enum CodingKeys: String, CodingKey { case productId, name, description, sellPrice, buyPrice, imageUrl, minGainPercentage }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(productId, forKey: .productId)
            try container.encode(name, forKey: .name)
            try container.encode(description, forKey: .description)
            try container.encode(sellPrice, forKey: .sellPrice)
            try container.encodeIfPresent(buyPrice, forKey: .buyPrice)
            try container.encode(imageUrl, forKey: .imageUrl)
            try container.encodeIfPresent(minGainPercentage, forKey: .minGainPercentage)
        }
    }

    /// The embedded store, as Credith's seed shows it: `address` is always there (null when the store has none).
    struct StoreSummary: Encodable, AllKeysEncodable {
        static var keyStyle: JSONKeyStyle { .asWritten }
        let storeId: Int64
        let address: String?
        let isActive: Bool
    }

    init(_ level: StockLevel) {
        productId = level.productID
        storeId = level.storeID
        inStock = level.inStock
        isActive = level.isActive
        product = nil
        store = nil
    }

    /// `withCost` adds the buying price and margin (the caller's own store view); `withStore` embeds the store.
    init(_ record: InventoryRecord, withCost: Bool, withStore: Bool) {
        productId = record.level.productID
        storeId = record.level.storeID
        inStock = record.level.inStock
        isActive = record.level.isActive
        let product = record.product
        let margin: Int? = product.costCents > 0 ? Int((product.priceCents - product.costCents) * 100 / product.costCents) : nil
        self.product = ProductSummary(
            productId: product.id, name: product.name, description: product.description, sellPrice: Money.amount(product.priceCents),
            buyPrice: withCost ? Money.amount(product.costCents) : nil, imageUrl: product.imageURL, minGainPercentage: withCost ? margin : nil)
        store = withStore ? StoreSummary(storeId: record.store.id, address: record.store.address, isActive: record.store.isActive) : nil
    }
}

/// A ledger row (snake_case, new to Stockroom).
struct StockMovementResponse: ResponseEncodable, AllKeysEncodable {
    let id: Int64
    let storeID: Int64
    let productID: Int64
    let kind: MovementKind
    let delta: Int64
    let stockAfter: Int64
    let actorID: Int64?
    let reference: String?
    let reason: String?
    let createdAt: Date

    init(_ movement: StockMovement) {
        id = movement.id
        storeID = movement.storeID
        productID = movement.productID
        kind = movement.kind
        delta = movement.delta
        stockAfter = movement.stockAfter
        actorID = movement.actorID
        reference = movement.reference
        reason = movement.reason
        createdAt = movement.createdAt
    }
}

/// A created or changed record with the `message` StockManager's clients show beside it (`{...the record, message}`).
/// All-keys and snake_case like the records it carries: their keys are written through this type's encoder.
struct Saved<Record: Encodable & Sendable>: ResponseEncodable, AllKeysEncodable, Sendable {
    let record: Record
    let message: String

    init(_ record: Record, message: String) {
        self.record = record
        self.message = message
    }

    func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        var container = encoder.container(keyedBy: AnyKey.self)
        try container.encode(message, forKey: AnyKey("message"))
    }
}

import Foundation

/// A product body as StockManager sends it. Every field is optional here (the service says which are required
/// on create); a field sent as `null` clears it where that makes sense, a field left out keeps its value.
struct ProductRequest: Decodable {
    var fields = CatalogService.ProductFields()
    var storeID: Int64?
    /// StockManager's `status` on an update: `1` activates, `0` disables.
    var active: Bool?

    enum Keys: String, CodingKey {
        case barcode, name, description, quantity, price, cost, category, status
        case minQuantity = "min_quantity"
        case expirationDate = "expiration_date"
        case imageURL = "image_url"
        case storeID = "store_id"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        // Only the clearable fields take null; elsewhere null is a mistake, not "leave it as it is".
        for key in [Keys.barcode, .name, .description, .quantity, .price, .cost, .minQuantity, .storeID] where container.contains(key) {
            if try container.decodeNil(forKey: key) { throw ShopError.invalidField(key.rawValue, "\(key.rawValue) must not be null") }
        }
        func text(_ key: Keys) throws -> String? {
            try container.decodeIfPresent(String.self, forKey: key)?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        /// Absent: nil; null: .some(nil); text: .some(text), blank text counting as null.
        func clearable(_ key: Keys) throws -> String?? {
            guard container.contains(key) else { return nil }
            if try container.decodeNil(forKey: key) { return .some(nil) }
            let value = try text(key)
            return .some(value?.isEmpty == true ? nil : value)
        }
        func money(_ key: Keys) throws -> Int64? {
            try container.decodeIfPresent(Double.self, forKey: key).map { try Money.cents($0, field: key.rawValue) }
        }
        let barcode = try text(.barcode)
        fields.barcode = barcode?.isEmpty == true ? nil : barcode
        fields.name = try text(.name)
        fields.description = try text(.description)
        fields.priceCents = try money(.price)
        fields.costCents = try money(.cost)
        fields.quantity = try container.decodeIfPresent(Int64.self, forKey: .quantity)
        fields.minQuantity = try container.decodeIfPresent(Int64.self, forKey: .minQuantity)
        fields.expirationDate = try clearable(.expirationDate)
        fields.category = try clearable(.category)
        fields.imageURL = try clearable(.imageURL)
        storeID = try container.decodeIfPresent(Int64.self, forKey: .storeID)
        if container.contains(.status) {
            // 1 or 0 as StockManager sends it; "active"/"disabled" as Stockroom's answers once spelled it.
            let number = try? container.decode(Int64.self, forKey: .status)
            let word = try? container.decode(String.self, forKey: .status)
            switch (number, word) {
            case (1?, _), (_, "1"?), (_, "active"?): active = true
            case (0?, _), (_, "0"?), (_, "disabled"?): active = false
            default: throw ShopError.invalidField("status", "status must be 1 (active) or 0 (disabled)")
            }
        }
        if let storeID, storeID <= 0 { throw ShopError.invalidField("store_id", "store_id must be a positive id") }
    }
}

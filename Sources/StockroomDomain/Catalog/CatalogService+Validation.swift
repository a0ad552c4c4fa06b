import Foundation

extension CatalogService {
    /// StockManager's limits, each failure a 400 naming its field.
    static func validate(_ fields: ProductFields) throws {
        func text(_ value: String?, _ field: String, _ range: ClosedRange<Int>) throws {
            try Validation.checkText(value, field: field, length: range)
        }
        try text(fields.name, "name", CatalogLimits.name)
        try text(fields.description, "description", CatalogLimits.description)
        try text(fields.barcode, "barcode", CatalogLimits.barcode)
        if let barcode = fields.barcode, barcode.contains(where: \.isWhitespace) {
            throw ShopError.invalidField("barcode", "barcode must not contain spaces")
        }
        if let name = fields.name, name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ShopError.invalidField("name", "name must not be blank")
        }
        try text(fields.category ?? nil, "category", 1...100)
        try text(fields.imageURL ?? nil, "image_url", 1...500)
        if case .some(.some(let address)) = fields.imageURL, !Validation.isWebAddress(address) {
            throw ShopError.invalidField("image_url", "image_url must be an http(s) address")
        }
        for (value, field) in [(fields.quantity, "quantity"), (fields.minQuantity, "min_quantity")] {
            if let value, !CatalogLimits.quantity.contains(value) {
                throw ShopError.invalidField(field, "\(field) must be a whole number from 0 to 1000000")
            }
        }
        if case .some(.some(let date)) = fields.expirationDate, !Self.isDay(date) {
            throw ShopError.invalidField("expiration_date", "expiration_date must be a date as YYYY-MM-DD")
        }
    }

    static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard text.count == 10, parts.count == 3 else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else { return false }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == parts[0] && back.month == parts[1] && back.day == parts[2]
    }
}

extension StoreProduct {
    /// The product as the audit log records it, with this store's stock.
    var auditValues: [String: JSONValue] {
        [
            "barcode": .string(product.barcode), "name": .string(product.name), "description": .string(product.description),
            "price": .double(Money.amount(product.priceCents)), "cost": .double(Money.amount(product.costCents)),
            "expiration_date": product.expirationDate.map(JSONValue.string) ?? .null,
            "category": product.categoryName.map(JSONValue.string) ?? .null, "is_active": .bool(product.isActive),
            "store_id": .int(storeID), "stock": .int(stock), "min_stock": .int(minStock),
        ]
    }
}

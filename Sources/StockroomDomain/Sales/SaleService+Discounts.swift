import SQLKit

/// The till's settings and the discount each role may give.
extension SaleService {
    public func tillSettings(_ caller: Caller) async throws -> TillSettings {
        try await database.read { try await TillSettingsRepository().settings(companyID: caller.companyID, $0) }
    }

    /// Sets the receipt and discount settings (owners), audited with what they were.
    public func setTillSettings(_ caller: Caller, _ settings: TillSettings) async throws -> TillSettings {
        try caller.require(.manageStores)
        return try await database.withTransaction { transaction in
            let repository = TillSettingsRepository()
            let before = try await repository.settings(companyID: caller.companyID, transaction.db)
            guard before != settings else { return settings }
            try await repository.setSettings(settings, companyID: caller.companyID, transaction.db)
            try await audit.record(
                caller.auditEntry(
                    "till_settings_updated", entityType: "company", entityID: caller.companyID, old: before.auditValues, new: settings.auditValues),
                transaction.db)
            return settings
        }
    }

    /// Refuses a sale whose discounts (its lines' and its own together) are a larger share of its gross than the
    /// caller's role may give: 403 `discount_over_limit` with the limit and what was asked, both in percent. An edit
    /// may keep the share the sale already had (an owner's discount is not undone by an admin's correction).
    func checkDiscount(_ caller: Caller, _ sale: Sale, before: Sale? = nil, _ db: any SQLDatabase) async throws {
        let (gross, given) = Self.discountShare(sale)
        guard given > 0, caller.role != .owner else { return }
        let settings = try await TillSettingsRepository().settings(companyID: caller.companyID, db)
        guard let limit = settings.maxDiscount(for: caller.role), Self.product(given, 10_000) > Self.product(gross, limit) else { return }
        if let before {
            let (grossBefore, givenBefore) = Self.discountShare(before)
            // the same or a smaller share than the sale had (cross-multiplied: no rounding)
            if Self.product(given, grossBefore) <= Self.product(givenBefore, gross) { return }
        }
        let asked = (Double(given) / Double(gross) * 10_000).rounded() / 100
        throw ShopError(
            .forbidden, code: "discount_over_limit",
            "A discount of \(asked) % is more than the \(Double(limit) / 100) % your role may give",
            facts: ["max_discount": .double(Double(limit) / 100), "discount": .double(asked), "field": .string("discount")])
    }

    /// a × b without overflow (a sale's gross reaches 2·10¹⁶ cents), comparable as a number for non-negative a and b.
    private static func product(_ a: Int64, _ b: Int64) -> (Int64, UInt64) {
        let (high, low) = a.multipliedFullWidth(by: b)
        return (high, low)
    }

    /// The sale's gross (prices × quantities) and the discount given on it, in cents.
    static func discountShare(_ sale: Sale) -> (gross: Int64, given: Int64) {
        let gross = sale.lines.reduce(0) { $0 + $1.unitPriceCents * $1.quantity }
        return (gross, gross - (sale.subtotalCents - sale.discountCents))
    }
}

/// What the till needs to price a cart as the server will and to print a receipt.
public struct TillView: Sendable {
    public var settings: TillSettings
    public var tax: TaxSettings
    /// The receipt's header: the shop's name (the company's when none is set) and the selling store's address
    /// (the company's receipt address when the store has none).
    public var shopName: String
    public var address: String
    /// The caller's largest discount in basis points of the gross; nil for any.
    public var maxDiscount: Int64?
}

extension SaleService {
    public func tillView(_ caller: Caller) async throws -> TillView {
        try await database.read { db in
            let repository = TillSettingsRepository()
            let settings = try await repository.settings(companyID: caller.companyID, db)
            let header = try await repository.header(companyID: caller.companyID, storeID: caller.storeID, db)
            let storeAddress = header.storeAddress?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return TillView(
                settings: settings, tax: try await sales.tax(companyID: caller.companyID, db),
                shopName: settings.shopName.isEmpty ? header.company : settings.shopName,
                address: storeAddress.isEmpty ? settings.address : storeAddress, maxDiscount: settings.maxDiscount(for: caller.role))
        }
    }
}

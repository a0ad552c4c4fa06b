import Foundation

/// Money crosses the API as a JSON number with at most two decimals and lives as integer cents.
public enum Money {
    /// Cents from a JSON amount; 400 naming `field` for more than two decimals or a value outside `range`.
    public static func cents(_ amount: Double, field: String, range: ClosedRange<Int64> = CatalogLimits.priceCents) throws -> Int64 {
        let scaled = amount * 100
        guard scaled.isFinite, abs(scaled - scaled.rounded()) < 0.000_001 else {
            throw ShopError.invalidField(field) { "\($0) must be an amount with at most two decimals" }
        }
        let cents = Int64(exactly: scaled.rounded()) ?? -1
        guard range.contains(cents) else {
            throw ShopError.invalidField(field) { "\($0) must be between \(Money.amount(range.lowerBound)) and \(Money.amount(range.upperBound))" }
        }
        return cents
    }

    /// The JSON amount for `cents`.
    public static func amount(_ cents: Int64) -> Double {
        Double(cents) / 100
    }
}

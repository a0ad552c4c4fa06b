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

    /// `numerator / denominator` rounded half to even (both non-negative, the denominator positive): a cent's half
    /// goes up as often as down, so rounding again and again (averages, refunds) does not lean one way.
    static func divided(_ numerator: Int128, by denominator: Int128) -> Int128 {
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        let twice = remainder * 2
        let roundsUp = twice > denominator || (twice == denominator && quotient % 2 == 1)
        return quotient + (roundsUp ? 1 : 0)
    }
}

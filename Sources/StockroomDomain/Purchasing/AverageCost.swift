/// A product's moving-average cost, kept per company as the value of its units in whole cents and the units that
/// value covers — never as a rounded unit cost, which would drift receipt after receipt.
///
/// The formula (README, "Purchasing"): when `r` units arrive at `c` cents each while the company holds `Q` units
/// (every store, and in transit), the stock's value becomes `round(V × Q / U) + r × c` over `Q + r` units, where
/// `V / U` is the average so far. Units that left since the last receipt (sales, transfers out of the company's
/// books, write-offs) left at that average, so the `Q` remaining units are worth `V × Q / U`, rounded half to even
/// to the cent; with nothing sold in between, `Q = U` and nothing is rounded at all. The unit cost a sale captures
/// (`products.cost_cents`) is `V / U` rounded half to even. Without an average to go by (no receipt yet, or the cost
/// was set by hand since), the units held are valued at the product's cost as it stands.
public struct AverageCost: Sendable, Equatable {
    /// The value of `units` at average cost, in cents.
    public var valueCents: Int64
    /// The units the value covers; 0 when there is no average (the product's own cost stands).
    public var units: Int64

    public init(valueCents: Int64, units: Int64) {
        self.valueCents = valueCents
        self.units = units
    }

    /// The unit cost a sale captures: the average rounded half to even to the cent, or `standing` without one.
    public func unitCostCents(standing: Int64) -> Int64 {
        units > 0 ? Int64(Money.divided(Int128(valueCents), by: Int128(units))) : standing
    }

    /// The average after `quantity` units arrive at `unitCostCents` each while the company holds `held` units (not
    /// counting these); nil when the value would not fit in 64 bits.
    public func receiving(_ quantity: Int64, at unitCostCents: Int64, held: Int64, standing: Int64) -> AverageCost? {
        let held = max(held, 0)
        let heldValue: Int128 =
            if held == 0 {
                0
            } else if units == 0 {
                Int128(held) * Int128(standing)
            } else if held == units {
                Int128(valueCents)
            } else {
                Money.divided(Int128(valueCents) * Int128(held), by: Int128(units))
            }
        let value = heldValue + Int128(quantity) * Int128(unitCostCents)
        guard let valueCents = Int64(exactly: value), let units = Int64(exactly: Int128(held) + Int128(quantity)) else { return nil }
        return AverageCost(valueCents: valueCents, units: units)
    }
}

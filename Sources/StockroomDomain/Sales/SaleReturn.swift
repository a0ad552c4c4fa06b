import Foundation

/// Goods a customer brought back against a sale, and what they were refunded.
public struct SaleReturn: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var productID: Int64
        public var productName: String
        public var quantity: Int64
        public var refundCents: Int64
        /// The line's revenue before the sale's own discount and tax, as the product reports count it.
        var revenueCents: Int64
        var costCents: Int64
        /// Back on the shelf; otherwise written off with `reason`.
        public var restocked: Bool
        public var reason: String?
    }

    public var id: Int64
    public var companyID: Int64
    public var storeID: Int64
    public var saleID: Int64
    public var refundCents: Int64
    public var taxCents: Int64
    public var note: String
    public var createdBy: Int64?
    public var createdAt: Date
    public var lines: [Line]
}

/// A returned product as asked: how many units, and whether they go back on the shelf (a write-off needs a reason).
public struct ReturnRequest: Sendable, Equatable {
    public var productID: Int64
    public var quantity: Int64
    public var restock: Bool
    public var reason: String?

    public init(productID: Int64, quantity: Int64, restock: Bool = true, reason: String? = nil) {
        self.productID = productID
        self.quantity = quantity
        self.restock = restock
        self.reason = reason
    }
}

/// What a return refunds, from what the sale captured: each line's share of the sale's total (after its line
/// discount, the sale's discount and tax) is `line total × sale total / subtotal`, rounded half to even, and the
/// units returned of a line over all its returns are refunded `share × returned / sold`, rounded half to even — each
/// return the difference from the ones before, so the refunds of a line add up to its share when all of it has come
/// back, and never drift. The refund's tax is its share of the sale's tax, the same way.
struct ReturnPricing {
    let sale: Sale

    /// The refund, line revenue and tax for `quantity` more units of `line` after `returnedBefore` units.
    func refund(_ line: SaleLine, quantity: Int64, returnedBefore: Int64) -> (refund: Int64, revenue: Int64) {
        let share = Self.share(line.lineTotalCents, of: sale.totalCents, over: sale.subtotalCents)
        let refund =
            Self.share(share, of: returnedBefore + quantity, over: line.quantity) - Self.share(share, of: returnedBefore, over: line.quantity)
        let revenue =
            Self.share(line.lineTotalCents, of: returnedBefore + quantity, over: line.quantity)
            - Self.share(line.lineTotalCents, of: returnedBefore, over: line.quantity)
        return (refund, revenue)
    }

    /// The tax inside `refundCents`: its share of the sale's tax.
    func tax(of refundCents: Int64) -> Int64 {
        Self.share(sale.taxCents, of: refundCents, over: sale.totalCents)
    }

    /// `amount × part / whole`, rounded half to even (0 for a whole of 0).
    static func share(_ amount: Int64, of part: Int64, over whole: Int64) -> Int64 {
        guard whole > 0 else { return 0 }
        return Int64(Money.divided(Int128(amount) * Int128(part), by: Int128(whole)))
    }
}

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

/// What a return refunds, from what the sale captured. The sale's total (after its lines' discounts, its own
/// discount and tax) is shared out over its lines in their order, cumulatively — line i gets
/// `round(total × (its line total and those before it) / subtotal)` less what the lines before got, rounded half to
/// even — so the shares add up to the total exactly. A product's share is its lines' (a product sold on two lines at
/// two discounts is returned as one), and the units returned of it over all its returns are refunded
/// `share × returned / sold`, again cumulatively: when everything has come back, the refunds add up to what was paid,
/// to the cent. The refund's tax is its share of the sale's tax, the same way over all the sale's returns.
struct ReturnPricing {
    struct Sold: Equatable {
        var quantity: Int64 = 0
        var lineTotalCents: Int64 = 0
        var shareCents: Int64 = 0
    }

    let sale: Sale
    /// Per product.
    let sold: [Int64: Sold]

    init(sale: Sale) {
        self.sale = sale
        var sold: [Int64: Sold] = [:]
        var running: Int64 = 0
        for line in sale.lines {
            let before = Self.share(sale.totalCents, of: running, over: sale.subtotalCents)
            running += line.lineTotalCents
            let after = Self.share(sale.totalCents, of: running, over: sale.subtotalCents)
            sold[line.productID, default: Sold()].quantity += line.quantity
            sold[line.productID, default: Sold()].lineTotalCents += line.lineTotalCents
            sold[line.productID, default: Sold()].shareCents += after - before
        }
        self.sold = sold
    }

    /// The refund and the line revenue for `quantity` more units of a product after `returnedBefore` units.
    func refund(productID: Int64, quantity: Int64, returnedBefore: Int64) -> (refund: Int64, revenue: Int64) {
        guard let sold = sold[productID] else { return (0, 0) }
        let refund =
            Self.share(sold.shareCents, of: returnedBefore + quantity, over: sold.quantity)
            - Self.share(sold.shareCents, of: returnedBefore, over: sold.quantity)
        let revenue =
            Self.share(sold.lineTotalCents, of: returnedBefore + quantity, over: sold.quantity)
            - Self.share(sold.lineTotalCents, of: returnedBefore, over: sold.quantity)
        return (refund, revenue)
    }

    /// The tax inside `refundCents` (refunds of the sale so far): its share of the sale's tax.
    func tax(of refundCents: Int64) -> Int64 {
        Self.share(sale.taxCents, of: refundCents, over: sale.totalCents)
    }

    /// `amount × part / whole`, rounded half to even (0 for a whole of 0).
    static func share(_ amount: Int64, of part: Int64, over whole: Int64) -> Int64 {
        guard whole > 0 else { return 0 }
        return Int64(Money.divided(Int128(amount) * Int128(part), by: Int128(whole)))
    }
}

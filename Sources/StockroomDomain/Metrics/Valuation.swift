import Foundation

/// What the stock was worth at a moment: every store's units of every product at the product's cost then, and what
/// was on the road between stores — all computed from the ledger and the history of costs, so any past moment can
/// be valued as it stood.
public struct Valuation: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var storeID: Int64
        public var storeName: String
        public var productID: Int64
        public var productName: String
        public var barcode: String
        public var units: Int64
        /// The product's unit cost at the moment (the moving average, or the cost set by hand).
        public var unitCostCents: Int64
        /// True for units in transit to `storeID`.
        public var inTransit: Bool

        public var valueCents: Int64 { units * unitCostCents }
    }

    public var at: Date
    /// By store name, then product name; in-transit rows after each store's shelves.
    public var rows: [Row]

    public var units: Int64 { rows.reduce(0) { $0 + $1.units } }
    public var valueCents: Int64 { rows.reduce(0) { $0 + $1.valueCents } }
}

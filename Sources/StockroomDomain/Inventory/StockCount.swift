import Foundation

/// A count of a store's shelves: lines for the products in its scope, counted by staff (on a phone, scanning)
/// while the store keeps selling, then posted (the differences written as `count` movements) or abandoned.
public struct StockCount: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case open, posted, abandoned
    }

    public struct Line: Sendable, Equatable {
        public var productID: Int64
        public var productName: String
        public var barcode: String
        /// The stock the system showed when the line was (last) counted; nil until counted.
        public var expected: Int64?
        public var counted: Int64?
        public var countedAt: Date?
        public var countedBy: Int64?
        /// What posting changed the stock by (a shortfall can be cut so the stock stays at zero or above).
        public var postedDelta: Int64?

        /// Counted less expected: what the shelf was over (+) or short (−) when counted.
        public var difference: Int64? {
            guard let counted, let expected else { return nil }
            return counted - expected
        }
    }

    public var id: Int64
    public var companyID: Int64
    public var storeID: Int64
    public var storeName: String
    public var status: Status
    /// The search the count was opened with (empty: every product the store carries).
    public var scope: String
    public var note: String
    public var createdBy: Int64?
    public var createdAt: Date
    public var updatedAt: Date
    public var closedBy: Int64?
    public var closedAt: Date?
    public var lines: [Line]
}

/// A count of one product, as staff enter it: by product or barcode, setting the number on the shelf or adding
/// to it (each scan adds one).
public struct CountEntry: Sendable, Equatable {
    public enum Amount: Sendable, Equatable {
        case set(Int64)
        case add(Int64)
    }

    public var productID: Int64?
    public var barcode: String?
    public var amount: Amount

    public init(productID: Int64? = nil, barcode: String? = nil, amount: Amount) {
        self.productID = productID
        self.barcode = barcode
        self.amount = amount
    }
}

/// The count list's filters.
public struct StockCountFilter: Sendable {
    public var status: StockCount.Status?
    public var storeID: Int64?
    public var companyID: Int64 = 0

    public init(status: StockCount.Status? = nil, storeID: Int64? = nil) {
        self.status = status
        self.storeID = storeID
    }
}

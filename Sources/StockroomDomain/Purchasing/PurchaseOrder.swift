import Foundation

/// An order to a supplier for goods delivered to one store, numbered per store like bills.
public struct PurchaseOrder: Sendable, Equatable {
    /// draft → ordered → partially received → received; a draft or an order not fully received may be cancelled.
    public enum Status: String, Sendable, Codable, CaseIterable {
        case draft, ordered
        case partiallyReceived = "partially_received"
        case received, cancelled

        /// Whether goods may still arrive against the order.
        public var isReceiving: Bool { self == .ordered || self == .partiallyReceived }
    }

    public struct Line: Sendable, Equatable {
        public var id: Int64
        public var productID: Int64
        public var productName: String
        public var barcode: String
        public var quantity: Int64
        public var unitCostCents: Int64
        public var received: Int64
        public var allowOverReceipt: Bool

        /// What is still to arrive (never below zero, even after an allowed over-receipt).
        public var due: Int64 { max(quantity - received, 0) }
    }

    public var id: Int64
    public var companyID: Int64
    public var storeID: Int64
    public var storeName: String
    public var supplierID: Int64
    public var supplierName: String
    public var number: Int64
    public var status: Status
    public var notes: String
    public var createdBy: Int64?
    public var createdAt: Date
    public var updatedAt: Date
    public var orderedAt: Date?
    public var lines: [Line]
    public var receipts: [PurchaseReceipt]

    /// The order's value at its agreed costs.
    public var totalCents: Int64 { lines.reduce(0) { $0 + $1.quantity * $1.unitCostCents } }
}

/// One delivery received against an order: the quantity of each line that arrived.
public struct PurchaseReceipt: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var lineID: Int64
        public var productID: Int64
        public var quantity: Int64
        public var unitCostCents: Int64
    }

    public var id: Int64
    public var orderID: Int64
    public var storeID: Int64
    public var receivedBy: Int64?
    public var note: String
    public var createdAt: Date
    public var lines: [Line]
}

/// An order's line as sent: what to order, how many, at what unit cost.
public struct OrderLineRequest: Sendable, Equatable {
    public var productID: Int64
    public var quantity: Int64
    public var unitCostCents: Int64
    public var allowOverReceipt: Bool

    public init(productID: Int64, quantity: Int64, unitCostCents: Int64, allowOverReceipt: Bool = false) {
        self.productID = productID
        self.quantity = quantity
        self.unitCostCents = unitCostCents
        self.allowOverReceipt = allowOverReceipt
    }
}

/// A delivery's line as sent: which line of the order (or which product on it) and how many units arrived.
public struct ReceivedLine: Sendable, Equatable {
    public var lineID: Int64?
    public var productID: Int64?
    public var quantity: Int64

    public init(lineID: Int64? = nil, productID: Int64? = nil, quantity: Int64) {
        self.lineID = lineID
        self.productID = productID
        self.quantity = quantity
    }
}

/// The order list's filters (each scoped to the caller's company; admins see their store's orders).
public struct PurchaseOrderFilter: Sendable {
    public var status: PurchaseOrder.Status?
    public var supplierID: Int64?
    public var storeID: Int64?
    public var companyID: Int64 = 0

    public init(status: PurchaseOrder.Status? = nil, supplierID: Int64? = nil, storeID: Int64? = nil) {
        self.status = status
        self.supplierID = supplierID
        self.storeID = storeID
    }
}

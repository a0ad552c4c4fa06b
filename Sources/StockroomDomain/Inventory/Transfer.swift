import Foundation

/// Stock on its way from one store to another: dispatched at once, received at the other end in one or more
/// deliveries, with what never arrived recorded as lost.
public struct Transfer: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case inTransit = "in_transit"
        case partiallyReceived = "partially_received"
        case received
    }

    public struct Line: Sendable, Equatable {
        public var id: Int64
        public var productID: Int64
        public var productName: String
        public var barcode: String
        public var quantity: Int64
        public var received: Int64
        public var lost: Int64

        /// Still on the road.
        public var inTransit: Int64 { quantity - received - lost }
    }

    public struct Receipt: Sendable, Equatable {
        public struct Line: Sendable, Equatable {
            public var lineID: Int64
            public var productID: Int64
            public var received: Int64
            public var lost: Int64
            public var reason: String?
        }

        public var id: Int64
        public var receivedBy: Int64?
        public var note: String
        public var createdAt: Date
        public var lines: [Line]
    }

    public var id: Int64
    public var companyID: Int64
    public var fromStoreID: Int64
    public var fromStoreName: String
    public var toStoreID: Int64
    public var toStoreName: String
    /// `transfer:<uuid>`: the ledger rows of the transfer carry it.
    public var reference: String
    public var status: Status
    public var note: String
    public var dispatchedBy: Int64?
    public var createdAt: Date
    public var updatedAt: Date
    public var receivedAt: Date?
    public var lines: [Line]
    public var receipts: [Receipt]
}

/// A line of a transfer as sent: a product and how many units leave.
public struct TransferLineRequest: Sendable, Equatable {
    public var productID: Int64
    public var quantity: Int64

    public init(productID: Int64, quantity: Int64) {
        self.productID = productID
        self.quantity = quantity
    }
}

/// What arrived of one line (by line or product), and what is recorded as lost on the way, with why.
public struct TransferArrival: Sendable, Equatable {
    public var lineID: Int64?
    public var productID: Int64?
    public var received: Int64
    public var lost: Int64
    public var reason: String?

    public init(lineID: Int64? = nil, productID: Int64? = nil, received: Int64, lost: Int64 = 0, reason: String? = nil) {
        self.lineID = lineID
        self.productID = productID
        self.received = received
        self.lost = lost
        self.reason = reason
    }
}

/// The transfer list's filters (the caller's company; admins see their store's, going or coming).
public struct TransferFilter: Sendable {
    public var status: Transfer.Status?
    public var fromStoreID: Int64?
    public var toStoreID: Int64?
    public var companyID: Int64 = 0
    /// Admins: only transfers from or to this store.
    public var touchingStoreID: Int64?

    public init(status: Transfer.Status? = nil, fromStoreID: Int64? = nil, toStoreID: Int64? = nil) {
        self.status = status
        self.fromStoreID = fromStoreID
        self.toStoreID = toStoreID
    }
}

/// Units of a product on their way to a store, over every open transfer.
public struct InTransit: Sendable, Equatable {
    public var toStoreID: Int64
    public var productID: Int64
    public var productName: String
    public var quantity: Int64
}

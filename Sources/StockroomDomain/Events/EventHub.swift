import Foundation
import NIOConcurrencyHelpers

/// Something that happened, published after its transaction committed. Payloads are ids and numbers, never rows.
public enum DomainEvent: Sendable, Equatable {
    /// A store's stock of a product changed; `crossedBelowMinimum` is true once per dip, when this change took the
    /// stock from at or above the store's minimum to below it (StockManager's `quantity < min_quantity`; the dip
    /// ends when the stock is back at the minimum).
    case stockChanged(StockChange)
    /// A sale was recorded (after commit).
    case saleCompleted(companyID: Int64, storeID: Int64, saleID: Int64, actorID: Int64)
    /// A sale was edited (after commit).
    case saleEdited(companyID: Int64, saleID: Int64, actorID: Int64)
    /// A product was created, updated, disabled or activated (after commit).
    /// `storeID` names the one store an archive or restore applied to.
    case productChanged(companyID: Int64, productID: Int64, actorID: Int64, action: ProductAction, storeID: Int64? = nil)
    /// Someone else changed an account: its owner hears of it (after commit).
    case accountChanged(companyID: Int64, userID: Int64, actorID: Int64, change: AccountChange)
    /// Someone's notifications changed: their live streams send an update. Crosses nodes.
    case notificationsChanged(userIDs: [Int64])
    /// A user opened a live stream on another node: older streams of theirs here end. Sent only to other nodes.
    case streamOpened(userID: Int64, streamID: UUID, openedAt: Date)
    /// Events from other nodes may have been missed (the relay reconnected): every stream refreshes.
    case resync
    /// Goods arrived against a purchase order (after commit); `complete` when nothing more is due on it.
    case goodsReceived(GoodsReceipt)
    /// Stock left a store for another (after commit): it is in transit.
    case transferDispatched(TransferMoved)
    /// A transfer's units arrived (after commit); `lost` counts what was recorded as lost on the way.
    case transferReceived(TransferMoved)
    /// A customer brought goods back against a sale (after commit).
    case goodsReturned(ReturnTaken)
    /// A store's count was posted (after commit): `corrections` lines changed the stock by `netUnits` in all.
    case countPosted(CountPosted)
    /// A sale was refused (insufficient stock, unavailable product): StockManager's "sale error" trigger.
    case saleFailed(companyID: Int64, storeID: Int64, actorID: Int64, code: String, message: String)

    public struct GoodsReceipt: Sendable, Equatable {
        public var companyID: Int64
        public var storeID: Int64
        public var orderID: Int64
        public var receiptID: Int64
        public var units: Int64
        public var complete: Bool
        public var actorID: Int64
    }

    public struct TransferMoved: Sendable, Equatable {
        public var companyID: Int64
        public var transferID: Int64
        public var fromStoreID: Int64
        public var toStoreID: Int64
        public var units: Int64
        public var lost: Int64
        public var actorID: Int64
    }

    public struct ReturnTaken: Sendable, Equatable {
        public var companyID: Int64
        public var storeID: Int64
        public var saleID: Int64
        public var billNumber: Int64
        public var returnID: Int64
        public var units: Int64
        public var refundCents: Int64
        public var actorID: Int64
    }

    public struct CountPosted: Sendable, Equatable {
        public var companyID: Int64
        public var storeID: Int64
        public var countID: Int64
        public var corrections: Int64
        public var netUnits: Int64
        public var actorID: Int64
    }

    public struct StockChange: Sendable, Equatable {
        public var companyID: Int64
        public var storeID: Int64
        public var productID: Int64
        public var kind: MovementKind
        public var stockAfter: Int64
        public var minStock: Int64
        var crossedBelowMinimum: Bool
        public var actorID: Int64?
    }
}

extension DomainEvent {
    /// The event's kind as a metrics label.
    public var name: String {
        switch self {
        case .stockChanged: "stock_changed"
        case .goodsReceived: "goods_received"
        case .transferDispatched: "transfer_dispatched"
        case .transferReceived: "transfer_received"
        case .goodsReturned: "goods_returned"
        case .countPosted: "count_posted"
        case .saleCompleted: "sale_completed"
        case .saleEdited: "sale_edited"
        case .productChanged: "product_changed"
        case .accountChanged: "account_changed"
        case .notificationsChanged: "notifications_changed"
        case .streamOpened: "stream_opened"
        case .resync: "resync"
        case .saleFailed: "sale_failed"
        }
    }
}

public enum ProductAction: String, Sendable, Equatable {
    case created, updated, disabled, activated
    /// Taken off sale, or brought back, in one store (an admin's DELETE or `status`, or Credith's `storeId`).
    case archived, unarchived
}

/// What someone else changed in a user's account.
public enum AccountChange: Sendable, Equatable {
    case email(String)
    case role(String)
    case store(Int64)
    case password
    case activated
    case approved
}

/// In-process fan-out of domain events to subscribers. Each subscriber has a bounded buffer: one that falls
/// behind loses the oldest events rather than growing without limit.
public final class EventHub: Sendable {
    private let subscribers = NIOLockedValueBox<[UUID: AsyncStream<DomainEvent>.Continuation]>([:])
    /// Where locally published events also go (the PostgreSQL relay, which tells the other nodes). The closure is
    /// kept in a class: a function value stored directly in the generic box is re-wrapped in two reabstraction thunks
    /// on every `withLockedValue` (its inout write-back), so each publish got slower and the chain grew without limit.
    private let outbox = NIOLockedValueBox<Outbox?>(nil)

    private final class Outbox: Sendable {
        let send: @Sendable (DomainEvent) -> Void
        init(_ send: @escaping @Sendable (DomainEvent) -> Void) { self.send = send }
    }
    let bufferSize: Int
    private let tallies = NIOLockedValueBox(Counters())

    /// What went through this hub, for `/metrics`.
    public struct Counters: Sendable, Equatable {
        /// Events handed to this node's subscribers (raised here or relayed from another node).
        public var delivered = 0
        /// Deliveries dropped because a subscriber fell behind.
        public var dropped = 0
        /// Events raised on this node, by `DomainEvent.name`.
        public var raised: [String: Int] = [:]
        /// Stock changes raised on this node, by movement kind.
        public var stockWrites: [MovementKind: Int] = [:]
    }

    public var counters: Counters { tallies.withLockedValue { $0 } }
    var publishedCount: Int { counters.delivered }
    var droppedCount: Int { counters.dropped }

    public init(bufferSize: Int = 1024) {
        self.bufferSize = bufferSize
    }

    /// A stream of every event published from now on; it ends when the subscriber stops iterating.
    /// `bufferSize` overrides the hub's default for a subscriber that must not lose events in a burst.
    func subscribe(bufferSize: Int? = nil) -> AsyncStream<DomainEvent> {
        subscription(bufferSize: bufferSize).events
    }

    /// A subscription its owner can end: after `end()` no new event is added, and the ones already queued are still
    /// delivered before the stream finishes (so a shutdown can drain what it was given).
    func subscription(bufferSize: Int? = nil) -> (events: AsyncStream<DomainEvent>, end: @Sendable () -> Void) {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(
            of: DomainEvent.self, bufferingPolicy: .bufferingNewest(bufferSize ?? self.bufferSize))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLockedValue { $0.removeValue(forKey: id) }
        }
        subscribers.withLockedValue { $0[id] = continuation }
        return (stream, { continuation.finish() })
    }

    /// Publishes an event raised on this node (to local subscribers and, when relayed, to the other nodes).
    func publish(_ event: DomainEvent) {
        tallies.withLockedValue {
            $0.raised[event.name, default: 0] += 1
            if case .stockChanged(let change) = event { $0.stockWrites[change.kind, default: 0] += 1 }
        }
        deliver(event)
        outbox.withLockedValue { $0 }?.send(event)
    }

    /// Sends an event to the other nodes only (when relayed); this node has acted on it already.
    func publishToOtherNodes(_ event: DomainEvent) {
        outbox.withLockedValue { $0 }?.send(event)
    }

    /// Hands an event to this node's subscribers only (used for events that came from another node).
    public func deliver(_ event: DomainEvent) {
        var dropped = 0
        for continuation in subscribers.withLockedValue({ Array($0.values) }) {
            if case .dropped = continuation.yield(event) { dropped += 1 }
        }
        tallies.withLockedValue {
            $0.delivered += 1
            $0.dropped += dropped
        }
    }

    /// Sets where locally published events are also sent.
    func relay(to outbox: @escaping @Sendable (DomainEvent) -> Void) {
        self.outbox.withLockedValue { $0 = Outbox(outbox) }
    }

    var subscriberCount: Int { subscribers.withLockedValue { $0.count } }
}

import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// StockManager's automatic notifications, raised from domain events (which are published after commit):
/// low stock once per dip (to the acting user, the store's admins and the company's owners), product
/// created/updated/disabled/activated and archived/restored in a store, goods received against an order (to the
/// store's admins, the company's owners and the receiver), stock dispatched to a store (to its managers) and a
/// transfer short on arrival (to the sending store's managers), goods returned and a count posted (to the store's managers), sale updated, sale voided and sale error (to
/// the acting user), and account changes made by someone else (to the account's owner). "Sale registered" is the
/// exception: the sale's own transaction writes it (`NewNotification.saleRegistered`), the busiest notification of
/// all, and so never lost with a crash nor behind the sales.
public final class NotificationTriggers: Service {
    let database: any DatabaseClient
    let service: NotificationService
    let logger: Logger
    let repository = NotificationRepository()
    /// Subscribed at creation, so nothing published before `run()` starts is missed.
    let events: AsyncStream<DomainEvent>
    let endSubscription: @Sendable () -> Void

    public init(database: any DatabaseClient, events: EventHub, logger: Logger) {
        self.database = database
        self.service = NotificationService(database: database, events: events)
        self.logger = logger
        // A large import publishes a stock event per row: a deep buffer keeps low-stock alerts from being pushed out.
        (self.events, self.endSubscription) = events.subscription(bufferSize: 200_000)
    }

    /// Writes the notifications of each event. Events that arrive while others are being written wait and are
    /// written together, in one transaction, so a burst (an import's stock changes, a rush of low stock) does not pay
    /// a COMMIT for each. At a graceful shutdown (after the server has answered its last request: this service stops
    /// after it) the events already queued are still written — an edit acknowledged a moment ago keeps its
    /// notification — and then the loop ends (a cancelled service, too, first writes what is queued). A crash loses
    /// what was queued (written after commit).
    public func run() async throws {
        await withGracefulShutdownHandler {
            // The writer is a child task: when the node is cancelled (not shut down in order) it is cancelled too. An
            // unstructured writer could go on writing after the database client had stopped, wait for a connection
            // that would never come, and hold this service — and its node's shutdown — for good.
            await withDiscardingTaskGroup { group in
                for await event in self.events {
                    let start = self.queue.withLockedValue { $0.add(event) }
                    if start { group.addTask { await self.writeWhileQueued() } }
                }
                // (A writer stops only on an empty queue, and the next event starts a new one: the group waits for the
                // last, which has it all.)
            }
        } onGracefulShutdown: {
            self.endSubscription()
        }
    }

    /// The events waiting to be written, and whether a writer is at work on them. At most `limit` wait: past it the
    /// oldest are dropped (and counted in the log), as the subscription's own buffer would have.
    struct EventQueue {
        static let limit = 200_000
        private var events: [DomainEvent] = []
        private var head = 0
        private(set) var dropped = 0
        var writing = false

        /// Queues `event`; true when no writer is at work (the caller starts one).
        mutating func add(_ event: DomainEvent) -> Bool {
            if events.count - head >= Self.limit {
                head += 1
                dropped += 1
            }
            events.append(event)
            defer { writing = true }
            return !writing
        }

        /// Up to `count` events, oldest first, and how many were dropped since the last call; empty (and no writer
        /// at work) when none wait.
        mutating func take(_ count: Int) -> (events: [DomainEvent], dropped: Int) {
            let batch = Array(events[head..<min(head + count, events.count)])
            head += batch.count
            if head == events.count || head > 4_096 {
                events.removeFirst(head)
                head = 0
            }
            if batch.isEmpty { writing = false }
            defer { dropped = 0 }
            return (batch, dropped)
        }
    }

    private let queue = NIOLockedValueBox(EventQueue())
    /// Events written together at most: a batch holds SQLite's one writer for one insert per notification.
    static let maxBatch = 64

    private func writeWhileQueued() async {
        while true {
            let (batch, dropped) = queue.withLockedValue { $0.take(Self.maxBatch) }
            if dropped > 0 { logger.error("Notifications fell behind: the events of \(dropped) were dropped unwritten") }
            if batch.isEmpty { return }
            do {
                try await service.send(try await notifications(for: batch))
            } catch {
                // One event that cannot be written (a read that fails) must not cost the others theirs.
                for event in batch {
                    do {
                        try await service.send(try await notifications(for: [event]))
                    } catch {
                        logger.error("Could not create notifications", metadata: ["error": "\(String(reflecting: error))", "event": "\(event.name)"])
                    }
                }
            }
        }
    }

    /// The notifications of `events`, in order.
    func notifications(for events: [DomainEvent]) async throws -> [NewNotification] {
        var notes: [NewNotification] = []
        for event in events {
            notes += try await notifications(for: event)
        }
        return notes
    }

    func notifications(for event: DomainEvent) async throws -> [NewNotification] {
        switch event {
        case .stockChanged(let change) where change.crossedBelowMinimum:
            let (managers, product, store) = try await database.read { db in
                (
                    try await repository.storeManagers(companyID: change.companyID, storeID: change.storeID, db),
                    try await repository.productLabel(change.productID, db), try await repository.storeName(change.storeID, db)
                )
            }
            let recipients = Set(managers + (change.actorID.map { [$0] } ?? []))
            let text = NotificationText.lowStock(product: product.name, store: store, stock: change.stockAfter, minimum: change.minStock)
            // The store's stock page, which every role may open (a vendor may not open the product's page).
            let link = "/stock?search=\(Self.queryValue(product.barcode))&store_id=\(change.storeID)"
            return recipients.sorted().map {
                NewNotification(companyID: change.companyID, userID: $0, text: text, type: .warning, actionURL: link)
            }
        case .productChanged(let companyID, let productID, let actorID, let action, let storeID):
            let (product, store) = try await database.read { db -> ((name: String, barcode: String), String?) in
                var store: String?
                if let storeID { store = try await repository.storeName(storeID, db) }
                return (try await repository.productLabel(productID, db), store)
            }
            let type: NotificationType = action == .disabled || action == .archived ? .warning : .success
            return [
                NewNotification(
                    companyID: companyID, userID: actorID, text: .product(action, product: product.name, store: store),
                    type: type, actionURL: "/products/\(productID)")
            ]
        case .accountChanged(let companyID, let userID, _, let change):
            let text: NotificationText =
                switch change {
                case .store(let storeID): .account(change, store: try await database.read { try await repository.storeName(storeID, $0) })
                default: .account(change)
                }
            return [NewNotification(companyID: companyID, userID: userID, text: text, type: .info, actionURL: "/settings")]
        case .saleCompleted:
            // "Sale registered" is written by the sale's own transaction (`NewNotification.saleRegistered`).
            return []
        case .saleEdited(let companyID, let saleID, let actorID):
            // A void is a change too (the same event), but it is announced as what it is.
            let sale = try await database.read { try await repository.saleLabel(saleID, $0) }
            let text: NotificationText =
                sale.voided
                ? .saleVoided(bill: sale.bill, store: sale.store) : .saleUpdated(bill: sale.bill, store: sale.store)
            return [
                NewNotification(
                    companyID: companyID, userID: actorID, text: text, type: sale.voided ? .warning : .success,
                    actionURL: "/sales/\(saleID)")
            ]
        case .goodsReceived(let receipt):
            // The store's managers hear of what arrived (the receiver too): stock they may have been waiting for.
            let (managers, order) = try await database.read { db in
                (
                    try await repository.storeManagers(companyID: receipt.companyID, storeID: receipt.storeID, db),
                    try await repository.purchaseOrderLabel(receipt.orderID, db)
                )
            }
            let text = NotificationText.goodsReceived(
                order: order.number, supplier: order.supplier, store: order.store, units: receipt.units, complete: receipt.complete)
            return Set(managers + [receipt.actorID]).sorted().map {
                NewNotification(
                    companyID: receipt.companyID, userID: $0, text: text, type: .success, actionURL: "/purchase-orders/\(receipt.orderID)")
            }
        case .transferDispatched(let moved):
            // The receiving store's managers: stock to expect.
            return try await transferNotes(moved, to: moved.toStoreID)
        case .transferReceived(let moved) where moved.lost > 0:
            // The sending store's managers: what they sent did not all arrive.
            return try await transferNotes(moved, to: moved.fromStoreID)
        case .transferReceived:
            return []
        case .goodsReturned(let taken):
            // The store's managers hear of money going back out, and of stock coming back.
            let (managers, store) = try await database.read { db in
                (
                    try await repository.storeManagers(companyID: taken.companyID, storeID: taken.storeID, db),
                    try await repository.storeName(taken.storeID, db)
                )
            }
            let text = NotificationText.goodsReturned(bill: taken.billNumber, store: store, units: taken.units)
            return Set(managers + [taken.actorID]).sorted().map {
                NewNotification(companyID: taken.companyID, userID: $0, text: text, type: .info, actionURL: "/sales/\(taken.saleID)")
            }
        case .countPosted(let posted):
            let (managers, store) = try await database.read { db in
                (
                    try await repository.storeManagers(companyID: posted.companyID, storeID: posted.storeID, db),
                    try await repository.storeName(posted.storeID, db)
                )
            }
            let text = NotificationText.countPosted(posted.countID, store: store, corrections: posted.corrections, units: posted.netUnits)
            return Set(managers + [posted.actorID]).sorted().map {
                NewNotification(companyID: posted.companyID, userID: $0, text: text, type: .info, actionURL: "/stock-counts/\(posted.countID)")
            }
        case .saleFailed(let companyID, _, let actorID, let code, let message):
            // The API's own message in English (it names the product and the amounts); other readers get the
            // pages' words for its code.
            return [
                NewNotification(
                    companyID: companyID, userID: actorID, title: "Sale error", message: message, type: .error, actionURL: nil,
                    text: .saleError(code: code))
            ]
        case .stockChanged, .notificationsChanged, .streamOpened, .resync:
            return []
        }
    }

    /// A transfer's notification for the managers of `storeID` (its admins, the company's owners) and whoever moved it.
    private func transferNotes(_ moved: DomainEvent.TransferMoved, to storeID: Int64) async throws -> [NewNotification] {
        let (managers, from, to) = try await database.read { db in
            (
                try await repository.storeManagers(companyID: moved.companyID, storeID: storeID, db),
                try await repository.storeName(moved.fromStoreID, db), try await repository.storeName(moved.toStoreID, db)
            )
        }
        let text = NotificationText.transfer(moved.transferID, from: from, to: to, units: moved.units, lost: moved.lost)
        return Set(managers + [moved.actorID]).sorted().map {
            NewNotification(
                companyID: moved.companyID, userID: $0, text: text, type: moved.lost > 0 ? .warning : .info,
                actionURL: "/transfers/\(moved.transferID)")
        }
    }

    /// `text` as one query value: everything but unreserved ASCII percent-encoded (a barcode may hold `&`, `+`, `#`…).
    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

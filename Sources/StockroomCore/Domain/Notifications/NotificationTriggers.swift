import Foundation
import Logging
import ServiceLifecycle
import SQLKit

/// StockManager's automatic notifications, raised from domain events (which are published after commit):
/// low stock once per dip (to the acting user, the store's admins and the company's owners), product
/// created/updated/disabled/activated and archived/restored in a store, sale registered, sale updated, sale voided
/// and sale error (to the acting user), and account changes made by someone else (to the account's owner).
public final class NotificationTriggers: Service {
    let database: any DatabaseClient
    let service: NotificationService
    let logger: Logger
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

    /// Writes the notifications of each event. At a graceful shutdown (after the server has answered its last
    /// request: this service stops after it) the events already queued are still written — a sale acknowledged a
    /// moment ago keeps its notification — and then the loop ends. A crash loses what was queued (written after commit).
    public func run() async throws {
        await withGracefulShutdownHandler {
            for await event in self.events {
                do {
                    try await self.service.send(try await self.notifications(for: event))
                } catch {
                    self.logger.error("Could not create notifications", metadata: ["error": "\(String(reflecting: error))"])
                }
            }
        } onGracefulShutdown: {
            self.endSubscription()
        }
    }

    func notifications(for event: DomainEvent) async throws -> [NewNotification] {
        switch event {
        case .stockChanged(let change) where change.crossedBelowMinimum:
            let (managers, product, store) = try await database.read { db in
                (try await NotificationRepository().storeManagers(companyID: change.companyID, storeID: change.storeID, db),
                 try await self.product(change.productID, db), try await self.storeName(change.storeID, db))
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
                if let storeID { store = try await self.storeName(storeID, db) }
                return (try await self.product(productID, db), store)
            }
            let type: NotificationType = action == .disabled || action == .archived ? .warning : .success
            return [NewNotification(companyID: companyID, userID: actorID, text: .product(action, product: product.name, store: store),
                                    type: type, actionURL: "/products/\(productID)")]
        case .accountChanged(let companyID, let userID, _, let change):
            let text: NotificationText = switch change {
            case .store(let storeID): .account(change, store: try await database.read { try await self.storeName(storeID, $0) })
            default: .account(change)
            }
            return [NewNotification(companyID: companyID, userID: userID, text: text, type: .info, actionURL: "/settings")]
        case .saleCompleted(let companyID, _, let saleID, let actorID):
            let sale = try await database.read { try await self.sale(saleID, $0) }
            return [NewNotification(companyID: companyID, userID: actorID, text: .saleRegistered(bill: sale.bill, store: sale.store),
                                    type: .success, actionURL: "/sales/\(saleID)")]
        case .saleEdited(let companyID, let saleID, let actorID):
            // A void is a change too (the same event), but it is announced as what it is.
            let sale = try await database.read { try await self.sale(saleID, $0) }
            let text: NotificationText = sale.voided
                ? .saleVoided(bill: sale.bill, store: sale.store) : .saleUpdated(bill: sale.bill, store: sale.store)
            return [NewNotification(companyID: companyID, userID: actorID, text: text, type: sale.voided ? .warning : .success,
                                    actionURL: "/sales/\(saleID)")]
        case .saleFailed(let companyID, _, let actorID, let code, let message):
            // The API's own message in English (it names the product and the amounts); other readers get the
            // pages' words for its code.
            return [NewNotification(companyID: companyID, userID: actorID, title: "Sale error", message: message, type: .error, actionURL: nil,
                                    text: .saleError(code: code))]
        case .stockChanged, .notificationsChanged, .streamOpened, .resync:
            return []
        }
    }

    func product(_ id: Int64, _ db: any SQLDatabase) async throws -> (name: String, barcode: String) {
        guard let row = try await db.raw("SELECT name, barcode FROM products WHERE id = \(bind: id)").first() else { return ("Product \(id)", "") }
        return (try row.decode(column: "name", as: String.self), try row.decode(column: "barcode", as: String.self))
    }

    func storeName(_ id: Int64, _ db: any SQLDatabase) async throws -> String {
        try await db.raw("SELECT name FROM stores WHERE id = \(bind: id)").first(decodingColumn: "name", as: String.self) ?? "#\(id)"
    }

    /// A sale's bill number (what the pages and receipts call it; the id is internal) and its store's name.
    func sale(_ id: Int64, _ db: any SQLDatabase) async throws -> (bill: Int64, store: String, voided: Bool) {
        guard let row = try await db.raw("""
            SELECT s.bill_number, s.status, st.name FROM sales s JOIN stores st ON st.id = s.store_id WHERE s.id = \(bind: id)
            """).first() else { return (id, "", false) }
        return (try row.decode(column: "bill_number", as: Int64.self), try row.decode(column: "name", as: String.self),
                try row.decode(column: "status", as: String.self) == SaleStatus.voided.rawValue)
    }

    /// `text` as one query value: everything but unreserved ASCII percent-encoded (a barcode may hold `&`, `+`, `#`…).
    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

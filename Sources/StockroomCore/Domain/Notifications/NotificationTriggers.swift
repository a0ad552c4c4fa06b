import Foundation
import Logging
import ServiceLifecycle
import SQLKit

/// StockManager's automatic notifications, raised from domain events (which are published after commit):
/// low stock once per dip (to the acting user, the store's admins and the company's owners), product
/// created/updated/disabled/activated, sale registered, sale updated and sale error (to the acting user).
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
            let (managers, product) = try await database.read { db in
                (try await NotificationRepository().storeManagers(companyID: change.companyID, storeID: change.storeID, db),
                 try await self.productName(change.productID, db))
            }
            let recipients = Set(managers + (change.actorID.map { [$0] } ?? []))
            return recipients.sorted().map {
                NewNotification(
                    companyID: change.companyID, userID: $0, title: "Low stock",
                    message: "\(product) is down to \(change.stockAfter) in store \(change.storeID) (minimum \(change.minStock)).",
                    type: .warning, actionURL: "/products/\(change.productID)")
            }
        case .productChanged(let companyID, let productID, let actorID, let action):
            let product = try await database.read { try await self.productName(productID, $0) }
            let (title, type): (String, NotificationType) = switch action {
            case .created: ("Product created", .success)
            case .updated: ("Product updated", .success)
            case .disabled: ("Product disabled", .warning)
            case .activated: ("Product activated", .success)
            }
            return [NewNotification(companyID: companyID, userID: actorID, title: title, message: "\(product) was \(action.rawValue).",
                                    type: type, actionURL: "/products/\(productID)")]
        case .saleCompleted(let companyID, _, let saleID, let actorID):
            return [NewNotification(companyID: companyID, userID: actorID, title: "Sale registered", message: "Sale \(saleID) was recorded.",
                                    type: .success, actionURL: "/sales/\(saleID)")]
        case .saleEdited(let companyID, let saleID, let actorID):
            return [NewNotification(companyID: companyID, userID: actorID, title: "Sale updated", message: "Sale \(saleID) was changed.",
                                    type: .success, actionURL: "/sales/\(saleID)")]
        case .saleFailed(let companyID, _, let actorID, _, let message):
            return [NewNotification(companyID: companyID, userID: actorID, title: "Sale error", message: message, type: .error, actionURL: nil)]
        case .stockChanged, .notificationsChanged, .streamOpened, .resync:
            return []
        }
    }

    func productName(_ id: Int64, _ db: any SQLDatabase) async throws -> String {
        try await db.raw("SELECT name FROM products WHERE id = \(bind: id)").first(decodingColumn: "name", as: String.self) ?? "Product \(id)"
    }
}

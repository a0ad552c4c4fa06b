import Foundation
import SQLKit

public enum NotificationType: String, Sendable, Codable, CaseIterable {
    case success, warning, error, info
}

/// An in-app notification, as seed 000 shapes it.
public struct Notification: Sendable, Equatable {
    public var id: Int64
    public var title: String
    public var message: String
    public var type: NotificationType
    public var actionURL: String?
    public var createdAt: Date
    public var isRead: Bool
}

/// A notification to create for one user.
public struct NewNotification: Sendable, Equatable {
    public var companyID: Int64
    public var userID: Int64
    public var title: String
    public var message: String
    public var type: NotificationType
    public var actionURL: String?
    /// The key and values to say it in each reader's language; nil keeps title and message for everyone.
    public var text: NotificationText? = nil
}

extension NewNotification {
    /// An automatic notification: its stored title and message are `text` in English.
    init(companyID: Int64, userID: Int64, text: NotificationText, type: NotificationType, actionURL: String?) {
        // Every key the triggers write has its English strings (a test renders each); the key is a last resort.
        let english = text.rendered(in: .en) ?? (text.key, text.key)
        self.init(companyID: companyID, userID: userID, title: english.title, message: english.message, type: type, actionURL: actionURL, text: text)
    }

    /// "Sale registered", to the seller: written by the sale's own transaction, so a sale acknowledged has it even
    /// if the server dies a moment later.
    static func saleRegistered(_ sale: Sale, store: String) -> NewNotification {
        NewNotification(
            companyID: sale.companyID, userID: sale.vendorID, text: .saleRegistered(bill: sale.billNumber, store: store),
            type: .success, actionURL: "/sales/\(sale.id)")
    }
}

extension Notification {
    /// A stored notification as a reader in `language` sees it. English is the stored title and message as they
    /// are (rendered from the same strings when written, and what API clients always got); another language
    /// renders the key, when there is one and it renders.
    init(row: any SQLRow, in language: Language) throws {
        self.init(
            id: try row.decode(column: "id", as: Int64.self), title: try row.decode(column: "title", as: String.self),
            message: try row.decode(column: "message", as: String.self),
            type: NotificationType(rawValue: try row.decode(column: "type", as: String.self)) ?? .info,
            actionURL: try row.decode(column: "action_url", as: String?.self),
            createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            isRead: try row.decode(column: "is_read", as: Bool.self))
        guard language != .en,
            let text = NotificationText(
                key: try row.decode(column: "text_key", as: String?.self),
                paramsJSON: try row.decode(column: "text_params", as: String?.self)),
            let rendered = text.rendered(in: language)
        else { return }
        (title, message) = rendered
    }
}

import Foundation
import SQLKit

public enum NotificationType: String, Sendable, Codable, CaseIterable {
    case success, warning, error, info
}

/// An in-app notification, as seed 000 shapes it.
public struct Notification: Sendable, Equatable, Encodable {
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
        NewNotification(companyID: sale.companyID, userID: sale.vendorID, text: .saleRegistered(bill: sale.billNumber, store: store),
                        type: .success, actionURL: "/sales/\(sale.id)")
    }
}

/// SQL for notifications. Every read and write names the user: nobody touches another user's notifications.
public struct NotificationRepository: Sendable {
    public init() {}

    static let columns = SQLQueryString("id, title, message, type, action_url, created_at, is_read, text_key, text_params")

    public func insert(_ note: NewNotification, _ db: any SQLDatabase) async throws {
        try await insert([note], db)
    }

    /// `notes` in a few statements (one on PostgreSQL: `SQLDatabase.insertRows`).
    public func insert(_ notes: [NewNotification], _ db: any SQLDatabase) async throws {
        let now = Date.now.unixMilliseconds
        try await db.insertRows(
            "INSERT INTO notifications (company_id, user_id, title, message, type, action_url, is_read, created_at, text_key, text_params)",
            notes.map { note in
                """
                (\(bind: note.companyID), \(bind: note.userID), \(bind: note.title), \(bind: note.message), \(bind: note.type.rawValue),
                 \(bind: note.actionURL), FALSE, \(bind: now), \(bind: note.text?.key), \(bind: note.text?.paramsJSON))
                """
            })
    }

    /// Automatic notifications come in `language`; see `Notification.init(row:in:)`.
    public func unread(userID: Int64, limit: Int, in language: Language, _ db: any SQLDatabase) async throws -> (notifications: [Notification], count: Int) {
        let count = try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userID) AND NOT is_read")
            .first(decodingColumn: "n", as: Int.self) ?? 0
        let rows = try await db.raw("""
            SELECT \(Self.columns) FROM notifications WHERE user_id = \(bind: userID) AND NOT is_read ORDER BY id DESC LIMIT \(bind: limit)
            """).all()
        return (try rows.map { try Notification(row: $0, in: language) }, count)
    }

    public func all(userID: Int64, limit: Int, offset: Int, in language: Language, _ db: any SQLDatabase) async throws -> [Notification] {
        try await db.raw("""
            SELECT \(Self.columns) FROM notifications WHERE user_id = \(bind: userID) ORDER BY id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all().map { try Notification(row: $0, in: language) }
    }

    public func count(userID: Int64, _ db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userID)").first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// Marks one of the user's notifications read; false when the user has no such notification.
    public func markRead(id: Int64, userID: Int64, _ db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw("UPDATE notifications SET is_read = TRUE WHERE id = \(bind: id) AND user_id = \(bind: userID) RETURNING id").all()).isEmpty
    }

    public func markAllRead(userID: Int64, _ db: any SQLDatabase) async throws -> Int {
        try await db.raw("UPDATE notifications SET is_read = TRUE WHERE user_id = \(bind: userID) AND NOT is_read RETURNING id").all().count
    }

    public func delete(id: Int64, userID: Int64, _ db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw("DELETE FROM notifications WHERE id = \(bind: id) AND user_id = \(bind: userID) RETURNING id").all()).isEmpty
    }

    /// Who hears about a store's low stock: its admins and the company's owners (active accounts).
    public func storeManagers(companyID: Int64, storeID: Int64, _ db: any SQLDatabase) async throws -> [Int64] {
        try await db.raw("""
            SELECT id FROM users WHERE company_id = \(bind: companyID) AND status = 'active'
              AND (role = 'owner' OR (role = 'admin' AND store_id = \(bind: storeID)))
            """).all(decodingColumn: "id", as: Int64.self)
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
              let text = NotificationText(key: try row.decode(column: "text_key", as: String?.self),
                                          paramsJSON: try row.decode(column: "text_params", as: String?.self)),
              let rendered = text.rendered(in: language) else { return }
        (title, message) = rendered
    }
}

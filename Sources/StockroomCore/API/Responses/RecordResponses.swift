import Foundation

/// An audit row with its old and new values, as `GET /api/all` lists it in `data`.
struct AuditRecordResponse: Encodable, Sendable, AllKeysEncodable {
    let id: Int64
    let userID: Int64?
    let username: String?
    let action: String
    let entityType: String?
    let entityID: String?
    let oldValues: JSONValue?
    let newValues: JSONValue?
    let ipAddress: String?
    let createdAt: Date

    init(_ record: AuditRecord) {
        id = record.id
        userID = record.userID
        username = record.username
        action = record.action
        entityType = record.entityType
        entityID = record.entityID
        oldValues = record.oldValues
        newValues = record.newValues
        ipAddress = record.ipAddress
        createdAt = record.createdAt
    }
}

/// A personal API token as listed: never the token itself.
struct APITokenResponse: Encodable, Sendable, AllKeysEncodable {
    let id: Int64
    let name: String
    let prefix: String
    let createdAt: Date
    let lastUsedAt: Date?

    init(_ token: APIToken) {
        id = token.id
        name = token.name
        prefix = token.prefix
        createdAt = token.createdAt
        lastUsedAt = token.lastUsedAt
    }
}

/// An in-app notification as seed 000 shapes it, in the reader's language.
struct NotificationResponse: Encodable, Sendable, AllKeysEncodable {
    let id: Int64
    let title: String
    let message: String
    let type: NotificationType
    let actionURL: String?
    let createdAt: Date
    let isRead: Bool

    init(_ notification: StockroomDomain.Notification) {
        id = notification.id
        title = notification.title
        message = notification.message
        type = notification.type
        actionURL = notification.actionURL
        createdAt = notification.createdAt
        isRead = notification.isRead
    }
}

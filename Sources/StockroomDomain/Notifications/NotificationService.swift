import Foundation

/// Reading and writing a user's notifications. Every change publishes `notificationsChanged` after commit, which
/// the live streams turn into an `update`.
public struct NotificationService: Sendable {
    let database: any DatabaseClient
    let events: EventHub
    let notifications = NotificationRepository()
    let identity = IdentityRepository()

    public init(database: any DatabaseClient, events: EventHub) {
        self.database = database
        self.events = events
    }

    /// Creates `notes` in one transaction and tells the recipients' streams.
    public func send(_ notes: [NewNotification]) async throws {
        guard !notes.isEmpty else { return }
        try await database.withTransaction { try await Self.write(notes, in: $0, events: events) }
    }

    /// Writes `notes` inside `transaction` (a few statements: `SQLDatabase.insertRows`) and tells the recipients'
    /// streams once it has committed. (A batch of new sales writes its "Sale registered" this way, in its own
    /// transaction.)
    static func write(_ notes: [NewNotification], in transaction: Transaction, events: EventHub) async throws {
        guard !notes.isEmpty else { return }
        try await NotificationRepository().insert(notes, transaction.db)
        changed(Array(Set(notes.map(\.userID))), transaction, events: events)
    }

    /// The reads say automatic notifications in `language` (the reader's: `Language.preferred(by:caller:)`).
    public func unread(_ caller: Caller, limit: Int = 10, in language: Language) async throws -> (notifications: [Notification], count: Int) {
        try await database.read { try await notifications.unread(userID: caller.userID, limit: limit, in: language, $0) }
    }

    public func all(_ caller: Caller, window: OffsetRequest, in language: Language) async throws -> [Notification] {
        try await database.read {
            try await notifications.all(userID: caller.userID, limit: window.limit, offset: window.offset, in: language, $0)
        }
    }

    /// A window of the caller's notifications and how many they have in all (the notifications page's pager).
    public func page(_ caller: Caller, window: OffsetRequest, in language: Language) async throws -> (notifications: [Notification], total: Int) {
        try await database.read { db in
            (
                try await notifications.all(userID: caller.userID, limit: window.limit, offset: window.offset, in: language, db),
                try await notifications.count(userID: caller.userID, db)
            )
        }
    }

    /// 404 for a notification that is not the caller's: others' ids are indistinguishable from missing ones.
    public func markRead(_ caller: Caller, id: Int64) async throws {
        try await database.withTransaction { transaction in
            guard try await notifications.markRead(id: id, userID: caller.userID, transaction.db) else { throw ShopError.notFound("Notification") }
            changed([caller.userID], transaction)
        }
    }

    public func markAllRead(_ caller: Caller) async throws -> Int {
        try await database.withTransaction { transaction in
            let count = try await notifications.markAllRead(userID: caller.userID, transaction.db)
            if count > 0 { changed([caller.userID], transaction) }
            return count
        }
    }

    public func delete(_ caller: Caller, id: Int64) async throws {
        try await database.withTransaction { transaction in
            guard try await notifications.delete(id: id, userID: caller.userID, transaction.db) else { throw ShopError.notFound("Notification") }
            changed([caller.userID], transaction)
        }
    }

    /// A manual notification (owners and admins) for an account the caller may see.
    public func create(_ caller: Caller, userID: Int64, title: String, message: String, type: NotificationType, actionURL: String?) async throws {
        try caller.require(.manageUsers)
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        let message = message.trimmingCharacters(in: .whitespacesAndNewlines)
        try Validation.checkText(title, field: "title", length: 1...200)
        try Validation.checkText(message, field: "message", length: 1...2_000)
        // The length and no control characters (a NUL was a 500 on PostgreSQL and cut short by SQLite), then the shape.
        try Validation.checkText(actionURL, field: "actionURL", length: 1...500)
        if let actionURL, !(actionURL.hasPrefix("/") || actionURL.hasPrefix("https://") || actionURL.hasPrefix("http://")) {
            throw ShopError.invalidField("actionURL") { "\($0) must be a path or an http(s) address" }
        }
        guard let user = try await database.read({ try await identity.user(id: userID, companyID: caller.companyID, $0) }) else {
            throw ShopError.notFound("User")
        }
        guard caller.canView(user) else { throw ShopError.forbidden("You can only notify accounts of your own store") }
        try await send([
            NewNotification(companyID: caller.companyID, userID: userID, title: title, message: message, type: type, actionURL: actionURL)
        ])
    }

    func changed(_ userIDs: [Int64], _ transaction: Transaction) {
        Self.changed(userIDs, transaction, events: events)
    }

    static func changed(_ userIDs: [Int64], _ transaction: Transaction, events: EventHub) {
        transaction.afterCommit { events.publish(.notificationsChanged(userIDs: userIDs)) }
    }
}

import Foundation
import SQLKit

/// SQL for notifications. Every read and write names the user: nobody touches another user's notifications.
struct NotificationRepository: Sendable {
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
    public func unread(
        userID: Int64, limit: Int, in language: Language, _ db: any SQLDatabase
    ) async throws -> (notifications: [Notification], count: Int) {
        let count =
            try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userID) AND NOT is_read")
            .first(decodingColumn: "n", as: Int.self) ?? 0
        let rows = try await db.raw(
            """
            SELECT \(Self.columns) FROM notifications WHERE user_id = \(bind: userID) AND NOT is_read ORDER BY id DESC LIMIT \(bind: limit)
            """
        ).all()
        return (try rows.map { try Notification(row: $0, in: language) }, count)
    }

    public func all(userID: Int64, limit: Int, offset: Int, in language: Language, _ db: any SQLDatabase) async throws -> [Notification] {
        try await db.raw(
            """
            SELECT \(Self.columns) FROM notifications WHERE user_id = \(bind: userID) ORDER BY id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all().map { try Notification(row: $0, in: language) }
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
    func storeManagers(companyID: Int64, storeID: Int64, _ db: any SQLDatabase) async throws -> [Int64] {
        try await db.raw(
            """
            SELECT id FROM users WHERE company_id = \(bind: companyID) AND status = 'active'
              AND (role = 'owner' OR (role = 'admin' AND store_id = \(bind: storeID)))
            """
        ).all(decodingColumn: "id", as: Int64.self)
    }

    /// What a notification says about a product: its name and barcode (a product since deleted: its id).
    func productLabel(_ id: Int64, _ db: any SQLDatabase) async throws -> (name: String, barcode: String) {
        guard let row = try await db.raw("SELECT name, barcode FROM products WHERE id = \(bind: id)").first() else { return ("Product \(id)", "") }
        return (try row.decode(column: "name", as: String.self), try row.decode(column: "barcode", as: String.self))
    }

    func storeName(_ id: Int64, _ db: any SQLDatabase) async throws -> String {
        try await db.raw("SELECT name FROM stores WHERE id = \(bind: id)").first(decodingColumn: "name", as: String.self) ?? "#\(id)"
    }

    /// A sale's bill number (what the pages and receipts call it; the id is internal), its store's name and whether
    /// it is voided.
    func saleLabel(_ id: Int64, _ db: any SQLDatabase) async throws -> (bill: Int64, store: String, voided: Bool) {
        guard
            let row = try await db.raw(
                """
                SELECT s.bill_number, s.status, st.name FROM sales s JOIN stores st ON st.id = s.store_id WHERE s.id = \(bind: id)
                """
            ).first()
        else { return (id, "", false) }
        return (
            try row.decode(column: "bill_number", as: Int64.self), try row.decode(column: "name", as: String.self),
            try row.decode(column: "status", as: String.self) == SaleStatus.voided.rawValue
        )
    }

    /// A purchase order's number, supplier and store, as a notification names them.
    func purchaseOrderLabel(_ id: Int64, _ db: any SQLDatabase) async throws -> (number: Int64, supplier: String, store: String) {
        guard
            let row = try await db.raw(
                """
                SELECT o.number, su.name AS supplier, st.name AS store
                FROM purchase_orders o JOIN suppliers su ON su.id = o.supplier_id JOIN stores st ON st.id = o.store_id
                WHERE o.id = \(bind: id)
                """
            ).first()
        else { return (id, "", "") }
        return (
            try row.decode(column: "number", as: Int64.self), try row.decode(column: "supplier", as: String.self),
            try row.decode(column: "store", as: String.self)
        )
    }
}

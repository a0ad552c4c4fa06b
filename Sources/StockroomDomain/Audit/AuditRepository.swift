import Foundation
import SQLKit

/// One recorded action: who did what to which entity, with the values before and after.
public struct AuditEntry: Sendable {
    public var companyID: Int64?
    public var userID: Int64?
    public var username: String?
    public var action: String
    public var entityType: String?
    public var entityID: String?
    public var oldValues: [String: JSONValue]?
    public var newValues: [String: JSONValue]?
    public var ipAddress: String?

    public init(
        companyID: Int64?, userID: Int64?, username: String?, action: String, entityType: String? = nil, entityID: String? = nil,
        oldValues: [String: JSONValue]? = nil, newValues: [String: JSONValue]? = nil, ipAddress: String? = nil
    ) {
        self.companyID = companyID
        self.userID = userID
        self.username = username
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.oldValues = oldValues
        self.newValues = newValues
        self.ipAddress = ipAddress
    }
}

/// Appends to the audit log, inside the caller's transaction so the record and the change commit together.
public struct AuditRepository: Sendable {
    public init() {}

    public func record(_ entry: AuditEntry, _ db: any SQLDatabase) async throws {
        try await record([entry], db)
    }

    /// Several entries in a few statements (a batch of new sales').
    public func record(_ entries: [AuditEntry], _ db: any SQLDatabase) async throws {
        let now = Date.now.unixMilliseconds
        try await db.insertRows(
            "INSERT INTO audit_log (company_id, user_id, username, action, entity_type, entity_id, old_values, new_values, ip_address, created_at)",
            entries.map { entry in
                """
                (\(bind: entry.companyID), \(bind: entry.userID), \(bind: entry.username), \(bind: entry.action),
                 \(bind: entry.entityType), \(bind: entry.entityID), \(bind: Self.json(entry.oldValues)),
                 \(bind: Self.json(entry.newValues)), \(bind: entry.ipAddress), \(bind: now))
                """
            })
    }

    /// Keys sorted, as before; written by the answers' own writer (`JSONText`), not `JSONEncoder`, which boxed
    /// every value of every sale's audit entry (4.9 % of a checkout's server CPU).
    static func json(_ values: [String: JSONValue]?) -> String? {
        values.flatMap { try? JSONText.string($0) }
    }
}

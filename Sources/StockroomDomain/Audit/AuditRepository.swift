import Foundation
import SQLKit

/// One recorded action: who did what to which entity, with the values before and after.
struct AuditEntry: Sendable {
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
struct AuditRepository: Sendable {
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

extension AuditRepository {
    /// Newest first, with the total that match.
    public func records(_ filter: AuditFilter, limit: Int, offset: Int, _ db: any SQLDatabase) async throws -> (records: [AuditRecord], total: Int) {
        var conditions: [SQLQueryString] = ["company_id = \(bind: filter.companyID)"]
        if let userID = filter.userID { conditions.append("user_id = \(bind: userID)") }
        if let entityType = filter.entityType { conditions.append("entity_type = \(bind: entityType)") }
        if let entityID = filter.entityID { conditions.append("entity_id = \(bind: entityID)") }
        if let action = filter.action { conditions.append("action = \(bind: action)") }
        if let from = filter.from { conditions.append("created_at >= \(bind: from.unixMilliseconds)") }
        if let to = filter.to { conditions.append("created_at < \(bind: to.unixMilliseconds)") }
        let whereClause = conditions.joined(separator: " AND ")
        let total = try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE \(whereClause)").first(decodingColumn: "n", as: Int.self) ?? 0
        let rows = try await db.raw(
            """
            SELECT id, user_id, username, action, entity_type, entity_id, old_values, new_values, ip_address, created_at
            FROM audit_log WHERE \(whereClause) ORDER BY id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all()
        let records = try rows.map { row in
            AuditRecord(
                id: try row.decode(column: "id", as: Int64.self), userID: try row.decode(column: "user_id", as: Int64?.self),
                username: try row.decode(column: "username", as: String?.self), action: try row.decode(column: "action", as: String.self),
                entityType: try row.decode(column: "entity_type", as: String?.self),
                entityID: try row.decode(column: "entity_id", as: String?.self),
                oldValues: Self.parse(try row.decode(column: "old_values", as: String?.self)),
                newValues: Self.parse(try row.decode(column: "new_values", as: String?.self)),
                ipAddress: try row.decode(column: "ip_address", as: String?.self),
                createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
        }
        return (records, total)
    }

    static func parse(_ json: String?) -> JSONValue? {
        json.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
    }
}

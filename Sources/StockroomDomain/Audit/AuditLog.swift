import Foundation
import SQLKit

/// A recorded action as the audit endpoints answer it.
public struct AuditRecord: Sendable, Encodable {
    public var id: Int64
    public var userID: Int64?
    public var username: String?
    public var action: String
    public var entityType: String?
    public var entityID: String?
    public var oldValues: JSONValue?
    public var newValues: JSONValue?
    public var ipAddress: String?
    public var createdAt: Date

}

/// Which audit records to read: always one company.
public struct AuditFilter: Sendable {
    public var companyID: Int64
    public var userID: Int64?
    public var entityType: String?
    public var entityID: String?
    public var action: String?
    public var from: Date?
    public var to: Date?

    public init(companyID: Int64, userID: Int64? = nil, entityType: String? = nil, entityID: String? = nil,
                action: String? = nil, from: Date? = nil, to: Date? = nil) {
        self.companyID = companyID
        self.userID = userID
        self.entityType = entityType
        self.entityID = entityID
        self.action = action
        self.from = from
        self.to = to
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
        let rows = try await db.raw("""
            SELECT id, user_id, username, action, entity_type, entity_id, old_values, new_values, ip_address, created_at
            FROM audit_log WHERE \(whereClause) ORDER BY id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all()
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

/// Reading the audit log: owners read all of their company's; anyone reads their own history; admins read the
/// history of their store's vendors.
public struct AuditService: Sendable {
    let database: any DatabaseClient
    let audit = AuditRepository()
    let identity = IdentityRepository()

    public init(database: any DatabaseClient) {
        self.database = database
    }

    public func all(_ caller: Caller, filter: AuditFilter, window: OffsetRequest) async throws -> (records: [AuditRecord], total: Int) {
        try caller.require(.viewCompanyAudit)
        return try await read(caller, filter, window)
    }

    public func forUser(_ caller: Caller, userID: Int64, filter: AuditFilter, window: OffsetRequest) async throws -> (records: [AuditRecord], total: Int) {
        try caller.require(.viewUserAudit)
        guard let user = try await database.read({ try await identity.user(id: userID, companyID: caller.companyID, $0) }) else {
            throw ShopError.notFound("User")
        }
        // Admins read the history of the vendors they manage, not of owners or other admins who share their store.
        guard caller.canManage(user) else {
            throw ShopError.forbidden("You can only read the history of your own store's accounts")
        }
        var filter = filter
        filter.userID = userID
        return try await read(caller, filter, window)
    }

    public func forEntity(_ caller: Caller, type: String, id: String, filter: AuditFilter, window: OffsetRequest) async throws -> (records: [AuditRecord], total: Int) {
        try caller.require(.viewCompanyAudit)
        var filter = filter
        filter.entityType = type
        filter.entityID = id
        return try await read(caller, filter, window)
    }

    private func read(_ caller: Caller, _ filter: AuditFilter, _ window: OffsetRequest) async throws -> (records: [AuditRecord], total: Int) {
        var filter = filter
        filter.companyID = caller.companyID
        return try await database.read { try await audit.records(filter, limit: window.limit, offset: window.offset, $0) }
    }
}

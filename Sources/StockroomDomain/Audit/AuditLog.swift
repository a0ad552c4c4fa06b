import Foundation
import SQLKit

/// A recorded action as the audit endpoints answer it.
public struct AuditRecord: Sendable {
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

    public init(
        companyID: Int64, userID: Int64? = nil, entityType: String? = nil, entityID: String? = nil,
        action: String? = nil, from: Date? = nil, to: Date? = nil
    ) {
        self.companyID = companyID
        self.userID = userID
        self.entityType = entityType
        self.entityID = entityID
        self.action = action
        self.from = from
        self.to = to
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

    public func forUser(
        _ caller: Caller, userID: Int64, filter: AuditFilter, window: OffsetRequest
    ) async throws -> (records: [AuditRecord], total: Int) {
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

    public func forEntity(
        _ caller: Caller, type: String, id: String, filter: AuditFilter, window: OffsetRequest
    ) async throws -> (records: [AuditRecord], total: Int) {
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

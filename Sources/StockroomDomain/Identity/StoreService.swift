import Foundation
import SQLKit

/// The stores of a company. Owners see and manage all of them; admins and vendors see their own.
public struct StoreService: Sendable {
    let database: any DatabaseClient
    let identity = IdentityRepository()
    let audit = AuditRepository()

    public init(database: any DatabaseClient) {
        self.database = database
    }

    public func list(_ caller: Caller, window: OffsetRequest) async throws -> (stores: [Store], total: Int) {
        let onlyStore = caller.role == .owner ? nil : caller.storeID
        return try await database.read {
            try await identity.stores(companyID: caller.companyID, onlyStore: onlyStore, limit: window.limit, offset: window.offset, $0)
        }
    }

    /// Every active store of the caller's company: where stock may be sent (admins send from their own store to
    /// any of them, so they need to see them all).
    public func transferDestinations(_ caller: Caller) async throws -> [Store] {
        try caller.require(.transferStock)
        return try await database.read {
            try await identity.stores(companyID: caller.companyID, onlyStore: nil, limit: PageRequest.maxLimit, offset: 0, $0)
        }.stores.filter(\.isActive)
    }

    /// 404 outside the company; 403 for a store of the company that is not the caller's own (non-owners).
    public func get(_ caller: Caller, id: Int64) async throws -> Store {
        guard let store = try await database.read({ try await identity.store(id: id, companyID: caller.companyID, $0) }) else {
            throw ShopError.notFound("Store")
        }
        _ = try caller.storeScope(requested: id)
        return store
    }

    public func create(_ caller: Caller, name: String, address: String?) async throws -> Store {
        try caller.require(.manageStores)
        let (name, address) = try Self.validated(name: name, address: address)
        return try await database.withTransaction { transaction in
            let store = try await identity.insertStore(companyID: caller.companyID, name: name!, address: address, transaction.db)
            try await audit.record(caller.auditEntry("store_created", entityType: "store", entityID: store.id, new: store.auditValues), transaction.db)
            return store
        }
    }

    /// Partial: a field left out (nil) keeps its value; an empty address clears it. `isActive` is set by
    /// activate/deactivate.
    public func update(
        _ caller: Caller, id: Int64, name: String?, address: String?, isActive: Bool? = nil, action: String = "store_updated"
    ) async throws -> Store {
        try caller.require(.manageStores)
        let (name, address) = try Self.validated(name: name, address: address)
        return try await database.withTransaction { transaction in
            let db = transaction.db
            guard let before = try await identity.store(id: id, companyID: caller.companyID, db) else { throw ShopError.notFound("Store") }
            var after = before
            if let name { after.name = name }
            if let address { after.address = address.isEmpty ? nil : address }
            if let isActive { after.isActive = isActive }
            try await identity.updateStore(after, db)
            let (old, new) = AuditDiff.changed(before.auditValues, after.auditValues)
            try await audit.record(caller.auditEntry(action, entityType: "store", entityID: id, old: old, new: new), db)
            return after
        }
    }

    static func validated(name: String?, address: String?) throws -> (String?, String?) {
        let name = name?.trimmingCharacters(in: .whitespacesAndNewlines)
        try Validation.checkText(name, field: "name", length: 1...100)
        let address = address?.trimmingCharacters(in: .whitespacesAndNewlines)
        try Validation.checkText(address, field: "address", length: 0...200)
        return (name, address)
    }

    public func company(_ caller: Caller) async throws -> Company {
        guard let company = try await database.read({ try await identity.company(id: caller.companyID, $0) }) else {
            throw ShopError.notFound("Company")
        }
        return company
    }
}

extension Store {
    var auditValues: [String: JSONValue] {
        ["name": .string(name), "address": address.map(JSONValue.string) ?? .null, "is_active": .bool(isActive)]
    }
}

extension IdentityRepository {
    public func stores(companyID: Int64, onlyStore: Int64?, limit: Int, offset: Int, _ db: any SQLDatabase) async throws -> (stores: [Store], total: Int) {
        let condition: SQLQueryString = onlyStore.map { "company_id = \(bind: companyID) AND id = \(bind: $0)" } ?? "company_id = \(bind: companyID)"
        let total = try await db.raw("SELECT COUNT(*) AS n FROM stores WHERE \(condition)").first(decodingColumn: "n", as: Int.self) ?? 0
        let stores = try await db.raw("""
            SELECT id, company_id, name, address, is_active, created_at FROM stores WHERE \(condition)
            ORDER BY id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all().map(Store.init(row:))
        return (stores, total)
    }

    public func updateStore(_ store: Store, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE stores SET name = \(bind: store.name), address = \(bind: store.address), is_active = \(bind: store.isActive)
            WHERE id = \(bind: store.id) AND company_id = \(bind: store.companyID)
            """).run()
    }

    public func company(id: Int64, _ db: any SQLDatabase) async throws -> Company? {
        guard let row = try await db.raw("SELECT id, name, is_active, created_at FROM companies WHERE id = \(bind: id)").first() else {
            return nil
        }
        return Company(
            id: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
            isActive: try row.decode(column: "is_active", as: Bool.self),
            createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
    }
}

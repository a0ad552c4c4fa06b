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
            try await audit.record(
                caller.auditEntry("store_created", entityType: "store", entityID: store.id, new: store.auditValues), transaction.db)
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

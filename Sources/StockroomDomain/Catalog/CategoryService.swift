import Foundation

/// Credith's categories: everyone reads them; owners and admins change them.
public struct CategoryService: Sendable {
    let database: any DatabaseClient
    let categories = CategoryRepository()
    let audit = AuditRepository()

    public init(database: any DatabaseClient) {
        self.database = database
    }

    public func list(_ caller: Caller, window: OffsetRequest) async throws -> (categories: [Category], total: Int) {
        try await database.read { try await categories.categories(companyID: caller.companyID, limit: window.limit, offset: window.offset, $0) }
    }

    public func create(_ caller: Caller, name: String) async throws -> Category {
        try caller.require(.manageCatalog)
        let name = try Self.validName(name)
        return try await database.withTransaction { transaction in
            let db = transaction.db
            if try await categories.category(named: name, companyID: caller.companyID, db) != nil { throw Self.taken(name) }
            let category = try await categories.insert(companyID: caller.companyID, name: name, db)
            try await audit.record(
                caller.auditEntry("category_created", entityType: "category", entityID: category.id, new: ["name": .string(name)]), db)
            return category
        }
    }

    /// Renames (`name`) or activates/deactivates (`isActive`) a category of the caller's company.
    public func update(_ caller: Caller, id: Int64, name: String?, isActive: Bool?) async throws -> Category {
        try caller.require(.manageCatalog)
        let name = try name.map(Self.validName)
        return try await database.withTransaction { transaction in
            let db = transaction.db
            guard let before = try await categories.category(id: id, companyID: caller.companyID, db) else { throw ShopError.notFound("Category") }
            var after = before
            if let name, name != before.name {
                if let other = try await categories.category(named: name, companyID: caller.companyID, db), other.id != id { throw Self.taken(name) }
                after.name = name
            }
            if let isActive { after.isActive = isActive }
            try await categories.update(after, db)
            try await audit.record(
                caller.auditEntry(
                    "category_updated", entityType: "category", entityID: id,
                    old: ["name": .string(before.name), "is_active": .bool(before.isActive)],
                    new: ["name": .string(after.name), "is_active": .bool(after.isActive)]), db)
            return after
        }
    }

    static func validName(_ name: String) throws -> String {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        try Validation.checkText(name, field: "name", length: 1...100)
        return name
    }

    static func taken(_ name: String) -> ShopError {
        ShopError.conflict("A category named '\(name)' already exists", code: "duplicate_category", facts: ["field": .string("name")])
    }
}

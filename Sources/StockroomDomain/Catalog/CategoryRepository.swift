import Foundation
import SQLKit

/// SQL for categories, scoped by company. Names are unique per company, whatever their case.
struct CategoryRepository: Sendable {
    public init() {}

    static let columns = SQLQueryString("id, company_id, name, is_active, created_at")

    public func categories(companyID: Int64, limit: Int, offset: Int, _ db: any SQLDatabase) async throws -> (categories: [Category], total: Int) {
        let total =
            try await db.raw("SELECT COUNT(*) AS n FROM categories WHERE company_id = \(bind: companyID)")
            .first(decodingColumn: "n", as: Int.self) ?? 0
        let rows = try await db.raw(
            """
            SELECT \(Self.columns) FROM categories WHERE company_id = \(bind: companyID)
            ORDER BY LOWER(name), id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all()
        return (try rows.map(Category.init(row:)), total)
    }

    public func category(id: Int64, companyID: Int64, _ db: any SQLDatabase) async throws -> Category? {
        try await db.raw("SELECT \(Self.columns) FROM categories WHERE id = \(bind: id) AND company_id = \(bind: companyID)")
            .first().map(Category.init(row:))
    }

    public func category(named name: String, companyID: Int64, _ db: any SQLDatabase) async throws -> Category? {
        try await db.raw(
            """
            SELECT \(Self.columns) FROM categories WHERE company_id = \(bind: companyID) AND LOWER(name) = LOWER(\(bind: name))
            """
        ).first().map(Category.init(row:))
    }

    public func insert(companyID: Int64, name: String, _ db: any SQLDatabase) async throws -> Category {
        let now = Date.now.unixMilliseconds
        let id = try await db.raw(
            """
            INSERT INTO categories (company_id, name, is_active, created_at) VALUES (\(bind: companyID), \(bind: name), TRUE, \(bind: now))
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)!
        return Category(id: id, companyID: companyID, name: name, isActive: true, createdAt: Date(unixMilliseconds: now))
    }

    public func update(_ category: Category, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE categories SET name = \(bind: category.name), is_active = \(bind: category.isActive)
            WHERE id = \(bind: category.id) AND company_id = \(bind: category.companyID)
            """
        ).run()
    }
}

extension Category {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: Int64.self), companyID: try row.decode(column: "company_id", as: Int64.self),
            name: try row.decode(column: "name", as: String.self), isActive: try row.decode(column: "is_active", as: Bool.self),
            createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
    }
}

import Foundation
import SQLKit

extension IdentityRepository {
    public func stores(
        companyID: Int64, onlyStore: Int64?, limit: Int, offset: Int, _ db: any SQLDatabase
    ) async throws -> (stores: [Store], total: Int) {
        let condition: SQLQueryString = onlyStore.map { "company_id = \(bind: companyID) AND id = \(bind: $0)" } ?? "company_id = \(bind: companyID)"
        let total = try await db.raw("SELECT COUNT(*) AS n FROM stores WHERE \(condition)").first(decodingColumn: "n", as: Int.self) ?? 0
        let stores = try await db.raw(
            """
            SELECT id, company_id, name, address, is_active, created_at FROM stores WHERE \(condition)
            ORDER BY id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all().map(Store.init(row:))
        return (stores, total)
    }

    func updateStore(_ store: Store, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE stores SET name = \(bind: store.name), address = \(bind: store.address), is_active = \(bind: store.isActive)
            WHERE id = \(bind: store.id) AND company_id = \(bind: store.companyID)
            """
        ).run()
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

import Foundation
import SQLKit

/// A stock level with its product and store, as Credith's store-inventory lists show it.
public struct InventoryRecord: Sendable {
    public var level: StockLevel
    public var product: Product
    public var store: Store
}

/// Which ledger rows to read: always one company.
public struct MovementFilter: Sendable {
    public var companyID: Int64
    public var storeID: Int64?
    public var productID: Int64?
    public var kind: MovementKind?
    public var from: Date?
    public var to: Date?
    /// Only rows older than this id: keyset paging for exports, which must not repeat or skip rows while new
    /// movements arrive.
    public var beforeID: Int64?

    public init(
        companyID: Int64, storeID: Int64? = nil, productID: Int64? = nil, kind: MovementKind? = nil, from: Date? = nil, to: Date? = nil,
        beforeID: Int64? = nil
    ) {
        self.companyID = companyID
        self.storeID = storeID
        self.productID = productID
        self.kind = kind
        self.from = from
        self.to = to
        self.beforeID = beforeID
    }
}

extension InventoryRepository {
    /// Levels of the company's stores (optionally one store, optionally at or below a threshold), with product and store.
    public func records(
        companyID: Int64, storeID: Int64?, atOrBelow threshold: Int64? = nil, limit: Int, offset: Int, _ db: any SQLDatabase
    ) async throws -> (records: [InventoryRecord], total: Int) {
        var conditions: [SQLQueryString] = ["st.company_id = \(bind: companyID)", "p.company_id = \(bind: companyID)"]
        if let storeID { conditions.append("s.store_id = \(bind: storeID)") }
        if let threshold { conditions.append("s.in_stock <= \(bind: threshold)") }
        let whereClause = conditions.joined(separator: " AND ")
        let from: SQLQueryString = """
            FROM stock_levels s JOIN stores st ON st.id = s.store_id JOIN products p ON p.id = s.product_id
            LEFT JOIN categories c ON c.id = p.category_id
            """
        // One whole store counts its levels on the primary key alone (the store checked to be the company's): joined
        // to every product, the count was most of the time a page of a store's inventory took.
        let counted: SQLQueryString =
            if let storeID, threshold == nil {
                """
                SELECT COUNT(*) AS n FROM stock_levels s JOIN stores st ON st.id = s.store_id
                WHERE s.store_id = \(bind: storeID) AND st.company_id = \(bind: companyID)
                """
            } else {
                "SELECT COUNT(*) AS n \(from) WHERE \(whereClause)"
            }
        let total = try await db.raw(counted).first(decodingColumn: "n", as: Int.self) ?? 0
        // One store's list reads its page in name order from `products_name` instead of sorting the catalog.
        let order: SQLQueryString = threshold != nil ? "s.in_stock, s.store_id, p.id" : storeID != nil ? "p.name, p.id" : "s.store_id, p.name, p.id"
        let rows = try await db.raw(
            """
            SELECT s.store_id, s.product_id, s.in_stock, s.min_stock, s.is_active,
                   p.id, p.company_id, p.category_id, c.name AS category_name, p.barcode, p.name, p.description, p.price_cents,
                   p.cost_cents, p.expiration_date, p.image_url, p.is_active AS product_active, p.created_at, p.updated_at,
                   st.name AS store_name, st.address AS store_address, st.is_active AS store_active, st.created_at AS store_created_at
            \(from) WHERE \(whereClause) ORDER BY \(order) LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all()
        let records = try rows.map { row in
            InventoryRecord(
                level: try StockLevel(row: row),
                product: try Product(row: row, activeColumn: "product_active"),
                store: Store(
                    id: try row.decode(column: "store_id", as: Int64.self), companyID: companyID,
                    name: try row.decode(column: "store_name", as: String.self), address: try row.decode(column: "store_address", as: String?.self),
                    isActive: try row.decode(column: "store_active", as: Bool.self),
                    createdAt: Date(unixMilliseconds: try row.decode(column: "store_created_at", as: Int64.self))))
        }
        return (records, total)
    }

    /// Ledger rows matching `filter`, newest first.
    public func movements(
        _ filter: MovementFilter, limit: Int, offset: Int, _ db: any SQLDatabase
    ) async throws -> (movements: [StockMovement], total: Int) {
        var conditions: [SQLQueryString] = ["company_id = \(bind: filter.companyID)"]
        if let storeID = filter.storeID { conditions.append("store_id = \(bind: storeID)") }
        if let productID = filter.productID { conditions.append("product_id = \(bind: productID)") }
        if let kind = filter.kind { conditions.append("kind = \(bind: kind.rawValue)") }
        if let from = filter.from { conditions.append("created_at >= \(bind: from.unixMilliseconds)") }
        if let to = filter.to { conditions.append("created_at < \(bind: to.unixMilliseconds)") }
        if let beforeID = filter.beforeID { conditions.append("id < \(bind: beforeID)") }
        let whereClause = conditions.joined(separator: " AND ")
        let total = try await db.raw("SELECT COUNT(*) AS n FROM stock_movements WHERE \(whereClause)").first(decodingColumn: "n", as: Int.self) ?? 0
        let rows = try await db.raw(
            """
            SELECT id, company_id, store_id, product_id, kind, delta, stock_after, actor_id, reference, reason, created_at
            FROM stock_movements WHERE \(whereClause) ORDER BY id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all()
        let movements = try rows.map { row in
            StockMovement(
                id: try row.decode(column: "id", as: Int64.self), companyID: try row.decode(column: "company_id", as: Int64.self),
                storeID: try row.decode(column: "store_id", as: Int64.self), productID: try row.decode(column: "product_id", as: Int64.self),
                kind: MovementKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .adjustment,
                delta: try row.decode(column: "delta", as: Int64.self), stockAfter: try row.decode(column: "stock_after", as: Int64.self),
                actorID: try row.decode(column: "actor_id", as: Int64?.self), reference: try row.decode(column: "reference", as: String?.self),
                reason: try row.decode(column: "reason", as: String?.self),
                createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
        }
        return (movements, total)
    }
}

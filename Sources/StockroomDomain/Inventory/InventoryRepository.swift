import Foundation
import SQLKit

/// SQL for stock levels and the ledger. Only `StockLedger` calls the writing methods.
struct InventoryRepository: Sendable {
    public init() {}

    /// The level, locked for the rest of the transaction (PostgreSQL row lock; SQLite's writer is already exclusive).
    func lockedLevel(storeID: Int64, productID: Int64, _ transaction: Transaction) async throws -> StockLevel? {
        let lock = transaction.engine == .postgres ? " FOR UPDATE" : ""
        return try await transaction.db.raw(
            """
            SELECT store_id, product_id, in_stock, min_stock, is_active FROM stock_levels
            WHERE store_id = \(bind: storeID) AND product_id = \(bind: productID)\(unsafeRaw: lock)
            """
        ).first().map(StockLevel.init(row:))
    }

    /// PostgreSQL: locks every level of the store, in product order (the order sales lock them in), for the rest
    /// of the transaction.
    func lockLevels(storeID: Int64, _ db: any SQLDatabase) async throws {
        try await db.raw("SELECT product_id FROM stock_levels WHERE store_id = \(bind: storeID) ORDER BY product_id FOR UPDATE").run()
    }

    public func level(storeID: Int64, productID: Int64, _ db: any SQLDatabase) async throws -> StockLevel? {
        try await db.raw(
            """
            SELECT store_id, product_id, in_stock, min_stock, is_active FROM stock_levels
            WHERE store_id = \(bind: storeID) AND product_id = \(bind: productID)
            """
        ).first().map(StockLevel.init(row:))
    }

    /// Adds `delta` unless that would take the stock below zero; the stock after and the store's minimum, or nil
    /// when refused or missing. The guard is in the statement itself, so concurrent changes can never oversell.
    func addGuarded(
        storeID: Int64, productID: Int64, delta: Int64, _ db: any SQLDatabase
    ) async throws -> (stockAfter: Int64, minStock: Int64)? {
        guard
            let row = try await db.raw(
                """
                UPDATE stock_levels SET in_stock = in_stock + \(bind: delta), updated_at = \(bind: Date.now.unixMilliseconds)
                WHERE store_id = \(bind: storeID) AND product_id = \(bind: productID) AND in_stock + \(bind: delta) >= 0
                RETURNING in_stock, min_stock
                """
            ).first()
        else { return nil }
        return (try row.decode(column: "in_stock", as: Int64.self), try row.decode(column: "min_stock", as: Int64.self))
    }

    /// An empty level for a product new to the store; stock only ever arrives through `StockLedger`.
    func insertLevel(storeID: Int64, productID: Int64, minStock: Int64, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO stock_levels (store_id, product_id, in_stock, min_stock, is_active, updated_at)
            VALUES (\(bind: storeID), \(bind: productID), 0, \(bind: minStock), TRUE, \(bind: Date.now.unixMilliseconds))
            """
        ).run()
    }

    /// Creates an empty level when there is none; true when this call created it. Concurrent creators do not collide.
    func insertLevelIfMissing(storeID: Int64, productID: Int64, _ db: any SQLDatabase) async throws -> Bool {
        let inserted = try await db.raw(
            """
            INSERT INTO stock_levels (store_id, product_id, in_stock, min_stock, is_active, updated_at)
            VALUES (\(bind: storeID), \(bind: productID), 0, 0, TRUE, \(bind: Date.now.unixMilliseconds))
            ON CONFLICT (store_id, product_id) DO NOTHING
            RETURNING store_id
            """
        ).all()
        return !inserted.isEmpty
    }

    /// How many stores other than `storeID` carry the product (a level there; archived ones too, since they may
    /// take it back).
    func storesCarrying(productID: Int64, besides storeID: Int64, _ db: any SQLDatabase) async throws -> Int {
        try await db.raw(
            """
            SELECT COUNT(*) AS n FROM stock_levels WHERE product_id = \(bind: productID) AND store_id <> \(bind: storeID)
            """
        ).first(decodingColumn: "n", as: Int.self) ?? 0
    }

    func setMinimum(storeID: Int64, productID: Int64, minStock: Int64, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE stock_levels SET min_stock = \(bind: minStock), updated_at = \(bind: Date.now.unixMilliseconds)
            WHERE store_id = \(bind: storeID) AND product_id = \(bind: productID)
            """
        ).run()
    }

    public func setActive(storeID: Int64, productID: Int64, active: Bool, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE stock_levels SET is_active = \(bind: active), updated_at = \(bind: Date.now.unixMilliseconds)
            WHERE store_id = \(bind: storeID) AND product_id = \(bind: productID)
            """
        ).run()
    }

    func insertMovement(_ movement: StockMovement, _ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("\(Self.movementsHead) VALUES \(Self.movementRow(movement)) RETURNING id").first(decodingColumn: "id", as: Int64.self)!
    }

    /// Several ledger rows in a few statements (their ids are not needed by whoever writes them together).
    func insertMovements(_ movements: [StockMovement], _ db: any SQLDatabase) async throws {
        try await db.insertRows(Self.movementsHead, movements.map(Self.movementRow))
    }

    private static let movementsHead: SQLQueryString =
        "INSERT INTO stock_movements (company_id, store_id, product_id, kind, delta, stock_after, actor_id, reference, reason, created_at)"

    private static func movementRow(_ movement: StockMovement) -> SQLQueryString {
        """
        (\(bind: movement.companyID), \(bind: movement.storeID), \(bind: movement.productID), \(bind: movement.kind.rawValue),
         \(bind: movement.delta), \(bind: movement.stockAfter), \(bind: movement.actorID), \(bind: movement.reference),
         \(bind: movement.reason), \(bind: movement.createdAt.unixMilliseconds))
        """
    }
}

extension StockLevel {
    init(row: any SQLRow) throws {
        self.init(
            storeID: try row.decode(column: "store_id", as: Int64.self), productID: try row.decode(column: "product_id", as: Int64.self),
            inStock: try row.decode(column: "in_stock", as: Int64.self), minStock: try row.decode(column: "min_stock", as: Int64.self),
            isActive: try row.decode(column: "is_active", as: Bool.self))
    }
}

import Foundation
import SQLKit

/// SQL for products' moving-average cost (`AverageCost`) and the history of every product's cost.
struct CostRepository: Sendable {
    /// How a product's cost came to change.
    enum Reason: String {
        /// The cost it was created with (or had when the history began, migration 19).
        case opening
        /// Set by hand (a product edit or an import).
        case edit
        /// A purchase receipt moved the average.
        case receipt
    }

    /// The product's average and its standing cost, its row locked until the transaction ends (PostgreSQL; SQLite's
    /// writer is already alone): two receipts of one product take turns. `FOR NO KEY UPDATE`, the lock an UPDATE of
    /// the row takes: `FOR UPDATE` would also wait for every transaction that merely references the product (a sale
    /// writing its lines, a transfer its lines hold a key-share lock on it) while this one holds stock levels those
    /// wait for — a deadlock the mixed run found.
    func lockedAverage(productID: Int64, _ transaction: Transaction) async throws -> (average: AverageCost, standingCents: Int64) {
        let lock = transaction.engine == .postgres ? " FOR NO KEY UPDATE" : ""
        let row = try await transaction.db.raw(
            "SELECT stock_value_cents, valued_units, cost_cents FROM products WHERE id = \(bind: productID)\(unsafeRaw: lock)"
        ).first()!
        return (
            AverageCost(
                valueCents: try row.decode(column: "stock_value_cents", as: Int64.self), units: try row.decode(column: "valued_units", as: Int64.self)
            ),
            try row.decode(column: "cost_cents", as: Int64.self)
        )
    }

    /// The units the company holds of a product: every store's stock and what is in transit between them.
    func unitsHeld(productID: Int64, _ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw(
            """
            SELECT CAST(COALESCE((SELECT SUM(in_stock) FROM stock_levels WHERE product_id = \(bind: productID)), 0)
                 + COALESCE((SELECT SUM(quantity - received - lost) FROM transfer_lines
                             WHERE product_id = \(bind: productID) AND received + lost < quantity), 0) AS BIGINT) AS n
            """
        ).first(decodingColumn: "n", as: Int64.self) ?? 0
    }

    /// Keeps the product's new average and the unit cost sales capture from now on, and records the change.
    func setAverage(
        _ average: AverageCost, productID: Int64, companyID: Int64, reference: String, _ db: any SQLDatabase
    ) async throws -> Int64 {
        let unitCost = average.unitCostCents(standing: 0)
        let now = Date.now.unixMilliseconds
        try await db.raw(
            """
            UPDATE products SET stock_value_cents = \(bind: average.valueCents), valued_units = \(bind: average.units),
                cost_cents = \(bind: unitCost), updated_at = \(bind: now)
            WHERE id = \(bind: productID)
            """
        ).run()
        try await record(productID: productID, companyID: companyID, costCents: unitCost, reason: .receipt, reference: reference, at: now, db)
        return unitCost
    }

    /// A cost set by hand: the history records it and the average starts again from it at the next receipt.
    func costSet(productID: Int64, companyID: Int64, costCents: Int64, reason: Reason, _ db: any SQLDatabase) async throws {
        try await db.raw("UPDATE products SET stock_value_cents = 0, valued_units = 0 WHERE id = \(bind: productID)").run()
        try await record(
            productID: productID, companyID: companyID, costCents: costCents, reason: reason, reference: nil, at: Date.now.unixMilliseconds, db)
    }

    func record(
        productID: Int64, companyID: Int64, costCents: Int64, reason: Reason, reference: String?, at time: Int64, _ db: any SQLDatabase
    ) async throws {
        try await db.raw(
            """
            INSERT INTO product_cost_changes (company_id, product_id, cost_cents, reason, reference, created_at)
            VALUES (\(bind: companyID), \(bind: productID), \(bind: costCents), \(bind: reason.rawValue), \(bind: reference), \(bind: time))
            """
        ).run()
    }
}

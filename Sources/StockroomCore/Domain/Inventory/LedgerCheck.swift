import SQLKit

/// The ledger's invariant: every stock level equals the sum of its movements, and no movement lacks a level.
/// (PostgreSQL sums BIGINT as NUMERIC, hence the casts.)
public struct LedgerCheck: Sendable {
    public struct Mismatch: Sendable, Equatable, CustomStringConvertible {
        public var storeID: Int64
        public var productID: Int64
        public var inStock: Int64
        public var ledgerSum: Int64

        public var description: String {
            "store \(storeID), product \(productID): stock \(inStock) but movements sum to \(ledgerSum)"
        }
    }

    public init() {}

    /// Every level whose stock differs from its ledger; empty when the books balance.
    public func mismatches(_ db: any SQLDatabase) async throws -> [Mismatch] {
        try await db.raw("""
            SELECT store_id, product_id, CAST(SUM(in_stock) AS BIGINT) AS in_stock, CAST(SUM(ledger) AS BIGINT) AS ledger FROM (
                SELECT store_id, product_id, in_stock, 0 AS ledger FROM stock_levels
                UNION ALL
                SELECT store_id, product_id, 0 AS in_stock, delta AS ledger FROM stock_movements
            ) combined
            GROUP BY store_id, product_id
            HAVING SUM(in_stock) <> SUM(ledger)
            ORDER BY store_id, product_id
            """).all().map { row in
            Mismatch(
                storeID: try row.decode(column: "store_id", as: Int64.self), productID: try row.decode(column: "product_id", as: Int64.self),
                inStock: try row.decode(column: "in_stock", as: Int64.self), ledgerSum: try row.decode(column: "ledger", as: Int64.self))
        }
    }
}

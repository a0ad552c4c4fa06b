import SQLKit

/// The SQL that checks the ledger's invariant: every stock level equals the sum of its movements, and no movement
/// lacks a level.
/// (PostgreSQL sums BIGINT as NUMERIC, hence the casts.)
public struct LedgerRepository: Sendable {
    public struct Mismatch: Sendable, Equatable, CustomStringConvertible {
        public var storeID: Int64
        public var productID: Int64
        public var inStock: Int64
        var ledgerSum: Int64

        public var description: String {
            "store \(storeID), product \(productID): stock \(inStock) but movements sum to \(ledgerSum)"
        }
    }

    public init() {}

    /// Every level whose stock differs from its ledger; empty when the books balance.
    public func mismatches(_ db: any SQLDatabase) async throws -> [Mismatch] {
        try await db.raw(SQLQueryString(Self.mismatchQuery)).all().map(Self.mismatch)
    }

    /// The levels whose stock differs from their ledger, one row each (`mismatch(_:)` reads it).
    static let mismatchQuery = """
        SELECT store_id, product_id, CAST(SUM(in_stock) AS BIGINT) AS in_stock, CAST(SUM(ledger) AS BIGINT) AS ledger FROM (
            SELECT store_id, product_id, in_stock, 0 AS ledger FROM stock_levels
            UNION ALL
            SELECT store_id, product_id, 0 AS in_stock, delta AS ledger FROM stock_movements
        ) combined
        GROUP BY store_id, product_id
        HAVING SUM(in_stock) <> SUM(ledger)
        ORDER BY store_id, product_id
        """

    static func mismatch(_ row: any SQLRow) throws -> Mismatch {
        Mismatch(
            storeID: try row.decode(column: "store_id", as: Int64.self), productID: try row.decode(column: "product_id", as: Int64.self),
            inStock: try row.decode(column: "in_stock", as: Int64.self), ledgerSum: try row.decode(column: "ledger", as: Int64.self))
    }

    /// A transfer line whose units in transit or lost differ from its ledger rows.
    public struct TransitMismatch: Sendable, Equatable, CustomStringConvertible {
        public var transferID: Int64
        public var productID: Int64
        var inTransit: Int64
        var ledgerInTransit: Int64
        var lost: Int64
        var ledgerLost: Int64
        /// False for movements that name the transfer but a product that is not on it.
        var onTransfer = true

        public var description: String {
            guard onTransfer else { return "transfer \(transferID): movements of product \(productID), which is not on it" }
            return
                "transfer \(transferID), product \(productID): \(inTransit) in transit and \(lost) lost, but the ledger says \(ledgerInTransit) and \(ledgerLost)"
        }
    }

    /// Every transfer line whose units in transit differ from minus the sum of its `transfer_out` and `transfer_in`
    /// movements, or whose lost units from minus its `transfer_loss` ones; empty when they agree.
    public func transitMismatches(_ db: any SQLDatabase) async throws -> [TransitMismatch] {
        try await db.raw(SQLQueryString(Self.transitMismatchQuery)).all().map {
            TransitMismatch(
                transferID: try $0.decode(column: "transfer_id", as: Int64.self), productID: try $0.decode(column: "product_id", as: Int64.self),
                inTransit: try $0.decode(column: "in_transit", as: Int64.self),
                ledgerInTransit: try $0.decode(column: "ledger_in_transit", as: Int64.self),
                lost: try $0.decode(column: "lost", as: Int64.self), ledgerLost: try $0.decode(column: "ledger_lost", as: Int64.self),
                onTransfer: try $0.decode(column: "orphan", as: Int64.self) == 0)
        }
    }

    static let transitMismatchQuery = """
        SELECT transfer_id, product_id, in_transit, ledger_in_transit, lost, ledger_lost, orphan FROM (
            SELECT t.id AS transfer_id, l.product_id, l.quantity - l.received - l.lost AS in_transit, l.lost,
                   CAST(-COALESCE(m.moved, 0) AS BIGINT) AS ledger_in_transit, CAST(-COALESCE(m.lost, 0) AS BIGINT) AS ledger_lost,
                   CAST(0 AS BIGINT) AS orphan
            FROM transfer_lines l JOIN transfers t ON t.id = l.transfer_id
            LEFT JOIN (
                SELECT reference, product_id,
                       SUM(CASE WHEN kind IN ('transfer_out', 'transfer_in') THEN delta ELSE 0 END) AS moved,
                       SUM(CASE WHEN kind = 'transfer_loss' THEN delta ELSE 0 END) AS lost
                FROM stock_movements WHERE kind IN ('transfer_out', 'transfer_in', 'transfer_loss') GROUP BY reference, product_id
            ) m ON m.reference = t.reference AND m.product_id = l.product_id
            UNION ALL
            -- movements that name a transfer but a product not on it
            SELECT t.id, m.product_id, CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(1 AS BIGINT)
            FROM stock_movements m JOIN transfers t ON t.reference = m.reference
            WHERE m.kind IN ('transfer_out', 'transfer_in', 'transfer_loss')
              AND NOT EXISTS (SELECT 1 FROM transfer_lines l WHERE l.transfer_id = t.id AND l.product_id = m.product_id)
            GROUP BY t.id, m.product_id
        ) lines
        WHERE in_transit <> ledger_in_transit OR lost <> ledger_lost OR orphan = 1
        ORDER BY transfer_id, product_id
        """

    /// A company whose kept product counts (`company_product_counts`, which list totals read) differ from its
    /// products.
    public struct CountMismatch: Sendable, Equatable, CustomStringConvertible {
        public var companyID: Int64
        var keptProducts: Int64
        var keptActive: Int64
        public var products: Int64
        public var active: Int64

        public var description: String {
            "company \(companyID): \(keptProducts) products (\(keptActive) active) counted, \(products) (\(active)) there"
        }
    }

    /// Every company whose kept product counts are wrong; empty when they are right.
    public func countMismatches(_ db: any SQLDatabase) async throws -> [CountMismatch] {
        try await db.raw(SQLQueryString(Self.countMismatchQuery)).all().map(Self.countMismatch)
    }

    /// The companies whose kept counts are wrong, one row each (`countMismatch(_:)` reads it).
    static let countMismatchQuery = """
        SELECT COALESCE(k.company_id, a.company_id) AS company_id,
               COALESCE(k.products, 0) AS kept, COALESCE(k.active_products, 0) AS kept_active,
               COALESCE(a.products, 0) AS actual, COALESCE(a.active_products, 0) AS actual_active
        FROM company_product_counts k
        FULL OUTER JOIN (
            SELECT company_id, COUNT(*) AS products, CAST(SUM(CASE WHEN is_active THEN 1 ELSE 0 END) AS BIGINT) AS active_products
            FROM products GROUP BY company_id
        ) a ON a.company_id = k.company_id
        WHERE COALESCE(k.products, 0) <> COALESCE(a.products, 0) OR COALESCE(k.active_products, 0) <> COALESCE(a.active_products, 0)
        ORDER BY 1
        """

    static func countMismatch(_ row: any SQLRow) throws -> CountMismatch {
        CountMismatch(
            companyID: try row.decode(column: "company_id", as: Int64.self),
            keptProducts: try row.decode(column: "kept", as: Int64.self), keptActive: try row.decode(column: "kept_active", as: Int64.self),
            products: try row.decode(column: "actual", as: Int64.self), active: try row.decode(column: "actual_active", as: Int64.self))
    }
}

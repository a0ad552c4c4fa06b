import Foundation
import SQLKit

/// The SQL of a valuation: units per store and product from the ledger up to a moment, units in transit from the
/// transfers' movements up to it, and each product's cost then from its history of costs.
struct ValuationRepository: Sendable {
    func valuation(companyID: Int64, storeID: Int64?, at moment: Int64, _ db: any SQLDatabase) async throws -> [Valuation.Row] {
        let store: SQLQueryString = storeID.map { " AND m.store_id = \(bind: $0)" } ?? ""
        let destination: SQLQueryString = storeID.map { " AND t.to_store_id = \(bind: $0)" } ?? ""
        // A product with no cost recorded by then (rows written before the history began) is valued at its cost now.
        return try await db.raw(
            """
            WITH costs AS (
                SELECT product_id, cost_cents FROM (
                    SELECT product_id, cost_cents, ROW_NUMBER() OVER (PARTITION BY product_id ORDER BY created_at DESC, id DESC) AS newest
                    FROM product_cost_changes WHERE company_id = \(bind: companyID) AND created_at <= \(bind: moment)
                ) ranked WHERE newest = 1
            ), held AS (
                SELECT m.store_id, m.product_id, SUM(m.delta) AS units, CAST(0 AS BIGINT) AS in_transit
                FROM stock_movements m
                WHERE m.company_id = \(bind: companyID) AND m.created_at <= \(bind: moment)\(store)
                GROUP BY m.store_id, m.product_id
                UNION ALL
                SELECT t.to_store_id, m.product_id, -SUM(m.delta), CAST(1 AS BIGINT)
                FROM stock_movements m JOIN transfers t ON t.reference = m.reference
                WHERE m.company_id = \(bind: companyID) AND m.kind IN ('transfer_out', 'transfer_in') AND m.created_at <= \(bind: moment)\(destination)
                GROUP BY t.to_store_id, m.product_id
            )
            SELECT h.store_id, st.name AS store_name, h.product_id, p.name AS product_name, p.barcode,
                   CAST(h.units AS BIGINT) AS units, COALESCE(c.cost_cents, p.cost_cents) AS unit_cost_cents, h.in_transit
            FROM held h JOIN stores st ON st.id = h.store_id JOIN products p ON p.id = h.product_id
            LEFT JOIN costs c ON c.product_id = h.product_id
            WHERE h.units <> 0
            ORDER BY LOWER(st.name), st.id, h.in_transit, LOWER(p.name), p.id
            """
        ).all().map {
            Valuation.Row(
                storeID: try $0.decode(column: "store_id", as: Int64.self), storeName: try $0.decode(column: "store_name", as: String.self),
                productID: try $0.decode(column: "product_id", as: Int64.self), productName: try $0.decode(column: "product_name", as: String.self),
                barcode: try $0.decode(column: "barcode", as: String.self), units: try $0.decode(column: "units", as: Int64.self),
                unitCostCents: try $0.decode(column: "unit_cost_cents", as: Int64.self),
                inTransit: try $0.decode(column: "in_transit", as: Int64.self) == 1)
        }
    }
}

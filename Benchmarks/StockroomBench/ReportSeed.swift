import Foundation
import SQLKit
import StockroomCore

/// A year of trading for the report benchmark, generated inside the database (a recursive sequence, so a million
/// lines take seconds, not a million round trips): `products` products stocked in every store, `sales` sales
/// spread over the last `days` days and the stores, 1 to 4 lines each (2.5 on average), products skewed toward
/// the first ones (a few best sellers, a long tail), prices and costs copied from the catalog as a real sale does.
struct ReportSeed {
    let companyID: Int64
    let stores: Int
    let products: Int
    let sales: Int
    let days: Int

    func insert(_ database: any DatabaseClient) async throws -> (storeIDs: [Int64], lines: Int) {
        try await database.withTransaction { transaction in
            let db = transaction.db
            let identity = IdentityRepository()
            var storeIDs = [try await identity.firstStore(companyID: companyID, db)!.id]
            for number in storeIDs.count..<stores {
                storeIDs.append(try await identity.insertStore(companyID: companyID, name: "Store \(number + 1)", db).id)
            }
            let vendor = try await db.raw("SELECT MIN(id) AS id FROM users WHERE company_id = \(bind: companyID)")
                .first(decodingColumn: "id", as: Int64.self)!
            let now = Date.now.unixMilliseconds
            let span = Int64(days) * LocalClock.millisecondsPerDay
            try await db.raw(
                """
                WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < \(bind: products))
                INSERT INTO products (company_id, barcode, name, price_cents, cost_cents, created_at, updated_at)
                SELECT \(bind: companyID), 'BENCH' || n, 'Product ' || n, 100 + (n * 37) % 4900, 50 + (n * 37) % 2400,
                       \(bind: now - span - 1), \(bind: now - span - 1)
                FROM seq
                """
            ).run()
            let firstProduct = try await db.raw("SELECT MIN(id) AS id FROM products WHERE company_id = \(bind: companyID)")
                .first(decodingColumn: "id", as: Int64.self)!
            try await db.raw(
                """
                INSERT INTO stock_levels (store_id, product_id, in_stock, min_stock, updated_at)
                SELECT st.id, p.id, (p.id * 7) % 200, 10, \(bind: now) FROM stores st CROSS JOIN products p
                WHERE st.company_id = \(bind: companyID) AND p.company_id = \(bind: companyID)
                """
            ).run()
            // Sale n: store n mod stores, at a pseudo-random instant of the span (a multiplier coprime with it).
            try await db.raw(
                """
                WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < \(bind: sales))
                INSERT INTO sales (company_id, store_id, vendor_id, bill_number, status, payment_method, subtotal_cents, total_cents,
                                   created_at, updated_at)
                SELECT \(bind: companyID), \(bind: storeIDs[0]) + (n % \(bind: Int64(stores))), \(bind: vendor), n, 'completed', 'cash', 0, 0,
                       \(bind: now - span) + (n * 2654435761) % \(bind: span), \(bind: now)
                FROM seq
                """
            ).run()
            // Line i of sale s exists when i <= 1 + s mod 4; its product index r*r/products, r uniform, favours the
            // first products the way real best sellers do.
            try await db.raw(
                """
                INSERT INTO sale_lines (sale_id, product_id, quantity, unit_price_cents, unit_cost_cents, line_total_cents)
                SELECT s.id, p.id, q.quantity, p.price_cents, p.cost_cents, q.quantity * p.price_cents
                FROM sales s
                JOIN (SELECT 1 AS i UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) k ON k.i <= 1 + s.id % 4
                JOIN (SELECT 1 AS quantity UNION ALL SELECT 2 UNION ALL SELECT 3) q ON q.quantity = 1 + (s.id + k.i) % 3
                JOIN products p ON p.id = \(bind: firstProduct)
                    + (((s.id * 31 + k.i * 17) % \(bind: Int64(products))) * ((s.id * 31 + k.i * 17) % \(bind: Int64(products)))) / \(bind: Int64(products))
                WHERE s.company_id = \(bind: companyID)
                """
            ).run()
            try await db.raw(
                """
                UPDATE sales SET subtotal_cents = (SELECT SUM(line_total_cents) FROM sale_lines l WHERE l.sale_id = sales.id),
                                 total_cents = (SELECT SUM(line_total_cents) FROM sale_lines l WHERE l.sale_id = sales.id)
                WHERE company_id = \(bind: companyID)
                """
            ).run()
            let lines = try await db.raw("SELECT COUNT(*) AS n FROM sale_lines").first(decodingColumn: "n", as: Int.self) ?? 0
            return (storeIDs, lines)
        }
    }
}

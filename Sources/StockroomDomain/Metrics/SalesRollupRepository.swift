import Foundation
import SQLKit

/// The SQL of the sales totals (`SalesRollup` says what changes, this writes it): rows added to in the lock order
/// `SalesRollup` documents, the report clock's zone, and the whole tables summed again from the sales.
struct SalesRollupRepository: Sendable {
    public let clock: LocalClock

    public init(clock: LocalClock) {
        self.clock = clock
    }

    /// Writes `changes`, one statement per table, rows in the lock order.
    public func apply(_ changes: SalesRollup.Changes, _ db: any SQLDatabase) async throws {
        if let hour = changes.hourTotals {
            try await db.raw(
                """
                INSERT INTO sales_hourly (store_id, local_hour, company_id, sales, revenue_cents, tax_cents, units, cost_cents)
                VALUES (\(bind: changes.storeID), \(bind: changes.hour), \(bind: changes.companyID), \(bind: hour.sales),
                        \(bind: hour.revenueCents), \(bind: hour.taxCents), \(bind: hour.units), \(bind: hour.costCents))
                ON CONFLICT (store_id, local_hour) DO UPDATE SET
                    sales = sales_hourly.sales + excluded.sales, revenue_cents = sales_hourly.revenue_cents + excluded.revenue_cents,
                    tax_cents = sales_hourly.tax_cents + excluded.tax_cents, units = sales_hourly.units + excluded.units,
                    cost_cents = sales_hourly.cost_cents + excluded.cost_cents
                """
            ).run()
        }
        // One statement per table for all the sale's products (rows in product order: the lock order `SalesRollup` documents).
        for (table, bucket, key) in [("product_sales_daily", "local_day", changes.day), ("product_sales_blocks", "block", changes.block)] {
            try await db.insertRows(
                "INSERT INTO \(unsafeRaw: table) (product_id, store_id, \(unsafeRaw: bucket), company_id, units, revenue_cents, cost_cents)",
                changes.products.map { productID, change in
                    """
                    (\(bind: productID), \(bind: changes.storeID), \(bind: key), \(bind: changes.companyID), \(bind: change.units),
                     \(bind: change.revenueCents), \(bind: change.costCents))
                    """
                },
                """
                 ON CONFLICT (product_id, store_id, \(unsafeRaw: bucket)) DO UPDATE SET
                    units = \(unsafeRaw: table).units + excluded.units,
                    revenue_cents = \(unsafeRaw: table).revenue_cents + excluded.revenue_cents,
                    cost_cents = \(unsafeRaw: table).cost_cents + excluded.cost_cents
                """)
        }
        try await db.insertRows(
            "INSERT INTO vendor_sales_daily (vendor_id, store_id, local_day, company_id, sales, revenue_cents)",
            changes.vendors.map { vendorID, change in
                """
                (\(bind: vendorID), \(bind: changes.storeID), \(bind: changes.day), \(bind: changes.companyID), \(bind: change.sales),
                 \(bind: change.revenueCents))
                """
            },
            """
             ON CONFLICT (vendor_id, store_id, local_day) DO UPDATE SET
                sales = vendor_sales_daily.sales + excluded.sales,
                revenue_cents = vendor_sales_daily.revenue_cents + excluded.revenue_cents
            """)
    }

    /// The zone the totals were last cut in (nil: never).
    func timeZone(_ db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT time_zone FROM report_clock WHERE id = 1").first(decodingColumn: "time_zone", as: String.self)
    }

    func setTimeZone(_ zone: String, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO report_clock (id, time_zone) VALUES (1, \(bind: zone))
            ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone
            """
        ).run()
    }

    /// PostgreSQL: holds off every sale and every total until the transaction ends.
    func lockForRebuild(_ db: any SQLDatabase) async throws {
        try await db.raw("LOCK TABLE sales, sale_lines IN SHARE MODE").run()
        try await db.raw("LOCK TABLE sales_hourly, product_sales_daily, product_sales_blocks, vendor_sales_daily IN EXCLUSIVE MODE").run()
    }

    /// Recomputes every table from the completed sales, one grouped statement each. The zone's offset is one SQL
    /// CASE over the offset runs between the first and last sale, so each sale lands in its local hour and day.
    func rebuild(_ db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM sales_hourly").run()
        try await db.raw("DELETE FROM product_sales_daily").run()
        try await db.raw("DELETE FROM product_sales_blocks").run()
        try await db.raw("DELETE FROM vendor_sales_daily").run()
        let range = try await db.raw("SELECT MIN(created_at) AS first, MAX(created_at) AS last FROM sales").first()
        guard let first = try range?.decode(column: "first", as: Int64?.self),
            let last = try range?.decode(column: "last", as: Int64?.self)
        else { return }
        let local = localTime(runs: clock.offsetRuns(from: first, to: last + 1))
        try await db.raw(
            """
            INSERT INTO sales_hourly (store_id, local_hour, company_id, sales, revenue_cents, tax_cents, units, cost_cents)
            SELECT store_id, bucket, company_id, SUM(sales), SUM(revenue), SUM(tax), SUM(units), SUM(cost) FROM (
                SELECT s.store_id, (\(local)) / \(unsafeRaw: String(LocalClock.millisecondsPerHour)) AS bucket, s.company_id,
                       1 AS sales, s.total_cents AS revenue, s.tax_cents AS tax, l.units, l.cost_cents AS cost
                FROM sales s JOIN (
                    SELECT sale_id, SUM(quantity) AS units, SUM(quantity * unit_cost_cents) AS cost_cents FROM sale_lines GROUP BY sale_id
                ) l ON l.sale_id = s.id
                WHERE s.status = 'completed'
                UNION ALL
                SELECT s.store_id, (\(local)) / \(unsafeRaw: String(LocalClock.millisecondsPerHour)) AS bucket, s.company_id,
                       0, -r.refund_cents, -r.tax_cents, -rl.units, -rl.cost_cents
                FROM sale_returns r JOIN sales s ON s.id = r.sale_id JOIN (
                    SELECT return_id, SUM(quantity) AS units, SUM(cost_cents) AS cost_cents FROM sale_return_lines GROUP BY return_id
                ) rl ON rl.return_id = r.id
                WHERE s.status = 'completed'
            ) sold
            GROUP BY store_id, bucket, company_id
            """
        ).run()
        try await db.raw(
            """
            INSERT INTO product_sales_daily (product_id, store_id, local_day, company_id, units, revenue_cents, cost_cents)
            SELECT product_id, store_id, bucket, company_id, SUM(units), SUM(revenue), SUM(cost) FROM (
                SELECT l.product_id, s.store_id, (\(local)) / \(unsafeRaw: String(LocalClock.millisecondsPerDay)) AS bucket, s.company_id,
                       l.quantity AS units, l.line_total_cents AS revenue, l.quantity * l.unit_cost_cents AS cost
                FROM sales s JOIN sale_lines l ON l.sale_id = s.id
                WHERE s.status = 'completed'
                UNION ALL
                SELECT rl.product_id, s.store_id, (\(local)) / \(unsafeRaw: String(LocalClock.millisecondsPerDay)) AS bucket, s.company_id,
                       -rl.quantity, -rl.revenue_cents, -rl.cost_cents
                FROM sale_return_lines rl JOIN sale_returns r ON r.id = rl.return_id JOIN sales s ON s.id = r.sale_id
                WHERE s.status = 'completed'
            ) sold
            GROUP BY product_id, store_id, bucket, company_id
            """
        ).run()
        try await db.raw(
            """
            INSERT INTO product_sales_blocks (product_id, store_id, block, company_id, units, revenue_cents, cost_cents)
            SELECT product_id, store_id, local_day / \(unsafeRaw: String(ReportPeriod.blockDays)) AS bucket, company_id,
                   SUM(units), SUM(revenue_cents), SUM(cost_cents)
            FROM product_sales_daily
            GROUP BY product_id, store_id, bucket, company_id
            """
        ).run()
        try await db.raw(
            """
            INSERT INTO vendor_sales_daily (vendor_id, store_id, local_day, company_id, sales, revenue_cents)
            SELECT vendor_id, store_id, bucket, company_id, SUM(sales), SUM(revenue) FROM (
                SELECT s.vendor_id, s.store_id, (\(local)) / \(unsafeRaw: String(LocalClock.millisecondsPerDay)) AS bucket, s.company_id,
                       1 AS sales, s.total_cents AS revenue
                FROM sales s
                WHERE s.status = 'completed'
                UNION ALL
                SELECT s.vendor_id, s.store_id, (\(local)) / \(unsafeRaw: String(LocalClock.millisecondsPerDay)) AS bucket, s.company_id,
                       0, -r.refund_cents
                FROM sale_returns r JOIN sales s ON s.id = r.sale_id
                WHERE s.status = 'completed'
            ) sold
            GROUP BY vendor_id, store_id, bucket, company_id
            """
        ).run()
    }

    /// `s.created_at` on the local clock. The numbers are computed here, not taken from a client.
    private func localTime(runs: [(start: Int64, offset: Int64)]) -> SQLQueryString {
        guard runs.count > 1 else { return "s.created_at + \(unsafeRaw: String(runs.first?.offset ?? 0))" }
        var expression = "s.created_at + CASE"
        for (index, run) in runs.enumerated().dropLast() {
            expression += " WHEN s.created_at < \(runs[index + 1].start) THEN \(run.offset)"
        }
        expression += " ELSE \(runs.last!.offset) END"
        return "\(unsafeRaw: expression)"
    }
}

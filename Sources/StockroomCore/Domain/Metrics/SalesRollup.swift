import Foundation
import Logging
import SQLKit

/// Keeps `sales_hourly`, `product_sales_daily` and `product_sales_blocks` equal to the sum of completed sales. The sale services call
/// `add` inside the sale's own transaction (a void subtracts, an edit subtracts the old sale and adds the new),
/// so the totals can never drift from the sales they summarise.
public struct SalesRollup: Sendable {
    public let clock: LocalClock

    public init(clock: LocalClock) {
        self.clock = clock
    }

    /// Adds (`sign` 1) or removes (`sign` -1) one sale.
    public func add(_ sale: Sale, sign: Int64, _ db: any SQLDatabase) async throws {
        let soldAt = sale.createdAt.unixMilliseconds
        let units = sale.lines.reduce(0) { $0 + $1.quantity }
        let cost = sale.lines.reduce(0) { $0 + $1.quantity * $1.unitCostCents }
        try await db.raw("""
            INSERT INTO sales_hourly (store_id, local_hour, company_id, sales, revenue_cents, tax_cents, units, cost_cents)
            VALUES (\(bind: sale.storeID), \(bind: clock.hour(at: soldAt)), \(bind: sale.companyID), \(bind: sign),
                    \(bind: sign * sale.totalCents), \(bind: sign * sale.taxCents), \(bind: sign * units), \(bind: sign * cost))
            ON CONFLICT (store_id, local_hour) DO UPDATE SET
                sales = sales_hourly.sales + excluded.sales, revenue_cents = sales_hourly.revenue_cents + excluded.revenue_cents,
                tax_cents = sales_hourly.tax_cents + excluded.tax_cents, units = sales_hourly.units + excluded.units,
                cost_cents = sales_hourly.cost_cents + excluded.cost_cents
            """).run()
        let day = clock.day(at: soldAt)
        for line in sale.lines {
            for (table, bucket, key) in [("product_sales_daily", "local_day", day), ("product_sales_blocks", "block", day / ReportPeriod.blockDays)] {
                try await db.raw("""
                    INSERT INTO \(unsafeRaw: table) (product_id, store_id, \(unsafeRaw: bucket), company_id, units, revenue_cents, cost_cents)
                    VALUES (\(bind: line.productID), \(bind: sale.storeID), \(bind: key), \(bind: sale.companyID), \(bind: sign * line.quantity),
                            \(bind: sign * line.lineTotalCents), \(bind: sign * line.quantity * line.unitCostCents))
                    ON CONFLICT (product_id, store_id, \(unsafeRaw: bucket)) DO UPDATE SET
                        units = \(unsafeRaw: table).units + excluded.units,
                        revenue_cents = \(unsafeRaw: table).revenue_cents + excluded.revenue_cents,
                        cost_cents = \(unsafeRaw: table).cost_cents + excluded.cost_cents
                    """).run()
            }
        }
    }

    /// At start: rebuilds the totals when they were cut in another time zone (or never cut), under the migration
    /// lock so that nodes starting together rebuild once. Returns whether it rebuilt.
    @discardableResult
    public func prepare(_ database: some DatabaseClient, logger: Logger) async throws -> Bool {
        let zone = clock.timeZone.identifier
        return try await database.withMigrationLock { db in
            try await Transaction.run(on: db, engine: database.engine) { transaction in
                let current = try await transaction.db.raw("SELECT time_zone FROM report_clock WHERE id = 1")
                    .first(decodingColumn: "time_zone", as: String.self)
                guard current != zone else { return false }
                logger.notice("Rebuilding sales reports for time zone \(zone) (were \(current ?? "never built"))")
                try await rebuild(transaction.db)
                try await transaction.db.raw("""
                    INSERT INTO report_clock (id, time_zone) VALUES (1, \(bind: zone))
                    ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone
                    """).run()
                return true
            }
        }
    }

    /// Recomputes both tables from every completed sale in two grouped statements. The zone's offset is one SQL
    /// CASE over the offset runs between the first and last sale, so each sale lands in its local hour and day.
    public func rebuild(_ db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM sales_hourly").run()
        try await db.raw("DELETE FROM product_sales_daily").run()
        try await db.raw("DELETE FROM product_sales_blocks").run()
        let range = try await db.raw("SELECT MIN(created_at) AS first, MAX(created_at) AS last FROM sales").first()
        guard let first = try range?.decode(column: "first", as: Int64?.self),
              let last = try range?.decode(column: "last", as: Int64?.self) else { return }
        let local = localTime(runs: clock.offsetRuns(from: first, to: last + 1))
        try await db.raw("""
            INSERT INTO sales_hourly (store_id, local_hour, company_id, sales, revenue_cents, tax_cents, units, cost_cents)
            SELECT s.store_id, (\(local)) / \(unsafeRaw: String(LocalClock.millisecondsPerHour)) AS bucket, s.company_id,
                   COUNT(*), SUM(s.total_cents), SUM(s.tax_cents), SUM(l.units), SUM(l.cost_cents)
            FROM sales s JOIN (
                SELECT sale_id, SUM(quantity) AS units, SUM(quantity * unit_cost_cents) AS cost_cents FROM sale_lines GROUP BY sale_id
            ) l ON l.sale_id = s.id
            WHERE s.status = 'completed'
            GROUP BY s.store_id, bucket, s.company_id
            """).run()
        try await db.raw("""
            INSERT INTO product_sales_daily (product_id, store_id, local_day, company_id, units, revenue_cents, cost_cents)
            SELECT l.product_id, s.store_id, (\(local)) / \(unsafeRaw: String(LocalClock.millisecondsPerDay)) AS bucket, s.company_id,
                   SUM(l.quantity), SUM(l.line_total_cents), SUM(l.quantity * l.unit_cost_cents)
            FROM sales s JOIN sale_lines l ON l.sale_id = s.id
            WHERE s.status = 'completed'
            GROUP BY l.product_id, s.store_id, bucket, s.company_id
            """).run()
        try await db.raw("""
            INSERT INTO product_sales_blocks (product_id, store_id, block, company_id, units, revenue_cents, cost_cents)
            SELECT product_id, store_id, local_day / \(unsafeRaw: String(ReportPeriod.blockDays)) AS bucket, company_id,
                   SUM(units), SUM(revenue_cents), SUM(cost_cents)
            FROM product_sales_daily
            GROUP BY product_id, store_id, bucket, company_id
            """).run()
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

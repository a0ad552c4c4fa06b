import Foundation
import Logging
import SQLKit

/// Keeps `sales_hourly`, `product_sales_daily`, `product_sales_blocks` and `vendor_sales_daily` equal to the sum of
/// completed sales.
/// Edits and voids call `record` inside their own transaction, after the stock changes, and a batch of new sales
/// applies its `merged` changes in its transaction, so the totals can never drift from the sales they summarise.
///
/// Lock order: every transaction that touches stock and totals locks stock levels first (the inventory service
/// sorts them), then the hour row, then product rows by product id, then the seller's day row, so a sale and an edit or void of another sale
/// of the same products never wait on each other in opposite orders on PostgreSQL. New sales come in batches
/// (`SaleBatches`); on PostgreSQL a batch locks all its stock levels in (store, product) order first, then the rows
/// here in this order, keyed by store, product or seller, and its stores' bill counters last; nothing else takes
/// those. (SQLite has one writer and no row locks: the order there is only what reads best.)
public struct SalesRollup: Sendable {
    public let clock: LocalClock

    public init(clock: LocalClock) {
        self.clock = clock
    }

    /// What one write changes in the totals: each row's net change, in the lock order above.
    public struct Changes: Sendable {
        public var storeID: Int64
        public var companyID: Int64
        public var hour: Int64
        public var day: Int64
        public var block: Int64
        /// Nil when the hour's row does not change.
        public var hourTotals: SalesTotals?
        /// By product id, ascending; rows that do not change left out.
        public var products: [(productID: Int64, totals: SalesTotals)]
        /// By seller id, ascending; rows that do not change left out.
        public var vendors: [(vendorID: Int64, totals: SalesTotals)]
    }

    /// Takes `removing` out of the totals and puts `adding` in (a new sale adds, a void removes, an edit does
    /// both: they share a store and instant, so each row gets one net change).
    public func record(removing: Sale? = nil, adding: Sale? = nil, _ db: any SQLDatabase) async throws {
        guard let changes = changes(removing: removing, adding: adding) else { return }
        try await apply(changes, db)
    }

    /// The rows `record` would change, and by how much (nil when neither sale is given).
    public func changes(removing: Sale? = nil, adding: Sale? = nil) -> Changes? {
        guard let sale = adding ?? removing else { return nil }
        var hour = SalesTotals()
        var products: [Int64: SalesTotals] = [:]
        var vendors: [Int64: SalesTotals] = [:]
        for (changed, sign) in [(removing, Int64(-1)), (adding, Int64(1))] {
            guard let changed else { continue }
            hour = hour + SalesTotals(sales: sign, revenueCents: sign * changed.totalCents, taxCents: sign * changed.taxCents)
            vendors[changed.vendorID, default: SalesTotals()] = vendors[changed.vendorID, default: SalesTotals()]
                + SalesTotals(sales: sign, revenueCents: sign * changed.totalCents)
            for line in changed.lines {
                let totals = SalesTotals(units: sign * line.quantity, costCents: sign * line.quantity * line.unitCostCents)
                hour = hour + totals
                products[line.productID, default: SalesTotals()] = products[line.productID, default: SalesTotals()]
                    + SalesTotals(revenueCents: sign * line.lineTotalCents) + totals
            }
        }
        let soldAt = sale.createdAt.unixMilliseconds
        let day = clock.day(at: soldAt)
        return Changes(
            storeID: sale.storeID, companyID: sale.companyID, hour: clock.hour(at: soldAt), day: day, block: day / ReportPeriod.blockDays,
            hourTotals: hour == SalesTotals() ? nil : hour,
            products: Self.summed(products.map { ($0.key, $0.value) }).map { (productID: $0.key, totals: $0.totals) },
            vendors: Self.summed(vendors.map { ($0.key, $0.value) }).map { (vendorID: $0.key, totals: $0.totals) })
    }

    /// Writes `changes`, one statement per table, rows in the lock order.
    public func apply(_ changes: Changes, _ db: any SQLDatabase) async throws {
        if let hour = changes.hourTotals {
            try await db.raw("""
                INSERT INTO sales_hourly (store_id, local_hour, company_id, sales, revenue_cents, tax_cents, units, cost_cents)
                VALUES (\(bind: changes.storeID), \(bind: changes.hour), \(bind: changes.companyID), \(bind: hour.sales),
                        \(bind: hour.revenueCents), \(bind: hour.taxCents), \(bind: hour.units), \(bind: hour.costCents))
                ON CONFLICT (store_id, local_hour) DO UPDATE SET
                    sales = sales_hourly.sales + excluded.sales, revenue_cents = sales_hourly.revenue_cents + excluded.revenue_cents,
                    tax_cents = sales_hourly.tax_cents + excluded.tax_cents, units = sales_hourly.units + excluded.units,
                    cost_cents = sales_hourly.cost_cents + excluded.cost_cents
                """).run()
        }
        // One statement per table for all the sale's products (rows in product order: the lock order above).
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

    /// The changes of many writes (a batch of new sales), one per store and hour: each row's change summed, in the
    /// lock order above.
    public static func merged(_ all: [Changes]) -> [Changes] {
        var merged: [Changes] = []
        for changes in all {
            guard let index = merged.firstIndex(where: {
                ($0.storeID, $0.hour, $0.day, $0.block) == (changes.storeID, changes.hour, changes.day, changes.block)
            }) else {
                merged.append(changes)
                continue
            }
            var into = merged[index]
            let hour = (into.hourTotals ?? SalesTotals()) + (changes.hourTotals ?? SalesTotals())
            into.hourTotals = hour == SalesTotals() ? nil : hour
            into.products = summed(into.products.map { ($0.productID, $0.totals) } + changes.products.map { ($0.productID, $0.totals) })
                .map { (productID: $0.key, totals: $0.totals) }
            into.vendors = summed(into.vendors.map { ($0.vendorID, $0.totals) } + changes.vendors.map { ($0.vendorID, $0.totals) })
                .map { (vendorID: $0.key, totals: $0.totals) }
            merged[index] = into
        }
        return merged.sorted { ($0.storeID, $0.hour) < ($1.storeID, $1.hour) }
    }

    /// Totals by key, summed, keys ascending, rows that come to nothing left out.
    private static func summed(_ rows: [(key: Int64, totals: SalesTotals)]) -> [(key: Int64, totals: SalesTotals)] {
        var sums: [Int64: SalesTotals] = [:]
        for (key, totals) in rows { sums[key, default: SalesTotals()] = sums[key, default: SalesTotals()] + totals }
        return sums.sorted { $0.key < $1.key }.filter { $0.value != SalesTotals() }.map { ($0.key, $0.value) }
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
                if database.engine == .postgres {
                    // No sale may commit between emptying the totals and summing the sales again.
                    try await transaction.db.raw("LOCK TABLE sales, sale_lines IN SHARE MODE").run()
                    try await transaction.db.raw("LOCK TABLE sales_hourly, product_sales_daily, product_sales_blocks, vendor_sales_daily IN EXCLUSIVE MODE").run()
                }
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

    /// Recomputes every table from the completed sales, one grouped statement each. The zone's offset is one SQL
    /// CASE over the offset runs between the first and last sale, so each sale lands in its local hour and day.
    public func rebuild(_ db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM sales_hourly").run()
        try await db.raw("DELETE FROM product_sales_daily").run()
        try await db.raw("DELETE FROM product_sales_blocks").run()
        try await db.raw("DELETE FROM vendor_sales_daily").run()
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
        try await db.raw("""
            INSERT INTO vendor_sales_daily (vendor_id, store_id, local_day, company_id, sales, revenue_cents)
            SELECT s.vendor_id, s.store_id, (\(local)) / \(unsafeRaw: String(LocalClock.millisecondsPerDay)) AS bucket, s.company_id,
                   COUNT(*), SUM(s.total_cents)
            FROM sales s
            WHERE s.status = 'completed'
            GROUP BY s.vendor_id, s.store_id, bucket, s.company_id
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

import Foundation
import Logging
import SQLKit

/// Keeps `sales_hourly`, `product_sales_daily`, `product_sales_blocks` and `vendor_sales_daily` equal to the sum of
/// completed sales less their returns.
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
    /// The tables' SQL.
    let repository: SalesRollupRepository

    public init(clock: LocalClock) {
        self.clock = clock
        repository = SalesRollupRepository(clock: clock)
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
        try await repository.apply(changes, db)
    }

    /// A customer return: takes what came back (`returned`: the sale with the returned units as its lines, what
    /// was refunded as its total and tax) out of its sale's hour, products and seller — in the sale's own hour,
    /// so a report counts a sale net of its returns — while the sale itself still counts as one.
    public func recordReturn(of returned: Sale, _ db: any SQLDatabase) async throws {
        guard var changes = changes(removing: returned) else { return }
        let hour = (changes.hourTotals ?? SalesTotals()) + SalesTotals(sales: 1)
        changes.hourTotals = hour == SalesTotals() ? nil : hour
        changes.vendors = changes.vendors.map { (vendorID: $0.vendorID, totals: $0.totals + SalesTotals(sales: 1)) }
            .filter { $0.totals != SalesTotals() }
        try await repository.apply(changes, db)
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
            vendors[changed.vendorID, default: SalesTotals()] =
                vendors[changed.vendorID, default: SalesTotals()]
                + SalesTotals(sales: sign, revenueCents: sign * changed.totalCents)
            for line in changed.lines {
                let totals = SalesTotals(units: sign * line.quantity, costCents: sign * line.quantity * line.unitCostCents)
                hour = hour + totals
                products[line.productID, default: SalesTotals()] =
                    products[line.productID, default: SalesTotals()]
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

    /// The changes of many writes (a batch of new sales), one per store and hour: each row's change summed, in the
    /// lock order above.
    public static func merged(_ all: [Changes]) -> [Changes] {
        var merged: [Changes] = []
        for changes in all {
            guard
                let index = merged.firstIndex(where: {
                    ($0.storeID, $0.hour, $0.day, $0.block) == (changes.storeID, changes.hour, changes.day, changes.block)
                })
            else {
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
                let current = try await repository.timeZone(transaction.db)
                guard current != zone else { return false }
                // No sale may commit between emptying the totals and summing the sales again.
                if database.engine == .postgres { try await repository.lockForRebuild(transaction.db) }
                logger.notice("Rebuilding sales reports for time zone \(zone) (were \(current ?? "never built"))")
                try await repository.rebuild(transaction.db)
                try await repository.setTimeZone(zone, transaction.db)
                return true
            }
        }
    }
}

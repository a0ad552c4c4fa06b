import Foundation
import SQLKit

/// The write of new sales, any number at once (`SaleBatches`). PostgreSQL (migration 18): the sales' own rows, which
/// no other sale waits for, then in one call the rows every sale of a store or product takes — stock, totals, bill
/// counters. SQLite: ids and bill numbers given first, then the rows of the sales that were made.
extension SaleRepository {
    /// A new sale on its way to the locked part: the sale (id set, lines priced), the rows it changes
    /// (`SalesRollup.changes(adding:)`) and its `sale_created` audit record.
    struct NewSale: Sendable {
        public var sale: Sale
        public let changes: SalesRollup.Changes
        public let audit: AuditEntry
    }

    /// What the locked part did with one sale: each product's stock after it and its minimum (in product order)
    /// and its bill number; or the first product whose stock could not give what was asked, with that stock (the
    /// sale's rows were deleted).
    enum Recorded: Sendable {
        case sold(levels: [(productID: Int64, stockAfter: Int64, minStock: Int64)], billNumber: Int64)
        case short(productID: Int64, available: Int64)
    }

    /// Writes the sales' rows under provisional bill numbers (each id negated: unique, and never a real one) and
    /// sets their ids. Three statements whatever the number of sales.
    func insertProvisional(_ sales: inout [Sale], _ db: any SQLDatabase) async throws {
        guard !sales.isEmpty else { return }
        let ids = try await db.raw(
            """
            SELECT nextval(pg_get_serial_sequence('sales', 'id')) AS id FROM generate_series(1, \(bind: sales.count))
            """
        ).all(decodingColumn: "id", as: Int64.self)
        guard ids.count == sales.count else { throw SaleBatchUnanswered() }
        for index in sales.indices { sales[index].id = ids[index] }
        try await insertNew(
            sales.map {
                var provisional = $0
                provisional.billNumber = -$0.id
                return provisional
            }, db)
    }

    /// New sales and their lines, ids and bill numbers as given.
    func insertNew(_ sales: [Sale], _ db: any SQLDatabase) async throws {
        try await db.insertRows(
            "INSERT INTO sales (id, \(unsafeRaw: Self.saleColumns))",
            sales.map { "(\(bind: $0.id), \(Self.saleValues($0, billNumber: $0.billNumber)))" })
        try await insertLines(sales.map { ($0.id, $0.lines) }, db)
    }

    /// SQLite: the first of the next sale ids. The writer is this transaction's alone, so the ids from it on are
    /// this transaction's to give; AUTOINCREMENT's own counter is asked too, so an id once used is never given again.
    func nextSaleID(_ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw(
            """
            SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'sales'), 0), COALESCE((SELECT MAX(id) FROM sales), 0)) + 1 AS id
            """
        ).first(decodingColumn: "id", as: Int64.self) ?? 1
    }

    /// Takes each sale's units from its products' stock, adds the sales that could be made to the totals and gives
    /// them their bill numbers — one round trip for all of them. The audit values are written with the provisional
    /// bill number first; the function puts the real one in. Answers each sale by id.
    func recordLockedPart(_ batch: [NewSale], now: Date, _ db: any SQLDatabase) async throws -> [Int64: Recorded] {
        var audits: [String] = []
        for entry in batch {
            guard let values = AuditRepository.json(entry.audit.newValues), values.hasPrefix("{\"bill_number\":\(-entry.sale.id),") else {
                throw SaleBatchUnanswered()
            }
            audits.append(values)
        }
        let hours = batch.map { $0.changes.hourTotals ?? SalesTotals() }
        let lines = batch.flatMap(\.changes.products)
        // Each sale's products in `lines`, 1-based and inclusive (PostgreSQL's array slices).
        var first: [Int32] = []
        var last: [Int32] = []
        for entry in batch {
            let end = last.last ?? 0
            first.append(end + 1)
            last.append(end + Int32(entry.changes.products.count))
        }
        let rows = try await db.raw(
            """
            SELECT out_sale, out_product, out_stock, out_minimum, out_bill, out_refused FROM stockroom_record_sales(
                \(bind: now.unixMilliseconds),
                \(bind: batch.map(\.sale.id)), \(bind: batch.map(\.sale.companyID)), \(bind: batch.map(\.sale.storeID)),
                \(bind: batch.map(\.sale.vendorID)), \(bind: batch.map(\.changes.hour)), \(bind: batch.map(\.changes.day)),
                \(bind: batch.map(\.changes.block)),
                \(bind: hours.map(\.revenueCents)), \(bind: hours.map(\.taxCents)), \(bind: hours.map(\.units)), \(bind: hours.map(\.costCents)),
                \(bind: batch.map { $0.audit.username ?? "" }), \(bind: batch.map { $0.audit.ipAddress ?? "" }), \(bind: audits),
                \(bind: first), \(bind: last), \(bind: lines.map(\.productID)), \(bind: lines.map(\.totals.units)),
                \(bind: lines.map(\.totals.revenueCents)), \(bind: lines.map(\.totals.costCents)))
            """
        ).all()
        var levels: [Int64: [(productID: Int64, stockAfter: Int64, minStock: Int64)]] = [:]
        var recorded: [Int64: Recorded] = [:]
        for row in rows {
            let saleID = try row.decode(column: "out_sale", as: Int64.self)
            if try row.decode(column: "out_refused", as: Bool.self) {
                recorded[saleID] = .short(
                    productID: try row.decode(column: "out_product", as: Int64.self),
                    available: try row.decode(column: "out_stock", as: Int64.self))
            } else if let bill = try row.decode(column: "out_bill", as: Int64?.self) {
                recorded[saleID] = .sold(levels: levels[saleID] ?? [], billNumber: bill)
            } else {
                levels[saleID, default: []].append(
                    (
                        try row.decode(column: "out_product", as: Int64.self),
                        try row.decode(column: "out_stock", as: Int64.self),
                        try row.decode(column: "out_minimum", as: Int64.self)
                    ))
            }
        }
        guard recorded.count == batch.count else { throw SaleBatchUnanswered() }
        return recorded
    }
}

/// The locked part could not be asked (audit values without the provisional bill number first) or did not answer
/// every sale: the code and migration 18 disagree.
struct SaleBatchUnanswered: Error, CustomStringConvertible {
    var description: String { "a batch of sales was not answered whole (stockroom_record_sales, a writer or a key look-up answered fewer)" }
}

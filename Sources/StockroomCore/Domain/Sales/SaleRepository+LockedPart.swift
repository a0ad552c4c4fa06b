import Foundation
import SQLKit

/// PostgreSQL's write of a new sale in two halves (migration 17): the sale's own rows, which no other sale waits
/// for, then the rows every sale of the store or product takes — stock, totals, bill counter — in one call.
extension SaleRepository {
    /// What the locked part did: each product's stock after the sale and its minimum, in product order, and the
    /// bill number; or the first product whose stock could not give what was asked (nothing more was written).
    public enum LockedPartResult: Sendable {
        case done(levels: [(productID: Int64, stockAfter: Int64, minStock: Int64)], billNumber: Int64)
        case short(productID: Int64)
    }

    /// The sale's row under a provisional bill number (its id, negated: unique, and never a real one).
    public func insertProvisional(_ sale: Sale, _ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("""
            WITH next AS (SELECT nextval(pg_get_serial_sequence('sales', 'id')) AS id)
            INSERT INTO sales (id, company_id, store_id, vendor_id, bill_number, status, payment_method, customer, subtotal_cents,
                               discount_cents, tax_cents, total_cents, tax_rate_basis_points, prices_include_tax, created_at, updated_at)
            SELECT next.id, \(bind: sale.companyID), \(bind: sale.storeID), \(bind: sale.vendorID), -next.id,
                   \(bind: sale.status.rawValue), \(bind: sale.paymentMethod.rawValue), \(bind: sale.customer), \(bind: sale.subtotalCents),
                   \(bind: sale.discountCents), \(bind: sale.taxCents), \(bind: sale.totalCents), \(bind: sale.tax.rateBasisPoints),
                   \(bind: sale.tax.pricesIncludeTax), \(bind: sale.createdAt.unixMilliseconds), \(bind: sale.updatedAt.unixMilliseconds)
            FROM next
            RETURNING id
            """).first(decodingColumn: "id", as: Int64.self)!
    }

    /// Takes from each product's stock the units the new sale adds to its totals (`changes`, from
    /// `SalesRollup.changes(adding:)`), adds the sale to the totals, then gives it its bill number — one round trip.
    /// `audit` is the sale's `sale_created` record, its values written with the provisional bill number; the
    /// function puts the real one in.
    public func lockedPart(
        saleID: Int64, actorID: Int64, changes: SalesRollup.Changes, audit: AuditEntry, now: Date, _ db: any SQLDatabase
    ) async throws -> LockedPartResult {
        guard let auditValues = AuditRepository.json(audit.newValues), auditValues.hasPrefix("{\"bill_number\":\(-saleID),") else {
            throw LockedPartUnanswered()
        }
        let hour = changes.hourTotals ?? SalesTotals()
        let vendor = changes.vendors.first ?? (vendorID: actorID, totals: SalesTotals())
        let rows = try await db.raw("""
            SELECT changed_product, changed_stock, changed_minimum, bill FROM stockroom_sale_locked_part(
                \(bind: changes.companyID), \(bind: changes.storeID), \(bind: saleID), \(bind: actorID), \(bind: now.unixMilliseconds),
                \(bind: changes.products.map(\.productID)), \(bind: changes.products.map { -$0.totals.units }),
                \(bind: changes.hour), \(bind: [hour.sales, hour.revenueCents, hour.taxCents, hour.units, hour.costCents]),
                \(bind: changes.day), \(bind: changes.block),
                \(bind: changes.products.map(\.totals.units)), \(bind: changes.products.map(\.totals.revenueCents)),
                \(bind: changes.products.map(\.totals.costCents)),
                \(bind: vendor.vendorID), \(bind: [vendor.totals.sales, vendor.totals.revenueCents]),
                \(bind: audit.username), \(bind: audit.ipAddress), \(bind: auditValues))
            """).all()
        var levels: [(productID: Int64, stockAfter: Int64, minStock: Int64)] = []
        for row in rows {
            if let bill = try row.decode(column: "bill", as: Int64?.self) { return .done(levels: levels, billNumber: bill) }
            let productID = try row.decode(column: "changed_product", as: Int64.self)
            guard let after = try row.decode(column: "changed_stock", as: Int64?.self) else { return .short(productID: productID) }
            levels.append((productID, after, try row.decode(column: "changed_minimum", as: Int64.self)))
        }
        throw LockedPartUnanswered()
    }
}

/// The locked part could not be asked (audit values without the provisional bill number first) or answered neither
/// a bill number nor a refusal: the code and migration 17 disagree.
struct LockedPartUnanswered: Error, CustomStringConvertible {
    var description: String { "stockroom_sale_locked_part could not record the sale" }
}

import Foundation
import SQLKit

extension SaleService {
    /// A new sale on PostgreSQL: its own rows first (no other sale waits for them), then the rows a store's sales
    /// queue on — stock, totals, bill number — in one round trip (`SaleRepository.lockedPart`, migration 17), so
    /// the queue moves at one statement and a COMMIT per sale, not nine statements. The same writes as SQLite's
    /// path, which runs them as separate statements on its one writer. Sets the sale's id and bill number.
    func recordInLockedPart(_ sale: inout Sale, caller: Caller, _ transaction: Transaction) async throws {
        let db = transaction.db
        sale.id = try await sales.insertProvisional(sale, db)
        try await sales.insertLines(saleID: sale.id, sale.lines, db)
        guard let changes = rollup.changes(adding: sale) else { throw AppError.invalidField("items", "A sale needs at least one item") }
        var provisional = sale
        provisional.billNumber = -sale.id
        let entry = caller.auditEntry("sale_created", entityType: "sale", entityID: sale.id, new: provisional.auditValues)
        let now = Date.now
        switch try await sales.lockedPart(saleID: sale.id, actorID: sale.vendorID, changes: changes, audit: entry, now: now, db) {
        case .short(let productID):
            let requested = changes.products.first { $0.productID == productID }?.totals.units ?? 0
            let available = try await inventoryService.inventory.level(storeID: sale.storeID, productID: productID, db)?.inStock ?? 0
            throw InsufficientStock(productID: productID, storeID: sale.storeID, requested: requested, available: available)
        case .done(let levels, let billNumber):
            sale.billNumber = billNumber
            inventoryService.announce(levels.map { level in
                let movement = StockMovement(
                    id: 0, companyID: sale.companyID, storeID: sale.storeID, productID: level.productID, kind: .sale,
                    delta: -(changes.products.first { $0.productID == level.productID }?.totals.units ?? 0), stockAfter: level.stockAfter,
                    actorID: sale.vendorID, reference: "sale:\(sale.id)", reason: nil, createdAt: now)
                return (movement, level.minStock)
            }, transaction)
        }
    }
}

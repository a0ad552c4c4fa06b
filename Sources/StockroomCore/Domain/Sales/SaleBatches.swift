import Foundation
import NIOConcurrencyHelpers

/// PostgreSQL: new sales that arrive while other sales are being written wait, and are then written together — one
/// transaction, three statements for their own rows, one call for the rows every sale of a store takes (stock,
/// totals, bill counter: migration 18) and one COMMIT. One sale per transaction holds a store's shared rows from
/// its first lock to its COMMIT, so a store could sell no faster than one COMMIT after another; a batch shares
/// them once. The batch is whoever is waiting (at most `maxSales` sales and `maxLines` products): a sale alone is
/// written at once, with no timer and no added wait when the shop is quiet. SQLite has its own group commit
/// (`GroupCommit`): its one writer runs each sale's statements with no round trips.
///
/// A sale that some stock cannot give is refused alone (the function deletes its rows and carries on). If the batch
/// fails before its COMMIT is sent (a deadlock, a row gone, any error) or the database refuses the COMMIT, the whole
/// batch is rolled back: each of its sales is written again alone, so only the one at fault fails. A connection
/// lost at the COMMIT fails every sale of the batch — whether the COMMIT happened cannot be known, and a second
/// attempt could sell twice.
final class SaleBatches: Sendable {
    static let maxSales = 64
    static let maxLines = 2_000
    /// Batches in flight at once: while one waits for its COMMIT, the next writes its own rows and waits for the
    /// shared ones (taken in the same order, so the two cannot deadlock). One in flight measured about the same
    /// (BENCHMARKS.md, seventh sitting: within the runs' spread).
    static let writers = 2

    /// A sale priced and checked, waiting to be written, and who sells it.
    struct Order: Sendable {
        var sale: Sale
        /// The store's name, for the sale's notification.
        let store: String
        let caller: Caller
    }

    private struct Waiting {
        let order: Order
        let continuation: CheckedContinuation<Result<Sale, InsufficientStock>, any Error>
    }

    private struct State {
        var writers = 0
        var waiting: [Waiting] = []
        var sales = 0
        var batches = 0
    }

    private let state = NIOLockedValueBox(State())
    let database: any DatabaseClient
    let inventoryService: InventoryService
    let events: EventHub
    let rollup: SalesRollup
    let repository = SaleRepository()

    init(database: any DatabaseClient, inventoryService: InventoryService, events: EventHub, rollup: SalesRollup) {
        self.database = database
        self.inventoryService = inventoryService
        self.events = events
        self.rollup = rollup
    }

    /// Sales written and batches committed so far: their ratio is the mean batch size.
    var counts: (sales: Int, batches: Int) {
        state.withLockedValue { ($0.sales, $0.batches) }
    }

    /// Writes `order` with the sales waiting beside it; answers once their COMMIT has returned (or the sale was
    /// refused for want of stock).
    func record(_ order: Order) async throws -> Result<Sale, InsufficientStock> {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLockedValue { state in
                state.waiting.append(Waiting(order: order, continuation: continuation))
                guard state.writers < Self.writers else { return false }
                state.writers += 1
                return true
            }
            if start { Task { await self.writeWhileWaiting() } }
        }
    }

    private func writeWhileWaiting() async {
        while let batch = nextBatch() {
            await write(batch)
        }
    }

    private func nextBatch() -> [Waiting]? {
        state.withLockedValue { state in
            guard !state.waiting.isEmpty else {
                state.writers -= 1
                return nil
            }
            var count = 0
            var lines = 0
            for waiting in state.waiting {
                let products = waiting.order.sale.lines.count
                if count > 0 && (count == Self.maxSales || lines + products > Self.maxLines) { break }
                count += 1
                lines += products
            }
            defer { state.waiting.removeFirst(count) }
            state.sales += count
            state.batches += 1
            return Array(state.waiting.prefix(count))
        }
    }

    private func write(_ batch: [Waiting]) async {
        let beforeCommit = NIOLockedValueBox(false)
        do {
            let answers = try await database.withTransaction { transaction in
                do {
                    return try await self.write(batch.map(\.order), transaction)
                } catch {
                    beforeCommit.withLockedValue { $0 = true }
                    throw error
                }
            }
            for (waiting, answer) in zip(batch, answers) { waiting.continuation.resume(returning: answer) }
        } catch where batch.count > 1 && (beforeCommit.withLockedValue { $0 } || StatementRefused.matches(error)) {
            // Rolled back for certain (an error before the COMMIT was sent, or one the database answered to it).
            for waiting in batch { await write([waiting]) }
        } catch {
            for waiting in batch { waiting.continuation.resume(throwing: error) }
        }
    }

    /// Writes `orders` in `transaction`, each answered in order: the sale with its id and bill number, or the
    /// shortage that refused it; and each sale's "Sale registered" for its seller. Queues each sale's events for
    /// after the commit. (A sale inside a transaction of its own — an idempotent request's — comes here directly, as
    /// a batch of one.)
    func write(_ orders: [Order], _ transaction: Transaction) async throws -> [Result<Sale, InsufficientStock>] {
        var sales = orders.map(\.sale)
        try await repository.insertProvisional(&sales, transaction.db)
        var batch: [SaleRepository.NewSale] = []
        for (sale, order) in zip(sales, orders) {
            guard let changes = rollup.changes(adding: sale) else { throw AppError.invalidField("items", "A sale needs at least one item") }
            var provisional = sale
            provisional.billNumber = -sale.id
            batch.append(.init(sale: sale, changes: changes,
                               audit: order.caller.auditEntry("sale_created", entityType: "sale", entityID: sale.id, new: provisional.auditValues)))
        }
        let now = Date.now
        let recorded = try await repository.recordLockedPart(batch, now: now, transaction.db)
        var answers: [Result<Sale, InsufficientStock>] = []
        var registered: [NewNotification] = []
        for (entry, order) in zip(batch, orders) {
            var sale = entry.sale
            let units = { (productID: Int64) in entry.changes.products.first { $0.productID == productID }?.totals.units ?? 0 }
            switch recorded[sale.id] {
            case nil:
                throw SaleBatchUnanswered()
            case .short(let productID, let available):
                answers.append(.failure(InsufficientStock(productID: productID, storeID: sale.storeID, requested: units(productID), available: available)))
            case .sold(let levels, let billNumber):
                sale.billNumber = billNumber
                inventoryService.announce(levels.map { level in
                    let movement = StockMovement(
                        id: 0, companyID: sale.companyID, storeID: sale.storeID, productID: level.productID, kind: .sale,
                        delta: -units(level.productID), stockAfter: level.stockAfter, actorID: sale.vendorID, reference: "sale:\(sale.id)",
                        reason: nil, createdAt: now)
                    return (movement, level.minStock)
                }, transaction)
                let events = self.events
                let (companyID, storeID, saleID, actorID) = (sale.companyID, sale.storeID, sale.id, sale.vendorID)
                transaction.afterCommit { events.publish(.saleCompleted(companyID: companyID, storeID: storeID, saleID: saleID, actorID: actorID)) }
                registered.append(.saleRegistered(sale, store: order.store))
                answers.append(.success(sale))
            }
        }
        try await NotificationService.write(registered, in: transaction, events: events)
        return answers
    }
}

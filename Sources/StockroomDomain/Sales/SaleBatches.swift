import Foundation
import NIOConcurrencyHelpers

/// New sales that arrive while other sales are being written wait, and are then written together: one transaction,
/// a few statements for the whole batch, one COMMIT. The batch is whoever is waiting (at most `maxSales` sales and
/// `maxLines` products): a sale alone is written at once, with no timer and no added wait when the shop is quiet.
///
/// - PostgreSQL: three statements for the sales' own rows, then one call for the rows every sale of a store takes
///   (stock, totals, bill counter: migration 18). One sale per transaction holds a store's shared rows from its
///   first lock to its COMMIT, so a store could sell no faster than one COMMIT after another; a batch shares them
///   once. A sale that some stock cannot give is refused alone (the function deletes its rows and carries on).
/// - SQLite: the batch is one write of the writer's group commit (`GroupCommit`), and the writer is its alone, so
///   each sale is decided against the stock before anything is written (`StockLedger.takeInTurn`); only the
///   sales made are written — their rows, ledger rows, totals, audit records and notifications a few statements for
///   the whole batch, not a dozen a sale, and one turn of the writer, not one a sale.
///
/// If the batch fails before its COMMIT is sent (a deadlock, a row gone, any error) or PostgreSQL refuses the
/// COMMIT, the whole batch is rolled back: each of its sales is written again alone, so only the one at fault fails.
/// A connection lost at the COMMIT fails every sale of the batch — whether the COMMIT happened cannot be known, and
/// a second attempt could sell twice. On SQLite a failed group COMMIT answers every write of the group with its
/// error (`GroupCommit`), a batch included.
///
/// A sale sent with an `Idempotency-Key` (`KeyedSale`) is batched like any other: the batch checks its key first
/// (a retry that came while the first was being written is given the kept answer, not written again) and keeps the
/// key with the sale's answer — 201 or the refusal — in the same transaction as the sale.
public final class SaleBatches: Sendable {
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
        /// The request's Idempotency-Key, kept with the answer by the sale's batch.
        var keyed: KeyedSale? = nil
    }

    /// What became of an order.
    public enum Answer: Sendable {
        /// Made, with the answer kept with its key (keyed orders).
        case sold(Sale, kept: StoredAnswer?)
        /// Refused: some stock could not give what it asked (the refusal kept with its key, if any).
        case short(InsufficientStock)
        /// Not written: its key's answer, kept by the request that was first with the key.
        case replayed(StoredAnswer)
        /// Not written, and nothing kept: the key is being run on another node, or came with another request.
        case keyRefused(ShopError)
    }

    private struct Waiting {
        let order: Order
        let continuation: CheckedContinuation<Answer, any Error>
    }

    private struct State {
        var writers = 0
        var waiting: [Waiting] = []
        var sales = 0
        var batches = 0
    }

    private let state = NIOLockedValueBox(State())
    let database: any DatabaseClient
    let stockLedger: StockLedger
    let events: EventHub
    let rollup: SalesRollup
    let repository = SaleRepository()
    let keys = IdempotencyRepository()

    init(database: any DatabaseClient, stockLedger: StockLedger, events: EventHub, rollup: SalesRollup) {
        self.database = database
        self.stockLedger = stockLedger
        self.events = events
        self.rollup = rollup
    }

    /// Orders taken into batches (a keyed one answered by its key included) and batches so far: their ratio is the
    /// mean batch size.
    var counts: (sales: Int, batches: Int) {
        state.withLockedValue { ($0.sales, $0.batches) }
    }

    /// Writes `order` with the sales waiting beside it; answers once their COMMIT has returned (or the sale was
    /// refused for want of stock).
    func record(_ order: Order) async throws -> Answer {
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
        } catch  where batch.count > 1 && (beforeCommit.withLockedValue { $0 } || StatementRefused.matches(error)) {
            // Rolled back for certain (an error before the COMMIT was sent, or one the database answered to it).
            for waiting in batch { await write([waiting]) }
        } catch {
            for waiting in batch { waiting.continuation.resume(throwing: error) }
        }
    }

    /// Writes `orders` in `transaction`, each answered in order: the sale with its id and bill number, or the
    /// shortage that refused it (or, keyed, its key's earlier answer); and each sale's "Sale registered" for its
    /// seller, and each keyed order's answer with its key. Queues each sale's events for after the commit. (A sale
    /// inside a transaction already comes here directly, as a batch of one.)
    func write(_ orders: [Order], _ transaction: Transaction) async throws -> [Answer] {
        var answers = try await answersOfKeys(orders, transaction)
        let open = orders.indices.filter { answers[$0] == nil }
        let written =
            open.isEmpty
            ? []
            : transaction.engine == .postgres
                ? try await writeThroughLockedPart(open.map { orders[$0] }, transaction)
                : try await writeDecidedFirst(open.map { orders[$0] }, transaction)
        guard written.count == open.count else { throw SaleBatchUnanswered() }
        var registered: [NewNotification] = []
        var kept: [(IdempotencyClaim, StoredAnswer)] = []
        for (index, result) in zip(open, written) {
            let order = orders[index]
            switch result {
            case .failure(let shortage):
                if let keyed = order.keyed { kept.append((keyed.claim, try keyed.refusal(shortage))) }
                answers[index] = .short(shortage)
            case .success(let sale):
                let answer = try order.keyed.map { try $0.answer(sale) }
                if let keyed = order.keyed, let answer { kept.append((keyed.claim, answer)) }
                answers[index] = .sold(sale, kept: answer)
                let events = self.events
                let (companyID, storeID, saleID, actorID) = (sale.companyID, sale.storeID, sale.id, sale.vendorID)
                transaction.afterCommit { events.publish(.saleCompleted(companyID: companyID, storeID: storeID, saleID: saleID, actorID: actorID)) }
                registered.append(.saleRegistered(sale, store: order.store))
            }
        }
        try await keys.store(kept, transaction.db)
        try await NotificationService.write(registered, in: transaction, events: events)
        return try answers.map { answer in
            guard let answer else { throw SaleBatchUnanswered() }
            return answer
        }
    }

    /// The keyed orders answered without being written: a retry whose key has an answer already (its first request
    /// was written while this one waited), a key another node is running now (PostgreSQL: its advisory lock, held
    /// by this transaction from here to its end for the keys it writes), a key sent with another request. Two
    /// statements on PostgreSQL, one a key on SQLite (the writer's own thread).
    ///
    /// So other nodes see a new sale's key from the start of its batch, not from its arrival: a retry that reaches
    /// another node while the first waits to be batched is priced there too, and whichever batch locks the key first
    /// writes the sale — the other request is answered with that answer (replayed) or 409, never a second sale. If a
    /// connection is lost mid-batch, its keys stay locked until PostgreSQL notices (seconds): their sales, written
    /// again alone, answer 409 `idempotency_in_progress` meanwhile, and a retry then does the work.
    private func answersOfKeys(_ orders: [Order], _ transaction: Transaction) async throws -> [Answer?] {
        var answers = [Answer?](repeating: nil, count: orders.count)
        let keyed = orders.indices.filter { orders[$0].keyed != nil }
        guard !keyed.isEmpty else { return answers }
        let claims = keyed.map { orders[$0].keyed!.claim }
        let locked = transaction.engine == .postgres ? try await keys.tryLock(claims, transaction.db) : claims.map { _ in true }
        let found = try await keys.stored(claims, transaction.db)
        guard locked.count == claims.count, found.count == claims.count else { throw SaleBatchUnanswered() }
        for (position, index) in keyed.enumerated() {
            guard locked[position] else {
                answers[index] = .keyRefused(IdempotencyRepository.stillRunning)
                continue
            }
            switch found[position] {
            case nil: continue
            case .answer(let kept): answers[index] = .replayed(kept)
            case .otherRequest: answers[index] = .keyRefused(IdempotencyRepository.reused)
            case .unanswered: answers[index] = .keyRefused(IdempotencyRepository.stillRunning)
            }
        }
        return answers
    }

    /// PostgreSQL: the sales' rows under provisional bill numbers, then migration 18's call.
    private func writeThroughLockedPart(_ orders: [Order], _ transaction: Transaction) async throws -> [Result<Sale, InsufficientStock>] {
        var sales = orders.map(\.sale)
        try await repository.insertProvisional(&sales, transaction.db)
        var batch: [SaleRepository.NewSale] = []
        for (sale, order) in zip(sales, orders) {
            var provisional = sale
            provisional.billNumber = -sale.id
            batch.append(
                .init(
                    sale: sale, changes: try Self.changes(adding: sale, rollup),
                    audit: order.caller.auditEntry("sale_created", entityType: "sale", entityID: sale.id, new: provisional.auditValues)))
        }
        let now = Date.now
        let recorded = try await repository.recordLockedPart(batch, now: now, transaction.db)
        var answers: [Result<Sale, InsufficientStock>] = []
        for entry in batch {
            var sale = entry.sale
            let units = { (productID: Int64) in entry.changes.products.first { $0.productID == productID }?.totals.units ?? 0 }
            switch recorded[sale.id] {
            case nil:
                throw SaleBatchUnanswered()
            case .short(let productID, let available):
                answers.append(
                    .failure(InsufficientStock(productID: productID, storeID: sale.storeID, requested: units(productID), available: available)))
            case .sold(let levels, let billNumber):
                sale.billNumber = billNumber
                stockLedger.announce(
                    levels.map { level in
                        let movement = StockMovement(
                            id: 0, companyID: sale.companyID, storeID: sale.storeID, productID: level.productID, kind: .sale,
                            delta: -units(level.productID), stockAfter: level.stockAfter, actorID: sale.vendorID, reference: "sale:\(sale.id)",
                            reason: nil, createdAt: now)
                        return (movement, level.minStock)
                    }, transaction)
                answers.append(.success(sale))
            }
        }
        return answers
    }

    /// SQLite: the stock decides each sale first (ids given in order; a refused sale's id is left unused), then the
    /// sales made get their bill numbers, gap-free in batch order, and are written.
    private func writeDecidedFirst(_ orders: [Order], _ transaction: Transaction) async throws -> [Result<Sale, InsufficientStock>] {
        let db = transaction.db
        var sales = orders.map(\.sale)
        let firstID = try await repository.nextSaleID(db)
        for index in sales.indices { sales[index].id = firstID + Int64(index) }
        let changes = try sales.map { try Self.changes(adding: $0, rollup) }
        let taken = try await stockLedger.takeInTurn(
            zip(sales, changes).map { sale, changes in
                changes.products.map { product in
                    .init(
                        companyID: sale.companyID, storeID: sale.storeID, productID: product.productID, delta: -product.totals.units,
                        kind: .sale, actorID: sale.vendorID, reference: "sale:\(sale.id)")
                }
            }, transaction)
        var made: [Int] = []
        var answers: [Result<Sale, InsufficientStock>] = []
        for (index, result) in taken.enumerated() {
            switch result {
            case .failure(let short): answers.append(.failure(short))
            case .success:
                made.append(index)
                answers.append(.success(sales[index]))
            }
        }
        var billNumbers: [Int64: Int64] = [:]
        for (storeID, count) in Dictionary(grouping: made, by: { sales[$0].storeID }).mapValues(\.count).sorted(by: { $0.key < $1.key }) {
            billNumbers[storeID] = try await repository.takeBillNumbers(storeID: storeID, count: Int64(count), db) - Int64(count)
        }
        for index in made {
            let storeID = sales[index].storeID
            billNumbers[storeID, default: 0] += 1
            sales[index].billNumber = billNumbers[storeID, default: 0]
            answers[index] = .success(sales[index])
        }
        try await repository.insertNew(made.map { sales[$0] }, db)
        for merged in SalesRollup.merged(made.map { changes[$0] }) { try await rollup.repository.apply(merged, db) }
        try await AuditRepository().record(
            made.map { index in
                orders[index].caller.auditEntry("sale_created", entityType: "sale", entityID: sales[index].id, new: sales[index].auditValues)
            }, db)
        return answers
    }

    private static func changes(adding sale: Sale, _ rollup: SalesRollup) throws -> SalesRollup.Changes {
        guard let changes = rollup.changes(adding: sale) else { throw ShopError.invalidField("lines", "A sale needs at least one item") }
        return changes
    }
}

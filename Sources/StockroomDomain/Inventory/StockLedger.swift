import Foundation

/// The only code that changes stock: the ledger's primitive, which the services call inside their transactions
/// (it checks no permission; `StockService` is what a caller asks). Inside the caller's transaction it applies a guarded update (stock can never
/// go below zero, whatever runs concurrently), writes the ledger row and queues the event for after commit.
/// Sales, transfers, adjustments, imports and new products all come through here — new sales a batch at a time
/// (`takeInTurn`) — except a new sale on PostgreSQL, whose guarded updates and ledger rows are written by its batch's
/// call (`SaleBatches`, migration 18: the levels locked, checked and updated under the same guard, with the totals,
/// in one round trip) and announced here.
public struct StockLedger: Sendable {
    let events: EventHub
    let inventory = InventoryRepository()

    public init(events: EventHub) {
        self.events = events
    }

    /// One change of one store's stock of one product.
    public struct Change: Sendable {
        public var companyID: Int64
        public var storeID: Int64
        public var productID: Int64
        public var delta: Int64
        public var kind: MovementKind
        public var actorID: Int64?
        public var reference: String?
        public var reason: String?

        public init(
            companyID: Int64, storeID: Int64, productID: Int64, delta: Int64, kind: MovementKind,
            actorID: Int64?, reference: String? = nil, reason: String? = nil
        ) {
            self.companyID = companyID
            self.storeID = storeID
            self.productID = productID
            self.delta = delta
            self.kind = kind
            self.actorID = actorID
            self.reference = reference
            self.reason = reason
        }
    }

    /// Applies `change`; throws `InsufficientStock` when it would take the stock below zero. A store without a
    /// level for the product gets one (from zero). The caller has checked that product and store are the company's.
    @discardableResult
    public func apply(_ change: Change, _ transaction: Transaction) async throws -> StockMovement {
        let (movement, minStock) = try await changeLevel(change, transaction)
        var recorded = movement
        recorded.id = try await inventory.insertMovement(movement, transaction.db)
        announce(recorded, minStock: minStock, transaction)
        return recorded
    }

    /// Applies several changes in one transaction, always locking levels in (store, product) order so that two
    /// transactions touching the same levels can never deadlock on PostgreSQL. Their ledger rows go in together,
    /// in one statement.
    func applyAll(_ changes: [Change], _ transaction: Transaction) async throws {
        var changed: [(movement: StockMovement, minStock: Int64)] = []
        for change in changes.sorted(by: { ($0.storeID, $0.productID) < ($1.storeID, $1.productID) }) {
            changed.append(try await changeLevel(change, transaction))
        }
        try await inventory.insertMovements(changed.map(\.movement), transaction.db)
        for (movement, minStock) in changed { announce(movement, minStock: minStock, transaction) }
    }

    /// The guarded update of one level, and the ledger row it calls for (not yet written, so without its id).
    private func changeLevel(_ change: Change, _ transaction: Transaction) async throws -> (movement: StockMovement, minStock: Int64) {
        let db = transaction.db
        var level = try await inventory.addGuarded(storeID: change.storeID, productID: change.productID, delta: change.delta, db)
        if level == nil {
            // A store that never had the product starts from zero. Tried again even when another transaction created
            // the level first (on PostgreSQL this one waited for it), so the guard decides, not the race.
            _ = try await inventory.insertLevelIfMissing(storeID: change.storeID, productID: change.productID, db)
            level = try await inventory.addGuarded(storeID: change.storeID, productID: change.productID, delta: change.delta, db)
        }
        guard let (stockAfter, minStock) = level else {
            let available = try await inventory.lockedLevel(storeID: change.storeID, productID: change.productID, transaction)?.inStock ?? 0
            throw InsufficientStock(productID: change.productID, storeID: change.storeID, requested: -change.delta, available: available)
        }
        let movement = StockMovement(
            id: 0, companyID: change.companyID, storeID: change.storeID, productID: change.productID, kind: change.kind,
            delta: change.delta, stockAfter: stockAfter, actorID: change.actorID, reference: change.reference, reason: change.reason,
            createdAt: .now)
        return (movement, minStock)
    }

    /// Queues the events of changes written elsewhere under the same guard (new sales' batches on PostgreSQL).
    func announce(_ changed: [(movement: StockMovement, minStock: Int64)], _ transaction: Transaction) {
        for (movement, minStock) in changed { announce(movement, minStock: minStock, transaction) }
    }

    /// Queues the stock event of a recorded change for after commit. A shelf opened below its minimum starts a dip
    /// (StockManager's flag starts unset, so such a product is reported at the first check).
    private func announce(_ movement: StockMovement, minStock: Int64, _ transaction: Transaction) {
        let before = movement.stockAfter - movement.delta
        let event = DomainEvent.StockChange(
            companyID: movement.companyID, storeID: movement.storeID, productID: movement.productID, kind: movement.kind,
            stockAfter: movement.stockAfter, minStock: minStock,
            crossedBelowMinimum: (movement.kind == .opening || before >= minStock) && movement.stockAfter < minStock, actorID: movement.actorID)
        let events = self.events
        transaction.afterCommit { events.publish(.stockChanged(event)) }
    }

    /// Sets the stock to `target` through an adjustment movement (nothing is written when it is already there).
    @discardableResult
    public func setStock(
        companyID: Int64, storeID: Int64, productID: Int64, to target: Int64, actorID: Int64?, kind: MovementKind = .adjustment,
        reason: String?, _ transaction: Transaction
    ) async throws -> StockMovement? {
        let current = try await inventory.lockedLevel(storeID: storeID, productID: productID, transaction)?.inStock ?? 0
        guard target != current else { return nil }
        return try await apply(
            Change(
                companyID: companyID, storeID: storeID, productID: productID, delta: target - current, kind: kind,
                actorID: actorID, reason: reason), transaction)
    }
}

extension StockLedger {
    /// Several requests' changes (a batch of new sales: each sale's products), each all or nothing, decided in order
    /// against the stock as the requests before it left it: a request that some stock cannot give is refused alone
    /// and nothing of it is written. The levels are read once, locked (PostgreSQL's `FOR UPDATE`; on SQLite the
    /// writer is this transaction's alone), so they cannot change between the decision and the write; then each
    /// level changed gets one guarded update by its net change, and the ledger rows of every request made go in
    /// together. The guard still decides: an update it refuses (which the lock makes impossible) throws, and the
    /// caller's transaction is undone.
    func takeInTurn(
        _ requests: [[Change]], _ transaction: Transaction
    ) async throws -> [Result<[(movement: StockMovement, minStock: Int64)], InsufficientStock>] {
        struct Key: Hashable, Comparable {
            let storeID: Int64
            let productID: Int64
            static func < (a: Key, b: Key) -> Bool { (a.storeID, a.productID) < (b.storeID, b.productID) }
        }
        var levels: [Key: (stock: Int64, minStock: Int64, exists: Bool)] = [:]
        // Read in (store, product) order, the lock order `applyAll` keeps.
        for key in Set(requests.joined().map { Key(storeID: $0.storeID, productID: $0.productID) }).sorted() {
            let level = try await inventory.lockedLevel(storeID: key.storeID, productID: key.productID, transaction)
            levels[key] = (level?.inStock ?? 0, level?.minStock ?? 0, level != nil)
        }
        let before = levels
        var answers: [Result<[(movement: StockMovement, minStock: Int64)], InsufficientStock>] = []
        var made: [(movement: StockMovement, minStock: Int64)] = []
        for request in requests {
            var trial = levels
            var changed: [(movement: StockMovement, minStock: Int64)] = []
            var short: InsufficientStock?
            for change in request.sorted(by: { ($0.storeID, $0.productID) < ($1.storeID, $1.productID) }) {
                let key = Key(storeID: change.storeID, productID: change.productID)
                var level = trial[key] ?? (0, 0, false)
                guard level.stock + change.delta >= 0 else {
                    short = InsufficientStock(productID: change.productID, storeID: change.storeID, requested: -change.delta, available: level.stock)
                    break
                }
                level.stock += change.delta
                trial[key] = level
                changed.append(
                    (
                        StockMovement(
                            id: 0, companyID: change.companyID, storeID: change.storeID, productID: change.productID, kind: change.kind,
                            delta: change.delta, stockAfter: level.stock, actorID: change.actorID, reference: change.reference,
                            reason: change.reason, createdAt: .now), level.minStock
                    ))
            }
            if let short {
                answers.append(.failure(short))
            } else {
                levels = trial
                made += changed
                answers.append(.success(changed))
            }
        }
        for key in levels.keys.sorted() {
            guard let level = levels[key], let was = before[key], level.stock != was.stock else { continue }
            if !was.exists { _ = try await inventory.insertLevelIfMissing(storeID: key.storeID, productID: key.productID, transaction.db) }
            let written = try await inventory.addGuarded(
                storeID: key.storeID, productID: key.productID, delta: level.stock - was.stock, transaction.db)
            guard written?.stockAfter == level.stock else {
                throw InsufficientStock(
                    productID: key.productID, storeID: key.storeID, requested: was.stock - level.stock, available: written?.stockAfter ?? 0)
            }
        }
        try await inventory.insertMovements(made.map(\.movement), transaction.db)
        announce(made, transaction)
        return answers
    }
}

import Foundation

/// What a caller may ask of the stock: store inventory as Credith serves it, adjustments and transfers, and the
/// ledger's history — each checked against the caller's permission, each change written through `StockLedger`.
public struct StockService: Sendable {
    let database: any DatabaseClient
    let stockLedger: StockLedger
    let inventory = InventoryRepository()
    let catalog = CatalogRepository()
    let identity = IdentityRepository()
    let audit = AuditRepository()

    public init(database: any DatabaseClient, stockLedger: StockLedger) {
        self.database = database
        self.stockLedger = stockLedger
    }

    /// Every store's levels (owners), or one store's (404 when it is not the company's).
    public func records(_ caller: Caller, storeID: Int64?, window: OffsetRequest) async throws -> (records: [InventoryRecord], total: Int) {
        if storeID == nil { try caller.require(.viewAllInventory) }
        if let storeID {
            _ = try caller.storeScope(requested: storeID)
            guard try await database.read({ try await identity.store(id: storeID, companyID: caller.companyID, $0) }) != nil else {
                throw ShopError.notFound("Store")
            }
        }
        return try await database.read {
            try await inventory.records(companyID: caller.companyID, storeID: storeID, limit: window.limit, offset: window.offset, $0)
        }
    }

    /// One level; 404 when the product was never registered in that store (or either is not the company's).
    public func record(_ caller: Caller, storeID: Int64, productID: Int64) async throws -> StockLevel {
        _ = try caller.storeScope(requested: storeID)
        let level = try await database.read { db -> StockLevel? in
            guard try await identity.store(id: storeID, companyID: caller.companyID, db) != nil,
                try await catalog.storeProduct(id: productID, companyID: caller.companyID, storeID: storeID, db) != nil
            else { return nil }
            return try await inventory.level(storeID: storeID, productID: productID, db)
        }
        guard let level else { throw ShopError.notFound("Inventory record") }
        return level
    }

    /// Levels at or below `threshold`: admins their store, owners every store of the company.
    public func lowStock(_ caller: Caller, threshold: Int64) async throws -> [InventoryRecord] {
        try caller.require(.viewLowStock)
        let storeID = try caller.storeScope(requested: nil)
        return try await database.read {
            try await inventory.records(companyID: caller.companyID, storeID: storeID, atOrBelow: threshold, limit: 10_000, offset: 0, $0)
        }.records
    }

    /// Sets a store's stock (not additive) through an adjustment movement. With `expected`, only if the stock is
    /// still that (read under the level's lock, so no sale can slip in between): otherwise nothing changes and the
    /// refusal carries the stock as it is.
    public func setStock(
        _ caller: Caller, storeID: Int64, productID: Int64, to stock: Int64, expecting expected: Int64? = nil, reason: String?
    ) async throws -> StockLevel {
        try caller.require(.manageCatalog)
        _ = try caller.storeScope(requested: storeID)
        guard CatalogLimits.quantity.contains(stock) else { throw ShopError.invalidField("stock", "stock must be a whole number from 0 to 1000000") }
        if let expected, expected < 0 { throw ShopError.invalidField("expectedStock", "expectedStock must be a whole number from 0") }
        try Validation.checkText(reason, field: "reason", length: 0...200)
        return try await database.withTransaction { transaction in
            let db = transaction.db
            try await requireProductAndOpenStore(caller, productID: productID, storeID: storeID, transaction)
            _ = try await inventory.insertLevelIfMissing(storeID: storeID, productID: productID, db)
            if let expected {
                let current = try await inventory.lockedLevel(storeID: storeID, productID: productID, transaction)?.inStock ?? 0
                guard current == expected else {
                    throw ShopError.conflict(
                        "The stock is \(current), not the \(expected) expected: it changed meanwhile", code: "stock_changed",
                        facts: ["product_id": .int(productID), "store_id": .int(storeID), "expected": .int(expected), "current": .int(current)])
                }
            }
            let movement = try await stockLedger.setStock(
                companyID: caller.companyID, storeID: storeID, productID: productID, to: stock, actorID: caller.userID,
                reason: reason ?? "Stock set", transaction)
            if let movement {
                try await audit.record(
                    caller.auditEntry(
                        "stock_set", entityType: "product", entityID: productID,
                        old: ["store_id": .int(storeID), "stock": .int(movement.stockAfter - movement.delta)],
                        new: ["store_id": .int(storeID), "stock": .int(movement.stockAfter)]), db)
            }
            return try await inventory.level(storeID: storeID, productID: productID, db)!
        }
    }

    /// Moves stock between two open stores of the caller's company in one transaction: both levels, both ledger
    /// rows, or nothing — a transfer dispatched and received at once (`TransferService`). Owners transfer anywhere;
    /// admins only out of their own store.
    public func transfer(_ caller: Caller, productID: Int64, from source: Int64, to destination: Int64, quantity: Int64) async throws -> String {
        try caller.require(.transferStock)
        guard source != destination else {
            throw ShopError.badRequest("A transfer goes from one store to another", code: "same_store", field: "toStore")
        }
        guard (1...CatalogLimits.quantity.upperBound).contains(quantity) else {
            throw ShopError.invalidField("quantity", "quantity must be a whole number from 1 to 1000000")
        }
        let transfers = TransferService(database: database, stockLedger: stockLedger, events: stockLedger.events)
        if caller.role != .owner, source != caller.storeID {
            throw ShopError.forbidden("Admins transfer only out of their own store")
        }
        return try await database.withTransaction { transaction in
            // Checked before anything is locked: a caller names stores and a product, and only their own company's
            // rows may be held waiting.
            try await requireProductAndOpenStore(caller, productID: productID, storeID: source, field: "fromStore", transaction)
            try await requireProductAndOpenStore(caller, productID: productID, storeID: destination, field: "toStore", transaction)
            // Both levels locked first, in (store, product) order as every change takes them, since the two steps
            // below take the source's and then the destination's: two transfers the opposite ways must not deadlock.
            for store in [source, destination].sorted() {
                _ = try await inventory.lockedLevel(storeID: store, productID: productID, transaction)
            }
            do {
                let (id, reference) = try await transfers.dispatch(
                    caller, from: source, to: destination, lines: [TransferLineRequest(productID: productID, quantity: quantity)], note: "",
                    audited: false, transaction)
                let transfer = try await transfers.requireTransfer(caller, id: id, transaction)
                try await transfers.receive(
                    caller, transfer, arrivals: transfer.lines.map { ($0, TransferArrival(lineID: $0.id, received: $0.quantity)) }, note: "",
                    audited: false, transaction)
                try await audit.record(
                    caller.auditEntry(
                        "stock_transferred", entityType: "product", entityID: productID,
                        new: [
                            "from_store_id": .int(source), "to_store_id": .int(destination), "quantity": .int(quantity),
                            "reference": .string(reference), "transfer_id": .int(id),
                        ]), transaction.db)
                return reference
            } catch let shortage as InsufficientStock {
                throw shortage.refusal(.invalid)
            }
        }
    }

    public func movements(_ caller: Caller, filter: MovementFilter, page: PageRequest) async throws -> Paged<StockMovement> {
        var filter = filter
        filter.companyID = caller.companyID
        filter.storeID = try caller.storeScope(requested: filter.storeID)
        let (movements, total) = try await database.read { try await inventory.movements(filter, limit: page.limit, offset: page.offset, $0) }
        return Paged(movements, total: total, page: page)
    }

    /// 404 unless the product and the store are the caller's company's; 400 when the store is deactivated.
    func requireProductAndOpenStore(
        _ caller: Caller, productID: Int64, storeID: Int64, field: String = "store", _ transaction: Transaction
    ) async throws {
        _ = try await identity.requireOpenStore(storeID, companyID: caller.companyID, field: field, transaction.db)
        guard try await catalog.storeProduct(id: productID, companyID: caller.companyID, storeID: storeID, transaction.db) != nil else {
            throw ShopError.notFound("Product")
        }
    }
}

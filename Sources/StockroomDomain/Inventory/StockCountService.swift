import Foundation

/// Stock counts. Owners and admins open, post and abandon a store's count (admins their own store's); anyone who
/// works in the store counts its shelves. Each entry records the stock the system showed at that moment, so a
/// count taken while the tills keep selling posts what the shelves were short or over, not what they held before.
public struct StockCountService: Sendable {
    let database: any DatabaseClient
    let stockLedger: StockLedger
    let events: EventHub
    let counts = StockCountRepository()
    let inventory = InventoryRepository()
    let catalog = CatalogRepository()
    let identity = IdentityRepository()
    let audit = AuditRepository()

    /// At most this many products in one count.
    public static let maxLines = 50_000

    public init(database: any DatabaseClient, stockLedger: StockLedger, events: EventHub) {
        self.database = database
        self.stockLedger = stockLedger
        self.events = events
    }

    public func list(_ caller: Caller, filter: StockCountFilter, page: PageRequest) async throws -> Paged<StockCount> {
        var filter = filter
        filter.companyID = caller.companyID
        filter.storeID = try caller.storeScope(requested: filter.storeID)
        let (rows, total) = try await database.read { try await counts.counts(filter, limit: page.limit, offset: page.offset, $0) }
        return Paged(rows, total: total, page: page)
    }

    public func count(_ caller: Caller, id: Int64) async throws -> StockCount {
        try Self.visible(try await database.read { try await counts.count(id: id, companyID: caller.companyID, $0) }, to: caller)
    }

    /// Opens a count of `storeID` (the caller's home store when nil) over every active product it carries, or those
    /// whose name or barcode contains `scope`. 409 while the store has another count open.
    public func open(_ caller: Caller, storeID: Int64?, scope: String?, note: String?) async throws -> StockCount {
        try caller.require(.manageCatalog)
        let storeID = try caller.storeScope(requested: storeID) ?? caller.storeID
        let scope = scope?.trimmingCharacters(in: .whitespaces) ?? ""
        try Validation.checkText(scope, field: "search", length: 0...100)
        try Validation.checkText(note, field: "note", length: 0...1000)
        do {
            return try await open(caller, storeID: storeID, scope: scope, note: note ?? "")
        } catch let error where UniqueViolation.matches(error) {
            // Another count of the store was opened at the same moment (the unique index of open counts refused
            // this one).
            throw ShopError.conflict("The store already has a count open: post or abandon it first", code: "count_open")
        }
    }

    private func open(_ caller: Caller, storeID: Int64, scope: String, note: String) async throws -> StockCount {
        try await database.withTransaction { transaction in
            let db = transaction.db
            _ = try await identity.requireOpenStore(storeID, companyID: caller.companyID, db)
            if let open = try await counts.openCount(storeID: storeID, db) {
                throw ShopError.conflict(
                    "The store already has count \(open) open: post or abandon it first", code: "count_open", facts: ["count_id": .int(open)])
            }
            let (id, lines) = try await counts.insert(
                companyID: caller.companyID, storeID: storeID, scope: scope, note: note, createdBy: caller.userID, maxLines: Self.maxLines, db)
            try await audit.record(
                caller.auditEntry(
                    "count_opened", entityType: "stock_count", entityID: id,
                    new: ["store_id": .int(storeID), "scope": .string(scope), "lines": .int(Int64(lines))]), db)
            return try await requireCount(caller, id: id, transaction)
        }
    }

    /// Records what a shelf holds of one product: `set` the number counted (a recount measures against the stock
    /// now) or `add` to it (a scan adds one; the first entry of a line measures against the stock then). A product
    /// outside the count's scope found on the shelf joins the count.
    public func enter(_ caller: Caller, countID: Int64, _ entry: CountEntry) async throws -> StockCount.Line {
        switch entry.amount {
        case .set(let number):
            guard CatalogLimits.quantity.contains(number) else {
                throw ShopError.invalidField("counted", "counted must be a whole number from 0 to 1000000")
            }
        case .add(let number):
            // Adding nothing would count a shelf that was never looked at as empty.
            guard (1...CatalogLimits.quantity.upperBound).contains(number) else {
                throw ShopError.invalidField("add", "add must be a whole number from 1 to 1000000")
            }
        }
        guard (entry.productID == nil) != (entry.barcode == nil) else {
            throw ShopError.invalidField("product", "Name the product by product_id or by barcode")
        }
        return try await database.withTransaction { transaction in
            let db = transaction.db
            // The count without its lines: a scan reads and answers only its own line, whatever the count's size.
            let count = try await requireCount(caller, id: countID, locked: true, withLines: false, transaction)
            guard count.status == .open else { throw Self.closed(count) }
            let productID: Int64
            if let barcode = entry.barcode {
                guard let found = try await catalog.product(barcode: barcode, companyID: caller.companyID, db) else {
                    throw ShopError(.notFound, code: "product_not_found", "No product has barcode '\(barcode)'")
                }
                productID = found
            } else {
                productID = entry.productID!
                guard try await catalog.names(ids: [productID], companyID: caller.companyID, db)[productID] != nil else {
                    throw ShopError.notFound("Product")
                }
            }
            let line = try await counts.lines(countID: countID, productID: productID, db).first
            let stockNow = try await inventory.lockedLevel(storeID: count.storeID, productID: productID, transaction)?.inStock ?? 0
            let (counted, expected): (Int64, Int64) =
                switch entry.amount {
                case .set(let number): (number, stockNow)
                case .add(let number): ((line?.counted ?? 0) + number, line?.expected ?? stockNow)
                }
            guard counted <= CatalogLimits.quantity.upperBound else {
                throw ShopError.invalidField("counted", "A count is a whole number from 0 to 1000000")
            }
            try await counts.setLine(countID: countID, productID: productID, counted: counted, expected: expected, by: caller.userID, db)
            return try await counts.lines(countID: countID, productID: productID, db).first!
        }
    }

    /// Posts the count: one `count` movement for each counted line whose shelf differed from the stock it was
    /// measured against, by that difference, on top of whatever sold since (a shortfall past what is left stops
    /// at zero, and the line says what was posted). Lines never counted change nothing.
    public func post(_ caller: Caller, id: Int64) async throws -> StockCount {
        try caller.require(.manageCatalog)
        return try await database.withTransaction { transaction in
            let db = transaction.db
            let count = try await requireCount(caller, id: id, locked: true, transaction)
            guard count.status == .open else { throw Self.closed(count) }
            _ = try await identity.requireOpenStore(count.storeID, companyID: caller.companyID, db)
            let differing = count.lines.filter { ($0.difference ?? 0) != 0 }
            // In (store, product) order, the order every change takes the levels in.
            for line in differing.sorted(by: { $0.productID < $1.productID }) {
                var delta = line.difference!
                if delta < 0 {
                    let stock = try await inventory.lockedLevel(storeID: count.storeID, productID: line.productID, transaction)?.inStock ?? 0
                    delta = max(delta, -stock)
                }
                if delta != 0 {
                    try await stockLedger.apply(
                        .init(
                            companyID: caller.companyID, storeID: count.storeID, productID: line.productID, delta: delta, kind: .count,
                            actorID: caller.userID, reference: "count:\(id)", reason: "Count \(id)"), transaction)
                }
                try await counts.setPosted(countID: id, productID: line.productID, delta: delta, db)
            }
            try await counts.close(countID: id, .posted, by: caller.userID, db)
            let posted = try await requireCount(caller, id: id, transaction)
            try await audit.record(
                caller.auditEntry(
                    "count_posted", entityType: "stock_count", entityID: id,
                    new: [
                        "store_id": .int(count.storeID), "counted": .int(Int64(count.lines.filter { $0.counted != nil }.count)),
                        "corrections": .array(
                            posted.lines.filter { ($0.postedDelta ?? 0) != 0 }.map {
                                .object(["product_id": .int($0.productID), "delta": .int($0.postedDelta!)])
                            }),
                    ]), db)
            let event = DomainEvent.CountPosted(
                companyID: caller.companyID, storeID: count.storeID, countID: id,
                corrections: Int64(posted.lines.filter { ($0.postedDelta ?? 0) != 0 }.count),
                netUnits: posted.lines.reduce(0) { $0 + ($1.postedDelta ?? 0) }, actorID: caller.userID)
            let events = self.events
            transaction.afterCommit { events.publish(.countPosted(event)) }
            return posted
        }
    }

    /// Abandons an open count: nothing it recorded changes the stock.
    public func abandon(_ caller: Caller, id: Int64) async throws -> StockCount {
        try caller.require(.manageCatalog)
        return try await database.withTransaction { transaction in
            let count = try await requireCount(caller, id: id, locked: true, transaction)
            guard count.status == .open else { throw Self.closed(count) }
            try await counts.close(countID: id, .abandoned, by: caller.userID, transaction.db)
            try await audit.record(
                caller.auditEntry("count_abandoned", entityType: "stock_count", entityID: id, new: ["store_id": .int(count.storeID)]), transaction.db)
            return try await requireCount(caller, id: id, transaction)
        }
    }

    /// The count, when it is the caller's company's and (for admins and vendors) their store's; 404 otherwise.
    func requireCount(
        _ caller: Caller, id: Int64, locked: Bool = false, withLines: Bool = true, _ transaction: Transaction
    ) async throws -> StockCount {
        try Self.visible(try await counts.count(id: id, companyID: caller.companyID, locked: locked, withLines: withLines, transaction), to: caller)
    }

    static func visible(_ count: StockCount?, to caller: Caller) throws -> StockCount {
        guard let count, caller.role == .owner || count.storeID == caller.storeID else { throw ShopError.notFound("Stock count") }
        return count
    }

    static func closed(_ count: StockCount) -> ShopError {
        ShopError.conflict("Count \(count.id) is \(count.status.rawValue)", code: "count_closed", facts: ["status": .string(count.status.rawValue)])
    }
}

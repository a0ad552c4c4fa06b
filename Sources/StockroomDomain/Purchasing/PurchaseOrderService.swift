import Foundation

/// Purchase orders: owners order for any store of the company, admins for their own. A draft's lines can change
/// until it is ordered; goods then arrive against it (`receive`, in PurchaseOrderService+Receiving.swift) until
/// nothing is due, or it is cancelled.
public struct PurchaseOrderService: Sendable {
    let database: any DatabaseClient
    let stockLedger: StockLedger
    let events: EventHub
    let orders = PurchaseOrderRepository()
    let suppliers = SupplierRepository()
    let catalog = CatalogRepository()
    let identity = IdentityRepository()
    let costs = CostRepository()
    let audit = AuditRepository()

    /// At most this many lines on an order, and in a receipt.
    public static let maxLines = 500

    public init(database: any DatabaseClient, stockLedger: StockLedger, events: EventHub) {
        self.database = database
        self.stockLedger = stockLedger
        self.events = events
    }

    public func list(_ caller: Caller, filter: PurchaseOrderFilter, page: PageRequest) async throws -> Paged<PurchaseOrder> {
        try caller.require(.managePurchasing)
        var filter = filter
        filter.companyID = caller.companyID
        filter.storeID = try caller.storeScope(requested: filter.storeID)
        let (rows, total) = try await database.read { try await orders.orders(filter, limit: page.limit, offset: page.offset, $0) }
        return Paged(rows, total: total, page: page)
    }

    public func order(_ caller: Caller, id: Int64) async throws -> PurchaseOrder {
        try caller.require(.managePurchasing)
        return try Self.visible(try await database.read { try await orders.order(id: id, companyID: caller.companyID, $0) }, to: caller)
    }

    /// A new draft for `storeID` (the caller's home store when nil) from an active supplier of the company.
    public func create(
        _ caller: Caller, supplierID: Int64, storeID: Int64?, notes: String?, lines: [OrderLineRequest]
    ) async throws -> PurchaseOrder {
        try caller.require(.managePurchasing)
        let storeID = try caller.storeScope(requested: storeID) ?? caller.storeID
        try Validation.checkText(notes, field: "notes", length: 0...1000)
        try Self.check(lines)
        return try await database.withTransaction { transaction in
            let db = transaction.db
            _ = try await identity.requireOpenStore(storeID, companyID: caller.companyID, db)
            guard let supplier = try await suppliers.supplier(id: supplierID, companyID: caller.companyID, db) else {
                throw ShopError.notFound("Supplier")
            }
            guard supplier.isActive else {
                throw ShopError.badRequest(
                    "\(supplier.name) is inactive: activate the supplier to order from it", code: "supplier_inactive", field: "supplier")
            }
            try await requireProducts(lines, caller, transaction)
            let number = try await orders.nextNumber(storeID: storeID, db)
            let id = try await orders.insert(
                companyID: caller.companyID, storeID: storeID, supplierID: supplierID, number: number, notes: notes ?? "", createdBy: caller.userID,
                db)
            try await orders.replaceLines(orderID: id, lines, db)
            let order = try await requireOrder(caller, id: id, transaction)
            try await audit.record(
                caller.auditEntry("purchase_order_created", entityType: "purchase_order", entityID: id, new: Self.auditValues(order)), db)
            return order
        }
    }

    /// Changes a draft: its notes, and its lines when sent (they replace the old ones). 409 once it is ordered.
    public func update(_ caller: Caller, id: Int64, notes: String?, lines: [OrderLineRequest]?) async throws -> PurchaseOrder {
        try caller.require(.managePurchasing)
        try Validation.checkText(notes, field: "notes", length: 0...1000)
        if let lines { try Self.check(lines) }
        return try await database.withTransaction { transaction in
            let db = transaction.db
            let before = try await requireOrder(caller, id: id, locked: true, transaction)
            guard before.status == .draft else { throw Self.notDraft(before) }
            if let notes { try await orders.setNotes(orderID: id, notes, db) }
            if let lines {
                try await requireProducts(lines, caller, transaction)
                try await orders.replaceLines(orderID: id, lines, db)
            }
            let after = try await requireOrder(caller, id: id, transaction)
            try await audit.record(
                caller.auditEntry(
                    "purchase_order_updated", entityType: "purchase_order", entityID: id, old: Self.auditValues(before), new: Self.auditValues(after)),
                db)
            return after
        }
    }

    /// Sends a draft to its supplier: from now on goods may arrive against it and its lines are fixed.
    public func place(_ caller: Caller, id: Int64) async throws -> PurchaseOrder {
        let supplierActive = { @Sendable (order: PurchaseOrder, transaction: Transaction) async throws -> Void in
            guard try await SupplierRepository().supplier(id: order.supplierID, companyID: order.companyID, transaction.db)?.isActive == true else {
                throw ShopError.badRequest(
                    "\(order.supplierName) is inactive: activate the supplier to order from it", code: "supplier_inactive", field: "supplier")
            }
        }
        return try await changeStatus(caller, id: id, action: "purchase_order_placed", check: supplierActive) { order in
            guard order.status == .draft else { throw Self.notDraft(order) }
            guard !order.lines.isEmpty else { throw ShopError.badRequest("An order needs at least one line", code: "empty_order", field: "lines") }
            return .ordered
        }
    }

    /// Cancels a draft or an order still awaiting goods (what already arrived stays received).
    public func cancel(_ caller: Caller, id: Int64) async throws -> PurchaseOrder {
        try await changeStatus(caller, id: id, action: "purchase_order_cancelled") { order in
            guard order.status == .draft || order.status.isReceiving else {
                throw ShopError.conflict(
                    "Order #\(order.number) is \(order.status.rawValue) and cannot be cancelled", code: "order_closed",
                    facts: ["status": .string(order.status.rawValue)])
            }
            return .cancelled
        }
    }

    private func changeStatus(
        _ caller: Caller, id: Int64, action: String,
        check: @Sendable (PurchaseOrder, Transaction) async throws -> Void = { _, _ in },
        _ next: @Sendable (PurchaseOrder) throws -> PurchaseOrder.Status
    ) async throws -> PurchaseOrder {
        try caller.require(.managePurchasing)
        return try await database.withTransaction { transaction in
            let before = try await requireOrder(caller, id: id, locked: true, transaction)
            let status = try next(before)
            try await check(before, transaction)
            try await orders.setStatus(orderID: id, status, ordered: status == .ordered, transaction.db)
            try await audit.record(
                caller.auditEntry(
                    action, entityType: "purchase_order", entityID: id, old: ["status": .string(before.status.rawValue)],
                    new: ["status": .string(status.rawValue)]), transaction.db)
            return try await requireOrder(caller, id: id, transaction)
        }
    }

    /// The order, when it is the caller's company's and (for admins) their store's; 404 otherwise.
    func requireOrder(_ caller: Caller, id: Int64, locked: Bool = false, _ transaction: Transaction) async throws -> PurchaseOrder {
        try Self.visible(try await orders.order(id: id, companyID: caller.companyID, locked: locked, transaction), to: caller)
    }

    static func visible(_ order: PurchaseOrder?, to caller: Caller) throws -> PurchaseOrder {
        guard let order, caller.role == .owner || order.storeID == caller.storeID else { throw ShopError.notFound("Purchase order") }
        return order
    }

    /// 1 to `maxLines` lines, each product once, 1 to 1,000,000 units at a cost within the price range.
    static func check(_ lines: [OrderLineRequest]) throws {
        try DeliveryLines.check(products: lines.map(\.productID), quantities: lines.map(\.quantity), maxLines: maxLines, on: "the order")
        for line in lines {
            guard CatalogLimits.priceCents.contains(line.unitCostCents) else {
                throw ShopError.invalidField("unit_cost", "unit_cost must be between 0 and 1000000")
            }
        }
    }

    /// 404 unless every product is the caller's company's.
    private func requireProducts(_ lines: [OrderLineRequest], _ caller: Caller, _ transaction: Transaction) async throws {
        let names = try await catalog.names(ids: lines.map(\.productID), companyID: caller.companyID, transaction.db)
        if let missing = lines.first(where: { names[$0.productID] == nil }) {
            throw ShopError(.notFound, code: "not_found", "Product \(missing.productID) not found", facts: ["product_id": .int(missing.productID)])
        }
    }

    static func notDraft(_ order: PurchaseOrder) -> ShopError {
        ShopError.conflict(
            "Order #\(order.number) is \(order.status.rawValue): only a draft changes", code: "order_not_draft",
            facts: ["status": .string(order.status.rawValue)])
    }

    static func auditValues(_ order: PurchaseOrder) -> [String: JSONValue] {
        [
            "number": .int(order.number), "store_id": .int(order.storeID), "supplier_id": .int(order.supplierID),
            "status": .string(order.status.rawValue), "notes": .string(order.notes),
            "lines": .array(
                order.lines.map {
                    .object(["product_id": .int($0.productID), "quantity": .int($0.quantity), "unit_cost_cents": .int($0.unitCostCents)])
                }),
        ]
    }
}

import Foundation
import SQLKit

/// The product catalog: company-wide products with per-store stock and minimums. Owners act on any store of their
/// company; admins on their own; vendors only read.
public struct CatalogService: Sendable {
    let database: any DatabaseClient
    let stockLedger: StockLedger
    let catalog = CatalogRepository()
    let categories = CategoryRepository()
    let inventory = InventoryRepository()
    let costs = CostRepository()
    let identity = IdentityRepository()
    let audit = AuditRepository()

    public init(database: any DatabaseClient, stockLedger: StockLedger) {
        self.database = database
        self.stockLedger = stockLedger
    }

    /// What a new product or an update carries; nil leaves a field as it is (or at its default on create).
    public struct ProductFields: Sendable {
        public var barcode: String?
        public var name: String?
        public var description: String?
        public var priceCents: Int64?
        public var costCents: Int64?
        /// `.some(nil)` clears it.
        public var expirationDate: String??
        public var category: String??
        public var imageURL: String??
        /// The store's stock: opening stock on create, an adjustment on update.
        public var quantity: Int64?
        public var minQuantity: Int64?

        public init() {}

        /// Nothing to change.
        public var isEmpty: Bool {
            barcode == nil && name == nil && description == nil && priceCents == nil && costCents == nil && expirationDate == nil
                && category == nil && imageURL == nil && quantity == nil && minQuantity == nil
        }
    }

    public func list(_ caller: Caller, query: ProductQuery, page: PageRequest) async throws -> Paged<StoreProduct> {
        var query = query
        query.companyID = caller.companyID
        query.storeID = try caller.storeScope(requested: query.storeID) ?? caller.storeID
        let (products, total) = try await database.read { try await catalog.storeProducts(query, limit: page.limit, offset: page.offset, $0) }
        return Paged(products, total: total, page: page)
    }

    /// The names of the caller's company's products among `ids` (one query; ids of other companies are left out).
    public func names(_ caller: Caller, ids: Set<Int64>) async throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        return try await database.read { try await catalog.names(ids: Array(ids), companyID: caller.companyID, $0) }
    }

    public func get(_ caller: Caller, id: Int64, storeID: Int64?) async throws -> StoreProduct {
        let store = try caller.storeScope(requested: storeID) ?? caller.storeID
        guard let product = try await database.read({ try await catalog.storeProduct(id: id, companyID: caller.companyID, storeID: store, $0) })
        else {
            throw ShopError.notFound("Product")
        }
        return product
    }

    public func create(_ caller: Caller, _ fields: ProductFields, storeID: Int64?) async throws -> StoreProduct {
        try caller.require(.manageCatalog)
        guard fields.name != nil else { throw ShopError.missingField("name") }
        guard fields.priceCents != nil else { throw ShopError.missingField("price") }
        try Self.validate(fields)
        let store = try caller.storeScope(requested: storeID) ?? caller.storeID
        return try await database.withTransaction { transaction in
            let db = transaction.db
            _ = try await identity.requireOpenStore(store, companyID: caller.companyID, db)
            let id = try await insert(fields, companyID: caller.companyID, storeID: store, actorID: caller.userID, kind: .opening, transaction)
            let created = try await catalog.storeProduct(id: id, companyID: caller.companyID, storeID: store, db)!
            try await audit.record(caller.auditEntry("product_created", entityType: "product", entityID: id, new: created.auditValues), db)
            announce(.created, productID: id, caller, transaction)
            return created
        }
    }

    /// Inserts a product with its level in `storeID` and its opening stock (`kind`), inside `transaction`.
    func insert(
        _ fields: ProductFields, companyID: Int64, storeID: Int64, actorID: Int64?, kind: MovementKind, _ transaction: Transaction
    ) async throws -> Int64 {
        let db = transaction.db
        let now = Date.now
        var product = Product(
            id: 0, companyID: companyID, categoryID: nil, categoryName: nil,
            barcode: try await barcodeOrGenerated(fields.barcode, companyID, db), name: fields.name ?? "",
            description: fields.description ?? "", priceCents: fields.priceCents ?? 0, costCents: fields.costCents ?? 0,
            expirationDate: fields.expirationDate ?? nil, imageURL: fields.imageURL ?? nil, isActive: true, createdAt: now, updatedAt: now)
        product.categoryID = try await categoryID(fields.category ?? nil, companyID, db)
        product.id = try await catalog.insertProduct(product, db)
        try await costs.record(
            productID: product.id, companyID: companyID, costCents: product.costCents, reason: .opening, reference: nil,
            at: now.unixMilliseconds, db)
        try await inventory.insertLevel(storeID: storeID, productID: product.id, minStock: fields.minQuantity ?? 0, db)
        if let quantity = fields.quantity, quantity > 0 {
            try await stockLedger.apply(
                .init(
                    companyID: companyID, storeID: storeID, productID: product.id, delta: quantity, kind: kind,
                    actorID: actorID, reason: kind == .import ? "Import" : "New product"), transaction)
        }
        return product.id
    }

    /// A truly partial update: only the fields sent change. `quantity` sets the store's stock through a recorded
    /// adjustment; `min_quantity` the store's minimum.
    public func update(_ caller: Caller, id: Int64, _ fields: ProductFields, storeID: Int64?) async throws -> StoreProduct {
        try caller.require(.manageCatalog)
        try Self.validate(fields)
        let store = try caller.storeScope(requested: storeID) ?? caller.storeID
        return try await database.withTransaction { transaction in
            let db = transaction.db
            guard let before = try await catalog.storeProduct(id: id, companyID: caller.companyID, storeID: store, db) else {
                throw ShopError.notFound("Product")
            }
            if fields.quantity != nil || fields.minQuantity != nil {
                _ = try await identity.requireOpenStore(store, companyID: caller.companyID, db)
            }
            try await apply(
                fields, to: before.product, storeID: store, actorID: caller.userID, kind: .adjustment, sharedByAdmin: caller.role == .admin,
                transaction)
            let after = try await catalog.storeProduct(id: id, companyID: caller.companyID, storeID: store, db)!
            let (old, new) = AuditDiff.changed(before.auditValues, after.auditValues)
            try await audit.record(caller.auditEntry("product_updated", entityType: "product", entityID: id, old: old, new: new), db)
            announce(.updated, productID: id, caller, transaction)
            return after
        }
    }

    /// Applies the fields sent to `product`, and the store's minimum and stock (through a `kind` movement).
    ///
    /// A product's own fields (barcode, name, description, price, cost, expiry, image, category) are the company's:
    /// every store that carries the product shows and charges them. An admin runs one store, so with
    /// `sharedByAdmin` they change only while no other store carries the product (has a level for it) — an admin
    /// can never change what another store charges. The store's stock, minimum and archive stay theirs.
    func apply(
        _ fields: ProductFields, to before: Product, storeID: Int64, actorID: Int64?, kind: MovementKind, sharedByAdmin: Bool = false,
        _ transaction: Transaction
    ) async throws {
        let db = transaction.db
        if fields.quantity != nil || fields.minQuantity != nil {
            // The store's level first, then the product's row: the order receipts take them in (a receipt holds the
            // level while it moves the product's average cost), so an edit and a receipt never wait on each other
            // in a circle.
            _ = try await inventory.insertLevelIfMissing(storeID: storeID, productID: before.id, db)
            _ = try await inventory.lockedLevel(storeID: storeID, productID: before.id, transaction)
        }
        var product = before
        if let barcode = fields.barcode, barcode != product.barcode {
            if try await catalog.barcodeTaken(barcode, companyID: product.companyID, excluding: product.id, db) {
                throw Self.duplicateBarcode(barcode)
            }
            product.barcode = barcode
        }
        if let name = fields.name { product.name = name }
        if let description = fields.description { product.description = description }
        if let price = fields.priceCents { product.priceCents = price }
        if let cost = fields.costCents { product.costCents = cost }
        if let expiration = fields.expirationDate { product.expirationDate = expiration }
        if let imageURL = fields.imageURL { product.imageURL = imageURL }
        if let category = fields.category { product.categoryID = try await categoryID(category, product.companyID, db) }
        if product != before {
            if sharedByAdmin, try await inventory.storesCarrying(productID: product.id, besides: storeID, db) > 0 {
                throw ShopError(
                    .forbidden, code: "shared_product",
                    "\(before.name) is also sold in other stores: only an owner changes its name, barcode, price, cost or category")
            }
            try await catalog.updateProduct(product, writingCost: product.costCents != before.costCents, db)
            if product.costCents != before.costCents {
                try await costs.costSet(productID: product.id, companyID: product.companyID, costCents: product.costCents, reason: .edit, db)
            }
        }
        guard fields.quantity != nil || fields.minQuantity != nil else { return }
        _ = try await inventory.insertLevelIfMissing(storeID: storeID, productID: product.id, db)
        if let minimum = fields.minQuantity { try await inventory.setMinimum(storeID: storeID, productID: product.id, minStock: minimum, db) }
        if let quantity = fields.quantity {
            try await stockLedger.setStock(
                companyID: product.companyID, storeID: storeID, productID: product.id, to: quantity, actorID: actorID, kind: kind,
                reason: kind == .import ? "Import" : "Product edit", transaction)
        }
    }

    /// An imported row for a new barcode, inside the import's transaction.
    func createImported(_ fields: ProductFields, companyID: Int64, storeID: Int64, actorID: Int64?, _ transaction: Transaction) async throws {
        _ = try await insert(fields, companyID: companyID, storeID: storeID, actorID: actorID, kind: .import, transaction)
    }

    /// An imported row for a known barcode: its fields, minimum and stock in `storeID`.
    func applyImported(
        _ fields: ProductFields, to productID: Int64, companyID: Int64, storeID: Int64, actor: Caller?, _ transaction: Transaction
    ) async throws {
        guard let before = try await catalog.storeProduct(id: productID, companyID: companyID, storeID: storeID, transaction.db) else {
            throw ShopError.notFound("Product")
        }
        try await apply(
            fields, to: before.product, storeID: storeID, actorID: actor?.userID, kind: .import, sharedByAdmin: actor?.role == .admin, transaction)
    }

    /// Disables (or re-activates) the product everywhere; disabled products stay in history but cannot be sold.
    public func setActive(_ caller: Caller, id: Int64, active: Bool) async throws -> StoreProduct {
        guard caller.role == .owner else { throw ShopError.forbidden("Only an owner disables or activates a product in every store") }
        return try await database.withTransaction { transaction in
            let db = transaction.db
            guard var product = try await catalog.storeProduct(id: id, companyID: caller.companyID, storeID: caller.storeID, db) else {
                throw ShopError.notFound("Product")
            }
            guard product.product.isActive != active else { return product }
            product.product.isActive = active
            try await catalog.updateProduct(product.product, writingCost: false, db)
            try await audit.record(
                caller.auditEntry(
                    active ? "product_activated" : "product_disabled", entityType: "product", entityID: id,
                    old: ["is_active": .bool(!active)], new: ["is_active": .bool(active)]), db)
            announce(active ? .activated : .disabled, productID: id, caller, transaction)
            return product
        }
    }

    /// Credith's per-store archive (and its undo): an archived product disappears from that store's lists and
    /// cannot be sold there.
    public func setActiveInStore(_ caller: Caller, id: Int64, storeID: Int64, active: Bool) async throws {
        try caller.require(.manageCatalog)
        let store = try caller.storeScope(requested: storeID) ?? caller.storeID
        try await database.withTransaction { transaction in
            let db = transaction.db
            guard try await identity.store(id: store, companyID: caller.companyID, db) != nil else { throw ShopError.notFound("Store") }
            guard try await catalog.storeProduct(id: id, companyID: caller.companyID, storeID: store, db) != nil else {
                throw ShopError.notFound("Product")
            }
            _ = try await inventory.insertLevelIfMissing(storeID: store, productID: id, db)
            // Already so in this store: nothing to record or announce (a repeated DELETE is not news).
            guard try await inventory.level(storeID: store, productID: id, db)?.isActive != active else { return }
            try await inventory.setActive(storeID: store, productID: id, active: active, db)
            try await audit.record(
                caller.auditEntry(
                    active ? "product_unarchived" : "product_archived", entityType: "product", entityID: id,
                    new: ["store_id": .int(store)]), db)
            announce(active ? .unarchived : .archived, productID: id, caller, transaction, storeID: store)
        }
    }

    func barcodeOrGenerated(_ barcode: String?, _ companyID: Int64, _ db: any SQLDatabase) async throws -> String {
        if let barcode {
            if try await catalog.barcodeTaken(barcode, companyID: companyID, db) { throw Self.duplicateBarcode(barcode) }
            return barcode
        }
        return try await Barcode.generate(companyID: companyID) { try await catalog.barcodeTaken($0, companyID: companyID, db) }
    }

    func categoryID(_ name: String?, _ companyID: Int64, _ db: any SQLDatabase) async throws -> Int64? {
        guard let name = name?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { return nil }
        if let existing = try await categories.category(named: name, companyID: companyID, db) { return existing.id }
        return try await categories.insert(companyID: companyID, name: name, db).id
    }

    /// Publishes the change after commit (the notifications issue turns it into the acting user's notification).
    func announce(_ action: ProductAction, productID: Int64, _ caller: Caller, _ transaction: Transaction, storeID: Int64? = nil) {
        let events = stockLedger.events
        transaction.afterCommit {
            events.publish(
                .productChanged(companyID: caller.companyID, productID: productID, actorID: caller.userID, action: action, storeID: storeID))
        }
    }

    static func duplicateBarcode(_ barcode: String) -> ShopError {
        ShopError.conflict("A product with barcode '\(barcode)' already exists", code: "duplicate_barcode", facts: ["field": .string("barcode")])
    }
}

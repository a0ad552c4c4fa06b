import Foundation
import SQLKit

/// The product catalog: company-wide products with per-store stock and minimums. Owners act on any store of their
/// company; admins on their own; vendors only read.
public struct CatalogService: Sendable {
    let database: any DatabaseClient
    let inventoryService: InventoryService
    let catalog = CatalogRepository()
    let categories = CategoryRepository()
    let inventory = InventoryRepository()
    let identity = IdentityRepository()
    let audit = AuditRepository()

    public init(database: any DatabaseClient, inventoryService: InventoryService) {
        self.database = database
        self.inventoryService = inventoryService
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
    }

    public func list(_ caller: Caller, query: ProductQuery, page: PageRequest) async throws -> Paged<StoreProduct> {
        var query = query
        query.companyID = caller.companyID
        query.storeID = try caller.storeScope(requested: query.storeID) ?? caller.storeID
        let (products, total) = try await database.read { try await catalog.storeProducts(query, limit: page.limit, offset: page.offset, $0) }
        return Paged(products, total: total, page: page)
    }

    public func get(_ caller: Caller, id: Int64, storeID: Int64?) async throws -> StoreProduct {
        let store = try caller.storeScope(requested: storeID) ?? caller.storeID
        guard let product = try await database.read({ try await catalog.storeProduct(id: id, companyID: caller.companyID, storeID: store, $0) }) else {
            throw AppError.notFound("Product")
        }
        return product
    }

    public func create(_ caller: Caller, _ fields: ProductFields, storeID: Int64?) async throws -> StoreProduct {
        try caller.require(.manageCatalog)
        guard let name = fields.name else { throw AppError.missingField("name") }
        guard let price = fields.priceCents else { throw AppError.missingField("price") }
        try Self.validate(fields)
        let store = try caller.storeScope(requested: storeID) ?? caller.storeID
        return try await database.withTransaction { transaction in
            let db = transaction.db
            _ = try await identity.requireOpenStore(store, companyID: caller.companyID, db)
            let barcode = try await barcodeOrGenerated(fields.barcode, caller.companyID, db)
            let now = Date.now
            var product = Product(
                id: 0, companyID: caller.companyID, categoryID: nil, categoryName: nil, barcode: barcode, name: name,
                description: fields.description ?? "", priceCents: price, costCents: fields.costCents ?? 0,
                expirationDate: fields.expirationDate ?? nil, imageURL: fields.imageURL ?? nil, isActive: true, createdAt: now, updatedAt: now)
            product.categoryID = try await categoryID(fields.category ?? nil, caller.companyID, db)
            product.id = try await catalog.insertProduct(product, db)
            try await inventory.insertLevel(storeID: store, productID: product.id, inStock: 0, minStock: fields.minQuantity ?? 0, db)
            if let quantity = fields.quantity, quantity > 0 {
                try await inventoryService.apply(
                    .init(companyID: caller.companyID, storeID: store, productID: product.id, delta: quantity, kind: .opening,
                          actorID: caller.userID, reason: "New product"), transaction)
            }
            let created = try await catalog.storeProduct(id: product.id, companyID: caller.companyID, storeID: store, db)!
            try await audit.record(caller.auditEntry("product_created", entityType: "product", entityID: product.id, new: created.auditValues), db)
            return created
        }
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
                throw AppError.notFound("Product")
            }
            var product = before.product
            if let barcode = fields.barcode, barcode != product.barcode {
                if try await catalog.barcodeTaken(barcode, companyID: caller.companyID, excluding: id, db) { throw Self.duplicateBarcode(barcode) }
                product.barcode = barcode
            }
            if let name = fields.name { product.name = name }
            if let description = fields.description { product.description = description }
            if let price = fields.priceCents { product.priceCents = price }
            if let cost = fields.costCents { product.costCents = cost }
            if let expiration = fields.expirationDate { product.expirationDate = expiration }
            if let imageURL = fields.imageURL { product.imageURL = imageURL }
            if let category = fields.category { product.categoryID = try await categoryID(category, caller.companyID, db) }
            try await catalog.updateProduct(product, db)
            if fields.quantity != nil || fields.minQuantity != nil { _ = try await identity.requireOpenStore(store, companyID: caller.companyID, db) }
            if try await inventory.level(storeID: store, productID: id, db) == nil, fields.quantity != nil || fields.minQuantity != nil {
                try await inventory.insertLevel(storeID: store, productID: id, inStock: 0, minStock: 0, db)
            }
            if let minimum = fields.minQuantity { try await inventory.setMinimum(storeID: store, productID: id, minStock: minimum, db) }
            if let quantity = fields.quantity {
                try await inventoryService.setStock(
                    companyID: caller.companyID, storeID: store, productID: id, to: quantity, actorID: caller.userID,
                    reason: "Product edit", transaction)
            }
            let after = try await catalog.storeProduct(id: id, companyID: caller.companyID, storeID: store, db)!
            let (old, new) = AuditDiff.changed(before.auditValues, after.auditValues)
            try await audit.record(caller.auditEntry("product_updated", entityType: "product", entityID: id, old: old, new: new), db)
            return after
        }
    }

    /// Disables (or re-activates) the product everywhere; disabled products stay in history but cannot be sold.
    public func setActive(_ caller: Caller, id: Int64, active: Bool) async throws -> StoreProduct {
        try caller.require(.manageCatalog)
        return try await database.withTransaction { transaction in
            let db = transaction.db
            guard var product = try await catalog.storeProduct(id: id, companyID: caller.companyID, storeID: caller.storeID, db) else {
                throw AppError.notFound("Product")
            }
            guard product.product.isActive != active else { return product }
            product.product.isActive = active
            try await catalog.updateProduct(product.product, db)
            try await audit.record(
                caller.auditEntry(active ? "product_activated" : "product_disabled", entityType: "product", entityID: id,
                                  old: ["is_active": .bool(!active)], new: ["is_active": .bool(active)]), db)
            return product
        }
    }

    /// Credith's per-store archive: the product disappears from that store's lists and cannot be sold there.
    public func archive(_ caller: Caller, id: Int64, storeID: Int64) async throws {
        try caller.require(.manageCatalog)
        let store = try caller.storeScope(requested: storeID) ?? caller.storeID
        try await database.withTransaction { transaction in
            let db = transaction.db
            guard try await identity.store(id: store, companyID: caller.companyID, db) != nil else { throw AppError.notFound("Store") }
            guard try await catalog.storeProduct(id: id, companyID: caller.companyID, storeID: store, db) != nil else {
                throw AppError.notFound("Product")
            }
            if try await inventory.level(storeID: store, productID: id, db) == nil {
                try await inventory.insertLevel(storeID: store, productID: id, inStock: 0, minStock: 0, db)
            }
            try await inventory.setActive(storeID: store, productID: id, active: false, db)
            try await audit.record(
                caller.auditEntry("product_archived", entityType: "product", entityID: id, new: ["store_id": .int(store)]), db)
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

    static func duplicateBarcode(_ barcode: String) -> AppError {
        AppError.conflict("A product with barcode '\(barcode)' already exists", code: "duplicate_barcode", context: ["field": .string("barcode")])
    }
}

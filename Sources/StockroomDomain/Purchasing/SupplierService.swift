import Foundation

/// Suppliers and which products each supplies: owners and admins keep them (one list for the whole company).
public struct SupplierService: Sendable {
    let database: any DatabaseClient
    let suppliers = SupplierRepository()
    let catalog = CatalogRepository()
    let audit = AuditRepository()

    public init(database: any DatabaseClient) {
        self.database = database
    }

    public func list(_ caller: Caller, filter: SupplierFilter, page: PageRequest) async throws -> Paged<Supplier> {
        try caller.require(.managePurchasing)
        let (rows, total) = try await database.read {
            try await suppliers.suppliers(companyID: caller.companyID, filter, limit: page.limit, offset: page.offset, $0)
        }
        return Paged(rows, total: total, page: page)
    }

    public func supplier(_ caller: Caller, id: Int64) async throws -> Supplier {
        try caller.require(.managePurchasing)
        guard let supplier = try await database.read({ try await suppliers.supplier(id: id, companyID: caller.companyID, $0) }) else {
            throw ShopError.notFound("Supplier")
        }
        return supplier
    }

    public func create(_ caller: Caller, _ fields: SupplierFields) async throws -> Supplier {
        try caller.require(.managePurchasing)
        guard fields.name != nil else { throw ShopError.missingField("name") }
        let now = Date.now
        var supplier = try Self.applying(
            fields,
            to: Supplier(
                id: 0, companyID: caller.companyID, name: "", contact: "", email: "", phone: "", taxID: "", notes: "", isActive: true,
                createdAt: now, updatedAt: now))
        return try await database.withTransaction { transaction in
            let db = transaction.db
            if try await suppliers.supplier(named: supplier.name, companyID: caller.companyID, db) != nil { throw Self.taken(supplier.name) }
            supplier.id = try await suppliers.insert(supplier, db)
            try await audit.record(
                caller.auditEntry("supplier_created", entityType: "supplier", entityID: supplier.id, new: Self.auditValues(supplier)), db)
            return supplier
        }
    }

    /// A partial update: only the fields sent change (`isActive` false retires the supplier from new orders).
    public func update(_ caller: Caller, id: Int64, _ fields: SupplierFields) async throws -> Supplier {
        try caller.require(.managePurchasing)
        return try await database.withTransaction { transaction in
            let db = transaction.db
            guard let before = try await suppliers.supplier(id: id, companyID: caller.companyID, db) else { throw ShopError.notFound("Supplier") }
            var after = try Self.applying(fields, to: before)
            guard after != before else { return before }
            if after.name.lowercased() != before.name.lowercased(),
                let other = try await suppliers.supplier(named: after.name, companyID: caller.companyID, db), other.id != id
            {
                throw Self.taken(after.name)
            }
            after.updatedAt = .now
            try await suppliers.update(after, db)
            try await audit.record(
                caller.auditEntry(
                    "supplier_updated", entityType: "supplier", entityID: id, old: Self.auditValues(before), new: Self.auditValues(after)), db)
            return after
        }
    }

    /// The suppliers listed for a product of the caller's company.
    public func productSuppliers(_ caller: Caller, productID: Int64) async throws -> [ProductSupplier] {
        try caller.require(.managePurchasing)
        return try await database.read { db in
            guard try await catalog.names(ids: [productID], companyID: caller.companyID, db)[productID] != nil else {
                throw ShopError.notFound("Product")
            }
            return try await suppliers.productSuppliers(productID: productID, db)
        }
    }

    /// Lists `supplierID` for the product, or changes the supplier's code for it or its last cost (nil keeps it).
    public func link(
        _ caller: Caller, productID: Int64, supplierID: Int64, code: String?, lastCostCents: Int64?
    ) async throws -> ProductSupplier {
        try caller.require(.managePurchasing)
        try Validation.checkText(code, field: "supplier_code", length: 0...64)
        return try await database.withTransaction { transaction in
            let db = transaction.db
            try await requireProductAndSupplier(caller, productID: productID, supplierID: supplierID, transaction)
            try await suppliers.link(productID: productID, supplierID: supplierID, code: code, lastCostCents: lastCostCents, db)
            let linked = try await suppliers.productSuppliers(productID: productID, db).first { $0.supplierID == supplierID }!
            try await audit.record(
                caller.auditEntry(
                    "product_supplier_set", entityType: "product", entityID: productID,
                    new: [
                        "supplier_id": .int(supplierID), "supplier_code": .string(linked.supplierCode),
                        "last_cost_cents": linked.lastCostCents.map(JSONValue.int) ?? .null,
                    ]), db)
            return linked
        }
    }

    /// Unlists the supplier for the product (404 when it was not listed).
    public func unlink(_ caller: Caller, productID: Int64, supplierID: Int64) async throws {
        try caller.require(.managePurchasing)
        try await database.withTransaction { transaction in
            let db = transaction.db
            try await requireProductAndSupplier(caller, productID: productID, supplierID: supplierID, transaction)
            guard try await suppliers.unlink(productID: productID, supplierID: supplierID, db) else { throw ShopError.notFound("Product supplier") }
            try await audit.record(
                caller.auditEntry("product_supplier_removed", entityType: "product", entityID: productID, old: ["supplier_id": .int(supplierID)]),
                db)
        }
    }

    /// 404 unless both the product and the supplier are the caller's company's.
    private func requireProductAndSupplier(_ caller: Caller, productID: Int64, supplierID: Int64, _ transaction: Transaction) async throws {
        guard try await catalog.names(ids: [productID], companyID: caller.companyID, transaction.db)[productID] != nil else {
            throw ShopError.notFound("Product")
        }
        guard try await suppliers.supplier(id: supplierID, companyID: caller.companyID, transaction.db) != nil else {
            throw ShopError.notFound("Supplier")
        }
    }

    /// `fields` applied to `supplier`, each checked: a name of 1 to 100 characters, an email that looks like one.
    static func applying(_ fields: SupplierFields, to supplier: Supplier) throws -> Supplier {
        var supplier = supplier
        if let name = fields.name {
            let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
            try Validation.checkText(name, field: "name", length: 1...100)
            supplier.name = name
        }
        if let contact = fields.contact {
            try Validation.checkText(contact, field: "contact", length: 0...100)
            supplier.contact = contact
        }
        if let email = fields.email {
            let email = email.trimmingCharacters(in: .whitespaces)
            try Validation.checkText(email, field: "email", length: 0...254)
            guard email.isEmpty || Validation.isEmail(email) else { throw ShopError.invalidField("email", "email must be an email address") }
            supplier.email = email
        }
        if let phone = fields.phone {
            try Validation.checkText(phone, field: "phone", length: 0...40)
            supplier.phone = phone
        }
        if let taxID = fields.taxID {
            try Validation.checkText(taxID, field: "tax_id", length: 0...40)
            supplier.taxID = taxID
        }
        if let notes = fields.notes {
            try Validation.checkText(notes, field: "notes", length: 0...1000)
            supplier.notes = notes
        }
        if let isActive = fields.isActive { supplier.isActive = isActive }
        return supplier
    }

    static func taken(_ name: String) -> ShopError {
        ShopError.conflict("A supplier named '\(name)' already exists", code: "duplicate_supplier", facts: ["field": .string("name")])
    }

    static func auditValues(_ supplier: Supplier) -> [String: JSONValue] {
        [
            "name": .string(supplier.name), "contact": .string(supplier.contact), "email": .string(supplier.email),
            "phone": .string(supplier.phone), "tax_id": .string(supplier.taxID), "is_active": .bool(supplier.isActive),
        ]
    }
}

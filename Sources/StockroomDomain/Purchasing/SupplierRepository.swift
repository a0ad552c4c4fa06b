import Foundation
import SQLKit

/// SQL for suppliers and the products they supply, scoped by company. Names are unique per company, whatever
/// their case.
struct SupplierRepository: Sendable {
    static let columns = SQLQueryString("id, company_id, name, contact, email, phone, tax_id, notes, is_active, created_at, updated_at")

    /// One page of the company's suppliers matching `filter`, by name, and how many match in all.
    func suppliers(
        companyID: Int64, _ filter: SupplierFilter, limit: Int, offset: Int, _ db: any SQLDatabase
    ) async throws -> (suppliers: [Supplier], total: Int) {
        var conditions = [SQLQueryString("company_id = \(bind: companyID)")]
        if let active = filter.active { conditions.append("is_active = \(bind: active)") }
        if let search = filter.search, !search.isEmpty {
            let pattern = "%" + SQLText.escapeLike(search.lowercased()) + "%"
            conditions.append(
                """
                (LOWER(name) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(contact) LIKE \(bind: pattern) ESCAPE '\\'
                 OR LOWER(email) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(tax_id) LIKE \(bind: pattern) ESCAPE '\\')
                """)
        }
        let whereClause = conditions.joined(separator: " AND ")
        let total = try await db.raw("SELECT COUNT(*) AS n FROM suppliers WHERE \(whereClause)").first(decodingColumn: "n", as: Int.self) ?? 0
        let rows = try await db.raw(
            "SELECT \(Self.columns) FROM suppliers WHERE \(whereClause) ORDER BY LOWER(name), id LIMIT \(bind: limit) OFFSET \(bind: offset)"
        ).all()
        return (try rows.map(Supplier.init(row:)), total)
    }

    func supplier(id: Int64, companyID: Int64, _ db: any SQLDatabase) async throws -> Supplier? {
        try await db.raw("SELECT \(Self.columns) FROM suppliers WHERE id = \(bind: id) AND company_id = \(bind: companyID)")
            .first().map(Supplier.init(row:))
    }

    func supplier(named name: String, companyID: Int64, _ db: any SQLDatabase) async throws -> Supplier? {
        try await db.raw(
            "SELECT \(Self.columns) FROM suppliers WHERE company_id = \(bind: companyID) AND LOWER(name) = LOWER(\(bind: name))"
        ).first().map(Supplier.init(row:))
    }

    func insert(_ supplier: Supplier, _ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw(
            """
            INSERT INTO suppliers (company_id, name, contact, email, phone, tax_id, notes, is_active, created_at, updated_at)
            VALUES (\(bind: supplier.companyID), \(bind: supplier.name), \(bind: supplier.contact), \(bind: supplier.email),
                    \(bind: supplier.phone), \(bind: supplier.taxID), \(bind: supplier.notes), \(bind: supplier.isActive),
                    \(bind: supplier.createdAt.unixMilliseconds), \(bind: supplier.updatedAt.unixMilliseconds))
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)!
    }

    func update(_ supplier: Supplier, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE suppliers SET name = \(bind: supplier.name), contact = \(bind: supplier.contact), email = \(bind: supplier.email),
                phone = \(bind: supplier.phone), tax_id = \(bind: supplier.taxID), notes = \(bind: supplier.notes),
                is_active = \(bind: supplier.isActive), updated_at = \(bind: supplier.updatedAt.unixMilliseconds)
            WHERE id = \(bind: supplier.id) AND company_id = \(bind: supplier.companyID)
            """
        ).run()
    }

    /// The suppliers of a product (the caller checked it is the company's), by supplier name.
    func productSuppliers(productID: Int64, _ db: any SQLDatabase) async throws -> [ProductSupplier] {
        try await db.raw(
            """
            SELECT ps.product_id, ps.supplier_id, s.name AS supplier_name, ps.supplier_code, ps.last_cost_cents, ps.updated_at
            FROM product_suppliers ps JOIN suppliers s ON s.id = ps.supplier_id
            WHERE ps.product_id = \(bind: productID) ORDER BY LOWER(s.name), s.id
            """
        ).all().map(ProductSupplier.init(row:))
    }

    /// Lists the supplier for the product, or changes what is kept of it: `code` and `lastCostCents` when given
    /// (nil keeps what is there; a new link starts with an empty code and no cost).
    func link(productID: Int64, supplierID: Int64, code: String?, lastCostCents: Int64?, _ db: any SQLDatabase) async throws {
        let now = Date.now.unixMilliseconds
        try await db.raw(
            """
            INSERT INTO product_suppliers (product_id, supplier_id, supplier_code, last_cost_cents, updated_at)
            VALUES (\(bind: productID), \(bind: supplierID), \(bind: code ?? ""), \(bind: lastCostCents), \(bind: now))
            ON CONFLICT (product_id, supplier_id) DO UPDATE SET
                supplier_code = COALESCE(\(bind: code), product_suppliers.supplier_code),
                last_cost_cents = COALESCE(\(bind: lastCostCents), product_suppliers.last_cost_cents),
                updated_at = excluded.updated_at
            """
        ).run()
    }

    /// Unlists the supplier for the product; false when it was not listed.
    func unlink(productID: Int64, supplierID: Int64, _ db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw(
            "DELETE FROM product_suppliers WHERE product_id = \(bind: productID) AND supplier_id = \(bind: supplierID) RETURNING product_id"
        ).all()).isEmpty
    }
}

extension Supplier {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: Int64.self), companyID: try row.decode(column: "company_id", as: Int64.self),
            name: try row.decode(column: "name", as: String.self), contact: try row.decode(column: "contact", as: String.self),
            email: try row.decode(column: "email", as: String.self), phone: try row.decode(column: "phone", as: String.self),
            taxID: try row.decode(column: "tax_id", as: String.self), notes: try row.decode(column: "notes", as: String.self),
            isActive: try row.decode(column: "is_active", as: Bool.self),
            createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(unixMilliseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }
}

extension ProductSupplier {
    init(row: any SQLRow) throws {
        self.init(
            productID: try row.decode(column: "product_id", as: Int64.self), supplierID: try row.decode(column: "supplier_id", as: Int64.self),
            supplierName: try row.decode(column: "supplier_name", as: String.self),
            supplierCode: try row.decode(column: "supplier_code", as: String.self),
            lastCostCents: try row.decode(column: "last_cost_cents", as: Int64?.self),
            updatedAt: Date(unixMilliseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }
}

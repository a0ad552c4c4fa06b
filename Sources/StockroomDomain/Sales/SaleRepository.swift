import Foundation
import SQLKit

/// Which sales a list shows: always one company; store, vendor, product name and days optional.
public struct SaleFilter: Sendable {
    public var companyID: Int64
    public var storeID: Int64?
    public var vendorID: Int64?
    public var vendorName: String?
    /// Part of the seller's username (StockManager's `vendedor` filter).
    public var vendorNameContains: String?
    public var productName: String?
    public var from: Date?
    public var to: Date?

    public init(
        companyID: Int64, storeID: Int64? = nil, vendorID: Int64? = nil, vendorName: String? = nil, vendorNameContains: String? = nil,
        productName: String? = nil, from: Date? = nil, to: Date? = nil
    ) {
        self.companyID = companyID
        self.storeID = storeID
        self.vendorID = vendorID
        self.vendorName = vendorName
        self.vendorNameContains = vendorNameContains
        self.productName = productName
        self.from = from
        self.to = to
    }
}

/// SQL for sales, their lines and the bill-number counters. Every read is scoped by company.
struct SaleRepository: Sendable {
    public init() {}

    /// The last of the store's next `count` bill numbers (the first is `count - 1` below it), inside the sales'
    /// transaction: the counter row is locked until commit, and a rollback returns the numbers, so numbers never
    /// repeat or skip.
    func takeBillNumbers(storeID: Int64, count: Int64, _ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw(
            """
            INSERT INTO store_bill_counters (store_id, last_number) VALUES (\(bind: storeID), \(bind: count))
            ON CONFLICT (store_id) DO UPDATE SET last_number = store_bill_counters.last_number + excluded.last_number
            RETURNING last_number
            """
        ).first(decodingColumn: "last_number", as: Int64.self)!
    }

    /// A new sale's columns but its id, and their values (`billNumber` in its place); `insertNew` writes the id too.
    static let saleColumns = """
        company_id, store_id, vendor_id, bill_number, status, payment_method, customer, subtotal_cents, discount_cents, tax_cents,
        total_cents, tax_rate_basis_points, prices_include_tax, created_at, updated_at
        """

    static func saleValues(_ sale: Sale, billNumber: Int64) -> SQLQueryString {
        """
        \(bind: sale.companyID), \(bind: sale.storeID), \(bind: sale.vendorID), \(bind: billNumber), \(bind: sale.status.rawValue),
        \(bind: sale.paymentMethod.rawValue), \(bind: sale.customer), \(bind: sale.subtotalCents), \(bind: sale.discountCents),
        \(bind: sale.taxCents), \(bind: sale.totalCents), \(bind: sale.tax.rateBasisPoints), \(bind: sale.tax.pricesIncludeTax),
        \(bind: sale.createdAt.unixMilliseconds), \(bind: sale.updatedAt.unixMilliseconds)
        """
    }

    func replaceLines(saleID: Int64, _ lines: [SaleLine], _ db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM sale_lines WHERE sale_id = \(bind: saleID)").run()
        try await insertLines([(saleID, lines)], db)
    }

    /// The lines of new sales (a sale has at most `SaleService.maxLines`; a batch of sales at most
    /// `SaleBatches.maxLines` lines: both far below either engine's limit on bound values).
    func insertLines(_ sales: [(saleID: Int64, lines: [SaleLine])], _ db: any SQLDatabase) async throws {
        let rows: [SQLQueryString] = sales.flatMap { saleID, lines in
            lines.map { line in
                """
                (\(bind: saleID), \(bind: line.productID), \(bind: line.quantity), \(bind: line.unitPriceCents), \(bind: line.unitCostCents),
                 \(bind: line.discountBasisPoints), \(bind: line.lineTotalCents))
                """
            }
        }
        try await db.insertRows(
            "INSERT INTO sale_lines (sale_id, product_id, quantity, unit_price_cents, unit_cost_cents, discount_basis_points, line_total_cents)",
            rows)
    }

    /// Totals, payment method and status after an edit or a void.
    public func update(_ sale: Sale, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE sales SET status = \(bind: sale.status.rawValue), payment_method = \(bind: sale.paymentMethod.rawValue),
                vendor_id = \(bind: sale.vendorID),
                subtotal_cents = \(bind: sale.subtotalCents), discount_cents = \(bind: sale.discountCents), tax_cents = \(bind: sale.taxCents),
                total_cents = \(bind: sale.totalCents), updated_at = \(bind: Date.now.unixMilliseconds)
            WHERE id = \(bind: sale.id) AND company_id = \(bind: sale.companyID)
            """
        ).run()
    }

    /// Claims a completed sale for an edit or a void: touches its row first, so that on PostgreSQL a concurrent
    /// edit or void of the same sale waits and then finds it changed. False when there is no completed sale.
    func lockCompleted(id: Int64, companyID: Int64, _ db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE sales SET updated_at = \(bind: Date.now.unixMilliseconds)
            WHERE id = \(bind: id) AND company_id = \(bind: companyID) AND status = 'completed' RETURNING id
            """
        ).all()).isEmpty
    }

    public func sale(id: Int64, companyID: Int64, _ db: any SQLDatabase) async throws -> Sale? {
        try await sales(where: "s.id = \(bind: id) AND s.company_id = \(bind: companyID)", limit: 1, offset: 0, db).first
    }

    /// A page of sales matching `filter`, newest first, and the total.
    public func sales(_ filter: SaleFilter, limit: Int, offset: Int, _ db: any SQLDatabase) async throws -> (sales: [Sale], total: Int) {
        var conditions: [SQLQueryString] = ["s.company_id = \(bind: filter.companyID)"]
        if let storeID = filter.storeID { conditions.append("s.store_id = \(bind: storeID)") }
        if let vendorID = filter.vendorID { conditions.append("s.vendor_id = \(bind: vendorID)") }
        if let name = filter.vendorName {
            conditions.append(
                "s.vendor_id IN (SELECT id FROM users WHERE company_id = \(bind: filter.companyID) AND LOWER(username) = LOWER(\(bind: name)))")
        }
        if let part = filter.vendorNameContains {
            let pattern = "%" + SQLText.escapeLike(part.lowercased()) + "%"
            conditions.append(
                """
                s.vendor_id IN (SELECT id FROM users WHERE company_id = \(bind: filter.companyID) AND LOWER(username) LIKE \(bind: pattern) ESCAPE '\\')
                """)
        }
        if let product = filter.productName {
            let pattern = "%" + SQLText.escapeLike(product.lowercased()) + "%"
            conditions.append(
                """
                s.id IN (SELECT l.sale_id FROM sale_lines l JOIN products p ON p.id = l.product_id
                         WHERE p.company_id = \(bind: filter.companyID) AND (LOWER(p.name) LIKE \(bind: pattern) ESCAPE '\\' OR p.barcode = \(bind: product)))
                """)
        }
        if let from = filter.from { conditions.append("s.created_at >= \(bind: from.unixMilliseconds)") }
        if let to = filter.to { conditions.append("s.created_at < \(bind: to.unixMilliseconds)") }
        let whereClause = conditions.joined(separator: " AND ")
        let total = try await db.raw("SELECT COUNT(*) AS n FROM sales s WHERE \(whereClause)").first(decodingColumn: "n", as: Int.self) ?? 0
        return (try await sales(where: whereClause, limit: limit, offset: offset, db), total)
    }

    private func sales(where condition: SQLQueryString, limit: Int, offset: Int, _ db: any SQLDatabase) async throws -> [Sale] {
        let rows = try await db.raw(
            """
            SELECT s.id, s.company_id, s.store_id, s.vendor_id, u.username AS vendor_name, s.bill_number, s.status, s.payment_method,
                   s.customer, s.subtotal_cents, s.discount_cents, s.tax_cents, s.total_cents, s.tax_rate_basis_points,
                   s.prices_include_tax, s.created_at, s.updated_at
            FROM sales s JOIN users u ON u.id = s.vendor_id
            WHERE \(condition) ORDER BY s.created_at DESC, s.id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all()
        var sales = try rows.map { row in
            Sale(
                id: try row.decode(column: "id", as: Int64.self), companyID: try row.decode(column: "company_id", as: Int64.self),
                storeID: try row.decode(column: "store_id", as: Int64.self), vendorID: try row.decode(column: "vendor_id", as: Int64.self),
                vendorName: try row.decode(column: "vendor_name", as: String.self),
                billNumber: try row.decode(column: "bill_number", as: Int64.self),
                status: SaleStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .completed,
                paymentMethod: PaymentMethod(rawValue: try row.decode(column: "payment_method", as: String.self)) ?? .other,
                customer: try row.decode(column: "customer", as: String?.self),
                subtotalCents: try row.decode(column: "subtotal_cents", as: Int64.self),
                discountCents: try row.decode(column: "discount_cents", as: Int64.self),
                taxCents: try row.decode(column: "tax_cents", as: Int64.self), totalCents: try row.decode(column: "total_cents", as: Int64.self),
                tax: TaxSettings(
                    rateBasisPoints: try row.decode(column: "tax_rate_basis_points", as: Int64.self),
                    pricesIncludeTax: try row.decode(column: "prices_include_tax", as: Bool.self)),
                lines: [], createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                updatedAt: Date(unixMilliseconds: try row.decode(column: "updated_at", as: Int64.self)))
        }
        guard !sales.isEmpty else { return [] }
        // One query for the lines of the whole page.
        let lineRows = try await db.raw(
            """
            SELECT l.sale_id, l.product_id, p.name, l.quantity, l.unit_price_cents, l.unit_cost_cents, l.discount_basis_points, l.line_total_cents
            FROM sale_lines l JOIN products p ON p.id = l.product_id
            WHERE l.sale_id IN (\(binds: sales.map(\.id))) ORDER BY l.id
            """
        ).all()
        var linesBySale: [Int64: [SaleLine]] = [:]
        for row in lineRows {
            linesBySale[try row.decode(column: "sale_id", as: Int64.self), default: []].append(
                SaleLine(
                    productID: try row.decode(column: "product_id", as: Int64.self), productName: try row.decode(column: "name", as: String.self),
                    quantity: try row.decode(column: "quantity", as: Int64.self),
                    unitPriceCents: try row.decode(column: "unit_price_cents", as: Int64.self),
                    unitCostCents: try row.decode(column: "unit_cost_cents", as: Int64.self),
                    discountBasisPoints: try row.decode(column: "discount_basis_points", as: Int64.self),
                    lineTotalCents: try row.decode(column: "line_total_cents", as: Int64.self)))
        }
        for index in sales.indices { sales[index].lines = linesBySale[sales[index].id] ?? [] }
        return sales
    }

    public func tax(companyID: Int64, _ db: any SQLDatabase) async throws -> TaxSettings {
        let row = try await db.raw(
            """
            SELECT tax_rate_basis_points, prices_include_tax FROM companies WHERE id = \(bind: companyID)
            """
        ).first()
        return try row.map(TaxSettings.init(row:)) ?? TaxSettings(rateBasisPoints: 0, pricesIncludeTax: false)
    }

    /// The company's store a new sale is made in (nil when there is none) and the company's tax, in one read: a
    /// sale makes it on its way to its batch, and every statement there is a round trip and a plan on PostgreSQL.
    func sellingStore(_ storeID: Int64, companyID: Int64, _ db: any SQLDatabase) async throws -> (store: Store, tax: TaxSettings)? {
        try await db.raw(
            """
            SELECT s.id, s.company_id, s.name, s.address, s.is_active, s.created_at, c.tax_rate_basis_points, c.prices_include_tax
            FROM stores s JOIN companies c ON c.id = s.company_id
            WHERE s.id = \(bind: storeID) AND s.company_id = \(bind: companyID)
            """
        ).first().map { (try Store(row: $0), try TaxSettings(row: $0)) }
    }

    public func setTax(_ tax: TaxSettings, companyID: Int64, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE companies SET tax_rate_basis_points = \(bind: tax.rateBasisPoints), prices_include_tax = \(bind: tax.pricesIncludeTax)
            WHERE id = \(bind: companyID)
            """
        ).run()
    }
}

extension TaxSettings {
    init(row: any SQLRow) throws {
        self.init(
            rateBasisPoints: try row.decode(column: "tax_rate_basis_points", as: Int64.self),
            pricesIncludeTax: try row.decode(column: "prices_include_tax", as: Bool.self))
    }
}

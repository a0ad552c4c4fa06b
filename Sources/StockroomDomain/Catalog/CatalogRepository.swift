import Foundation
import SQLKit

/// How a product list is cut: one company, one store's view of stock, and StockManager's filters.
public struct ProductQuery: Sendable {
    /// `archived`: only the products archived in the store (every other mode leaves those out); `discontinued`:
    /// StockManager's products off sale — disabled for the company or archived in the store.
    public enum ViewMode: String, Sendable {
        case all
        case inStock = "in_stock"
        case lowStock = "low_stock"
        case outOfStock = "out_of_stock"
        case archived, discontinued
    }
    public enum Sort: String, Sendable { case name, stock, price }

    public var companyID: Int64
    public var storeID: Int64
    public var includeDisabled = false
    public var search: String?
    public var viewMode = ViewMode.all
    public var sort = Sort.name
    public var descending = false
    /// False when nobody reads the total (the till's lookup): a search need not find every match to count them and
    /// may stop at its page; the total reported is the page's size.
    public var counted = true
    /// The till's lookup: a product whose barcode is the search text itself (as typed, upper or lower case) comes
    /// first, however many names contain it — a short in-store code like `42` must win over "Tile 42×42".
    public var exactCodeFirst = false
}

extension ProductQuery {
    // (in an extension, so the memberwise initializer stays for whoever sets more at once)
    public init(companyID: Int64, storeID: Int64, includeDisabled: Bool = false) {
        self.init(companyID: companyID, storeID: storeID, includeDisabled: includeDisabled, search: nil)
    }
}

/// SQL for products and categories. Every statement is scoped by company.
struct CatalogRepository: Sendable {
    public init() {}

    /// A product as one store sees it; the caller joins that store's `stock_levels` as `s`. `extra` adds columns;
    /// `products` is what `p` is read from (a page of ids joined to the products, for one).
    static func storeProductSelect(_ extra: String = "", products: SQLQueryString = "products p") -> SQLQueryString {
        """
        SELECT p.id, p.company_id, p.category_id, c.name AS category_name, p.barcode, p.name, p.description, p.price_cents,
               p.cost_cents, p.expiration_date, p.image_url, p.is_active, p.created_at, p.updated_at,
               COALESCE(s.in_stock, 0) AS stock, COALESCE(s.min_stock, 0) AS min_stock, COALESCE(s.is_active, TRUE) AS store_active\(unsafeRaw: extra)
        FROM \(products)
        LEFT JOIN categories c ON c.id = p.category_id
        """
    }

    /// One store's view of one product of the company.
    func storeProduct(id: Int64, companyID: Int64, storeID: Int64, _ db: any SQLDatabase) async throws -> StoreProduct? {
        try await db.raw(
            """
            \(Self.storeProductSelect())
            LEFT JOIN stock_levels s ON s.product_id = p.id AND s.store_id = \(bind: storeID)
            WHERE p.id = \(bind: id) AND p.company_id = \(bind: companyID)
            """
        ).first().map { try StoreProduct(row: $0, storeID: storeID) }
    }

    /// One store's view of several products of the company, by id (the missing ones left out): a sale's lines in
    /// one statement.
    func storeProducts(ids: [Int64], companyID: Int64, storeID: Int64, _ db: any SQLDatabase) async throws -> [Int64: StoreProduct] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.raw(
            """
            \(Self.storeProductSelect())
            LEFT JOIN stock_levels s ON s.product_id = p.id AND s.store_id = \(bind: storeID)
            WHERE p.id IN (\(binds: ids)) AND p.company_id = \(bind: companyID)
            """
        ).all()
        return try Dictionary(rows.map { try StoreProduct(row: $0, storeID: storeID) }.map { ($0.product.id, $0) }) { first, _ in first }
    }

    /// A page of products as `query.storeID` sees them; products archived in that store are left out (or are the
    /// only ones, in the `archived` view).
    func storeProducts(
        _ query: ProductQuery, limit: Int, offset: Int, _ db: any SQLDatabase
    ) async throws -> (products: [StoreProduct], total: Int) {
        let plain = (query.search ?? "").isEmpty && (query.viewMode == .all || query.viewMode == .archived)
        if plain, query.viewMode == .all, query.sort == .name {
            return try await namePage(query, limit: limit, offset: offset, db)
        }
        let archived: SQLQueryString =
            switch query.viewMode {
            case .archived: "s.is_active = FALSE"
            case .discontinued: "(NOT p.is_active OR s.is_active = FALSE)"
            default: "(s.is_active IS NULL OR s.is_active)"
            }
        var conditions: [SQLQueryString] = ["p.company_id = \(bind: query.companyID)", archived]
        if !query.includeDisabled { conditions.append("p.is_active") }
        switch query.viewMode {
        case .all, .archived, .discontinued: break
        case .inStock: conditions.append("COALESCE(s.in_stock, 0) > 0")
        case .lowStock: conditions.append("COALESCE(s.in_stock, 0) > 0 AND COALESCE(s.in_stock, 0) <= COALESCE(s.min_stock, 0)")
        case .outOfStock: conditions.append("COALESCE(s.in_stock, 0) = 0")
        }
        let unsearched = conditions
        if let search = query.search, !search.isEmpty { conditions.append(SQLText.productSearch(search, db)) }
        let column =
            switch query.sort {
            case .name: "LOWER(p.name)"
            case .stock: "COALESCE(s.in_stock, 0)"
            case .price: "p.price_cents"
            }
        let direction = query.descending ? "DESC" : "ASC"
        // A filtered list scans anyway, so its one scan counts too (`COUNT(*) OVER ()`, computed before LIMIT).
        let scanCounts = query.counted && !plain
        let rows = try await db.raw(
            """
            \(Self.storeProductSelect(scanCounts ? ", COUNT(*) OVER () AS total_rows" : ""))
            LEFT JOIN stock_levels s ON s.product_id = p.id AND s.store_id = \(bind: query.storeID)
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(unsafeRaw: column) \(unsafeRaw: direction), p.id \(unsafeRaw: direction)
            LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all()
        var products = try rows.map { try StoreProduct(row: $0, storeID: query.storeID) }
        if query.exactCodeFirst, offset == 0, let search = query.search, !search.isEmpty {
            // Its own lookup on the barcode index: the page above is in name order and may not reach the match.
            // (Barcodes are unique as written, so "abc" and "ABC" may both exist: the code as typed comes first.)
            let codes = Array(Set([search, search.uppercased(), search.lowercased()]))
            let exact = try await db.raw(
                """
                \(Self.storeProductSelect())
                LEFT JOIN stock_levels s ON s.product_id = p.id AND s.store_id = \(bind: query.storeID)
                WHERE \(unsearched.joined(separator: " AND ")) AND p.barcode IN (\(binds: codes))
                ORDER BY CASE WHEN p.barcode = \(bind: search) THEN 0 ELSE 1 END, p.id
                """
            ).all().map { try StoreProduct(row: $0, storeID: query.storeID) }
            let exactIDs = Set(exact.map(\.product.id))
            products = Array((exact + products.filter { !exactIDs.contains($0.product.id) }).prefix(limit))
        }
        if !query.counted { return (products, products.count) }
        if plain { return (products, try await plainTotal(query, db)) }
        if let first = rows.first { return (products, try first.decode(column: "total_rows", as: Int.self)) }
        // A page past the end: the count needs a query of its own.
        let total =
            try await db.raw(
                """
                SELECT COUNT(*) AS n FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id AND s.store_id = \(bind: query.storeID)
                WHERE \(conditions.joined(separator: " AND "))
                """
            ).first(decodingColumn: "n", as: Int.self) ?? 0
        return (products, total)
    }

    /// The plain list in name order, the one every client pages through. The page is found on an index alone
    /// (company, active, name, id — skipping to page 100 reads 5,000 index entries, not 5,000 products joined to
    /// their stock), then its products are read by id; the total is the company's count (`company_product_counts`,
    /// kept by triggers) less the products archived in the store. A join per skipped product made a deep page cost
    /// milliseconds.
    private func namePage(
        _ query: ProductQuery, limit: Int, offset: Int, _ db: any SQLDatabase
    ) async throws -> (products: [StoreProduct], total: Int) {
        let direction = query.descending ? "DESC" : "ASC"
        var conditions: [SQLQueryString] = ["q.company_id = \(bind: query.companyID)"]
        // `= TRUE`, not the bare flag: only an equality lets the index's second column narrow the range.
        if !query.includeDisabled { conditions.append("q.is_active = TRUE") }
        // In the page's own statement (not decided from the count, a statement apart): a product archived between
        // the two must not show up in the page.
        conditions.append(
            """
            q.id NOT IN (SELECT a.product_id FROM stock_levels a WHERE a.store_id = \(bind: query.storeID) AND a.is_active = FALSE)
            """)
        // The page's ids, then their products. (PostgreSQL still joins them by hashing every product — a sequential
        // scan it costs below 50 index probes at 10,000 products; on a freshly loaded table its walk to the offset
        // also reads the table, until VACUUM marks the pages visible. See BENCHMARKS.md, fourth sitting.)
        let page: SQLQueryString = """
            (SELECT q.id FROM products q WHERE \(conditions.joined(separator: " AND "))
             ORDER BY LOWER(q.name) \(unsafeRaw: direction), q.id \(unsafeRaw: direction)
             LIMIT \(bind: limit) OFFSET \(bind: offset)) page
            JOIN products p ON p.id = page.id
            """
        let rows = try await db.raw(
            """
            \(Self.storeProductSelect(products: page))
            LEFT JOIN stock_levels s ON s.product_id = p.id AND s.store_id = \(bind: query.storeID)
            ORDER BY LOWER(p.name) \(unsafeRaw: direction), p.id \(unsafeRaw: direction)
            """
        ).all()
        let products = try rows.map { try StoreProduct(row: $0, storeID: query.storeID) }
        guard query.counted else { return (products, products.count) }
        return (products, try await plainTotal(query, db))
    }

    /// An unfiltered list's total: the products archived in the store for the archived view, else the company's
    /// (active, unless disabled ones are listed) products — kept by triggers — less those.
    private func plainTotal(_ query: ProductQuery, _ db: any SQLDatabase) async throws -> Int {
        let archived = try await archivedCount(query, db)
        if query.viewMode == .archived { return archived }
        let column = query.includeDisabled ? "products" : "active_products"
        let all =
            try await db.raw(
                """
                SELECT \(unsafeRaw: column) AS n FROM company_product_counts WHERE company_id = \(bind: query.companyID)
                """
            ).first(decodingColumn: "n", as: Int.self) ?? 0
        return all - archived
    }

    /// The company's (active, unless disabled ones are listed) products archived in the store, from the index on
    /// archived levels: the archived view's total, and what the plain list's total leaves out.
    private func archivedCount(_ query: ProductQuery, _ db: any SQLDatabase) async throws -> Int {
        let active: SQLQueryString = query.includeDisabled ? "TRUE" : "p.is_active"
        return try await db.raw(
            """
            SELECT COUNT(*) AS n FROM stock_levels s
            WHERE s.store_id = \(bind: query.storeID) AND s.is_active = FALSE
              AND EXISTS (SELECT 1 FROM products p WHERE p.id = s.product_id AND p.company_id = \(bind: query.companyID) AND \(active))
            """
        ).first(decodingColumn: "n", as: Int.self) ?? 0
    }

    public func names(ids: [Int64], companyID: Int64, _ db: any SQLDatabase) async throws -> [Int64: String] {
        let rows = try await db.raw("SELECT id, name FROM products WHERE company_id = \(bind: companyID) AND id IN (\(binds: ids))").all()
        return Dictionary(
            uniqueKeysWithValues: try rows.map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "name", as: String.self)) })
    }

    func barcodeTaken(_ barcode: String, companyID: Int64, excluding productID: Int64? = nil, _ db: any SQLDatabase) async throws -> Bool {
        try await db.raw(
            """
            SELECT COUNT(*) AS n FROM products
            WHERE company_id = \(bind: companyID) AND barcode = \(bind: barcode) AND id <> \(bind: productID ?? 0)
            """
        ).first(decodingColumn: "n", as: Int.self) ?? 0 > 0
    }

    func insertProduct(_ product: Product, _ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw(
            """
            INSERT INTO products (company_id, category_id, barcode, name, description, price_cents, cost_cents, expiration_date,
                                  image_url, is_active, created_at, updated_at)
            VALUES (\(bind: product.companyID), \(bind: product.categoryID), \(bind: product.barcode), \(bind: product.name),
                    \(bind: product.description), \(bind: product.priceCents), \(bind: product.costCents),
                    \(bind: product.expirationDate), \(bind: product.imageURL), \(bind: product.isActive),
                    \(bind: product.createdAt.unixMilliseconds), \(bind: product.updatedAt.unixMilliseconds))
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)!
    }

    /// Writes the product's fields; its cost only with `writingCost` (a cost set by hand): a receipt may have moved
    /// the average since the product was read, and writing back the cost read would undo it.
    func updateProduct(_ product: Product, writingCost: Bool, _ db: any SQLDatabase) async throws {
        let cost: SQLQueryString = writingCost ? ", cost_cents = \(bind: product.costCents)" : ""
        try await db.raw(
            """
            UPDATE products SET category_id = \(bind: product.categoryID), barcode = \(bind: product.barcode), name = \(bind: product.name),
                description = \(bind: product.description), price_cents = \(bind: product.priceCents)\(cost),
                expiration_date = \(bind: product.expirationDate), image_url = \(bind: product.imageURL), is_active = \(bind: product.isActive),
                updated_at = \(bind: Date.now.unixMilliseconds)
            WHERE id = \(bind: product.id) AND company_id = \(bind: product.companyID)
            """
        ).run()
    }
}

extension Product {
    /// A product from a row of `storeProductSelect` or of the inventory lists (which name the flag `activeColumn`).
    init(row: any SQLRow, activeColumn: String = "is_active") throws {
        self.init(
            id: try row.decode(column: "id", as: Int64.self), companyID: try row.decode(column: "company_id", as: Int64.self),
            categoryID: try row.decode(column: "category_id", as: Int64?.self),
            categoryName: try row.decode(column: "category_name", as: String?.self),
            barcode: try row.decode(column: "barcode", as: String.self), name: try row.decode(column: "name", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            priceCents: try row.decode(column: "price_cents", as: Int64.self), costCents: try row.decode(column: "cost_cents", as: Int64.self),
            expirationDate: try row.decode(column: "expiration_date", as: String?.self),
            imageURL: try row.decode(column: "image_url", as: String?.self), isActive: try row.decode(column: activeColumn, as: Bool.self),
            createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(unixMilliseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }
}

extension StoreProduct {
    init(row: any SQLRow, storeID: Int64) throws {
        self.init(
            product: try Product(row: row), storeID: storeID, stock: try row.decode(column: "stock", as: Int64.self),
            minStock: try row.decode(column: "min_stock", as: Int64.self), isActiveInStore: try row.decode(column: "store_active", as: Bool.self))
    }
}

import SQLKit

/// The SQL behind reports. Sales figures come from the rollup tables (`SalesRollup`), stock from the levels;
/// every query is bounded by the caller's company and, when given, one store. Sums are cast back to BIGINT:
/// PostgreSQL widens a BIGINT sum to NUMERIC.
struct ReportRepository: Sendable {
    public init() {}

    /// Completed sales by local day over `days`, summed over the scope's stores (days without sales absent).
    public func days(_ scope: ReportScope, _ days: ClosedRange<Int64>, _ db: any SQLDatabase) async throws -> [Int64: SalesTotals] {
        let rows = try await db.raw(
            """
            SELECT local_hour / 24 AS local_day, \(Self.totals)
            FROM sales_hourly
            WHERE \(rollupScope(scope)) AND local_hour >= \(bind: days.lowerBound * 24) AND local_hour < \(bind: (days.upperBound + 1) * 24)
            GROUP BY local_hour / 24
            """
        ).all()
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode(column: "local_day", as: Int64.self), try Self.totals($0)) })
    }

    /// The first day (on the business clock) with a completed sale in the scope; nil before the first sale. Days
    /// before it are not days without sales: the shop was not trading yet, so charts leave them out.
    public func firstSaleDay(_ scope: ReportScope, _ db: any SQLDatabase) async throws -> Int64? {
        try await db.raw(
            """
            SELECT MIN(local_hour) / 24 AS first_day FROM sales_hourly WHERE \(rollupScope(scope)) AND sales > 0
            """
        ).first(decodingColumn: "first_day", as: Int64?.self) ?? nil
    }

    /// Completed sales of `period` by weekday and hour of the day (day 0, 1970-01-01, was a Thursday: weekday 3).
    public func clock(_ scope: ReportScope, _ period: ReportPeriod, _ db: any SQLDatabase) async throws -> [ClockCell] {
        try await db.raw(
            """
            SELECT (local_hour / 24 + 3) % 7 AS weekday_index, local_hour % 24 AS hour_of_day, \(Self.totals)
            FROM sales_hourly
            WHERE \(rollupScope(scope)) AND local_hour >= \(bind: period.firstDay * 24) AND local_hour < \(bind: (period.lastDay + 1) * 24)
            GROUP BY weekday_index, hour_of_day
            """
        ).all().map { row in
            ClockCell(
                weekday: try row.decode(column: "weekday_index", as: Int.self), hour: try row.decode(column: "hour_of_day", as: Int.self),
                totals: try Self.totals(row))
        }
    }

    private static let totals: SQLQueryString = """
        CAST(SUM(sales) AS BIGINT) AS sales, CAST(SUM(revenue_cents) AS BIGINT) AS revenue, CAST(SUM(tax_cents) AS BIGINT) AS tax,
        CAST(SUM(units) AS BIGINT) AS units, CAST(SUM(cost_cents) AS BIGINT) AS cost
        """

    private static func totals(_ row: any SQLRow) throws -> SalesTotals {
        SalesTotals(
            sales: try row.decode(column: "sales", as: Int64.self), revenueCents: try row.decode(column: "revenue", as: Int64.self),
            taxCents: try row.decode(column: "tax", as: Int64.self), units: try row.decode(column: "units", as: Int64.self),
            costCents: try row.decode(column: "cost", as: Int64.self))
    }

    /// The best sellers of `period` by takings (ties by units, then id): whole 28-day blocks from
    /// `product_sales_blocks`, the days at either end from `product_sales_daily`.
    public func topProducts(_ scope: ReportScope, _ period: ReportPeriod, limit: Int, _ db: any SQLDatabase) async throws -> [ProductSales] {
        let (blocks, days) = period.blocks
        var parts: [SQLQueryString] = days.map { days in
            """
            SELECT product_id, units, revenue_cents, cost_cents FROM product_sales_daily
            WHERE \(rollupScope(scope)) AND local_day >= \(bind: days.lowerBound) AND local_day <= \(bind: days.upperBound)
            """
        }
        if let blocks {
            parts.append(
                """
                SELECT product_id, units, revenue_cents, cost_cents FROM product_sales_blocks
                WHERE \(rollupScope(scope)) AND block >= \(bind: blocks.lowerBound) AND block <= \(bind: blocks.upperBound)
                """)
        }
        return try await db.raw(
            """
            SELECT p.id, p.name, p.barcode, sold.units, sold.revenue, sold.cost
            FROM (
                SELECT product_id, CAST(SUM(units) AS BIGINT) AS units, CAST(SUM(revenue_cents) AS BIGINT) AS revenue,
                       CAST(SUM(cost_cents) AS BIGINT) AS cost
                FROM (\(parts.joined(separator: " UNION ALL "))) parts
                GROUP BY product_id
                HAVING CAST(SUM(units) AS BIGINT) > 0
            ) sold JOIN products p ON p.id = sold.product_id
            ORDER BY sold.units DESC, sold.revenue DESC, p.id
            LIMIT \(bind: limit)
            """
        ).all().map { row in
            ProductSales(
                productID: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                barcode: try row.decode(column: "barcode", as: String.self), units: try row.decode(column: "units", as: Int64.self),
                revenueCents: try row.decode(column: "revenue", as: Int64.self), costCents: try row.decode(column: "cost", as: Int64.self))
        }
    }

    /// Active products sold in `period`, with their stock in the scope: the inputs of the days-of-stock forecast.
    public func pace(_ scope: ReportScope, _ period: ReportPeriod, _ db: any SQLDatabase) async throws -> [ProductPace] {
        try await db.raw(
            """
            SELECT p.id, p.name, p.barcode, COALESCE(stock.units, 0) AS stock, COALESCE(stock.minimum, 0) AS minimum, sold.units AS sold
            FROM (
                SELECT product_id, CAST(SUM(units) AS BIGINT) AS units FROM product_sales_daily
                WHERE \(rollupScope(scope)) AND local_day >= \(bind: period.firstDay) AND local_day <= \(bind: period.lastDay)
                GROUP BY product_id
                HAVING CAST(SUM(units) AS BIGINT) > 0
            ) sold
            JOIN products p ON p.id = sold.product_id AND p.is_active
            LEFT JOIN (
                SELECT l.product_id, CAST(SUM(l.in_stock) AS BIGINT) AS units, CAST(SUM(l.min_stock) AS BIGINT) AS minimum
                FROM stock_levels l JOIN stores st ON st.id = l.store_id
                WHERE \(levelScope(scope)) AND l.is_active GROUP BY l.product_id
            ) stock ON stock.product_id = p.id
            """
        ).all().map { row in
            ProductPace(
                productID: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                barcode: try row.decode(column: "barcode", as: String.self), stock: try row.decode(column: "stock", as: Int64.self),
                minStock: try row.decode(column: "minimum", as: Int64.self), unitsSold: try row.decode(column: "sold", as: Int64.self))
        }
    }

    /// Which stock levels an alert lists.
    enum LevelCondition: Sendable {
        case outOfStock
        /// In stock, at or under the minimum: the same rule as the low-stock notification and product filter.
        case lowStock
        /// In stock but not sold in the period: money sitting on the shelf, largest first.
        case noMovement(ReportPeriod)
    }

    /// Up to `limit` levels of active products in open stores matching `condition`, and how many match in all.
    public func levels(
        _ scope: ReportScope, _ condition: LevelCondition, limit: Int, _ db: any SQLDatabase
    ) async throws -> (levels: [LevelAlert], total: Int) {
        let (filter, order): (SQLQueryString, SQLQueryString) =
            switch condition {
            case .outOfStock: ("l.in_stock = 0", "p.name, p.id, l.store_id")
            case .lowStock: ("l.in_stock > 0 AND l.in_stock <= l.min_stock", "l.in_stock, p.name, p.id, l.store_id")
            case .noMovement(let period):
                (
                    """
                    l.in_stock > 0 AND NOT EXISTS (
                        SELECT 1 FROM product_sales_daily d WHERE d.product_id = l.product_id AND d.store_id = l.store_id
                        AND d.local_day >= \(bind: period.firstDay) AND d.local_day <= \(bind: period.lastDay) AND d.units > 0)
                    """, "l.in_stock * p.cost_cents DESC, p.name, p.id, l.store_id"
                )
            }
        let from: SQLQueryString = """
            FROM stock_levels l JOIN products p ON p.id = l.product_id JOIN stores st ON st.id = l.store_id
            WHERE \(levelScope(scope)) AND l.is_active AND p.is_active AND st.is_active AND \(filter)
            """
        // The count rides on the page's rows (a window over every match, taken before LIMIT): one pass, not two — the
        // "no movement" test reads a month of product totals for every level (22 ms a pass at 4,000 levels).
        let rows = try await db.raw(
            """
            SELECT p.id, p.name, p.barcode, l.store_id, st.name AS store_name, l.in_stock, l.min_stock, p.cost_cents,
                   COUNT(*) OVER () AS total_rows
            \(from) ORDER BY \(order) LIMIT \(bind: limit)
            """
        ).all()
        let total = try rows.first?.decode(column: "total_rows", as: Int.self) ?? 0
        let levels = try rows.map { row in
            LevelAlert(
                productID: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                barcode: try row.decode(column: "barcode", as: String.self), storeID: try row.decode(column: "store_id", as: Int64.self),
                storeName: try row.decode(column: "store_name", as: String.self), stock: try row.decode(column: "in_stock", as: Int64.self),
                minStock: try row.decode(column: "min_stock", as: Int64.self), costCents: try row.decode(column: "cost_cents", as: Int64.self))
        }
        return (levels, total)
    }

    /// Active products stocked in the scope, and what that stock cost.
    func stockSummary(_ scope: ReportScope, _ db: any SQLDatabase) async throws -> StockSummary {
        let row = try await db.raw(
            """
            SELECT COUNT(DISTINCT l.product_id) AS products, COALESCE(CAST(SUM(l.in_stock) AS BIGINT), 0) AS units,
                   COALESCE(CAST(SUM(l.in_stock * p.cost_cents) AS BIGINT), 0) AS value,
                   COALESCE(CAST(SUM(l.in_stock * p.price_cents) AS BIGINT), 0) AS retail
            FROM stock_levels l JOIN products p ON p.id = l.product_id JOIN stores st ON st.id = l.store_id
            WHERE \(levelScope(scope)) AND l.is_active AND p.is_active
            """
        ).first()
        return StockSummary(
            products: try row?.decode(column: "products", as: Int.self) ?? 0, units: try row?.decode(column: "units", as: Int64.self) ?? 0,
            valueCents: try row?.decode(column: "value", as: Int64.self) ?? 0, retailCents: try row?.decode(column: "retail", as: Int64.self) ?? 0)
    }

    /// Completed sales per seller over `period`'s days (`vendor_sales_daily`); most takings first.
    public func vendors(_ scope: ReportScope, _ period: ReportPeriod, limit: Int, _ db: any SQLDatabase) async throws -> [VendorSales] {
        try await db.raw(
            """
            SELECT u.id, u.username, sold.sales, sold.revenue
            FROM (
                SELECT vendor_id, CAST(SUM(sales) AS BIGINT) AS sales, CAST(SUM(revenue_cents) AS BIGINT) AS revenue
                FROM vendor_sales_daily
                WHERE \(rollupScope(scope)) AND local_day >= \(bind: period.firstDay) AND local_day <= \(bind: period.lastDay)
                GROUP BY vendor_id
                HAVING CAST(SUM(sales) AS BIGINT) > 0
            ) sold JOIN users u ON u.id = sold.vendor_id
            ORDER BY sold.revenue DESC, u.id
            LIMIT \(bind: limit)
            """
        ).all().map { row in
            VendorSales(
                userID: try row.decode(column: "id", as: Int64.self), username: try row.decode(column: "username", as: String.self),
                sales: try row.decode(column: "sales", as: Int64.self), revenueCents: try row.decode(column: "revenue", as: Int64.self))
        }
    }

    /// In-stock active products whose expiry date is on or before `lastDate`, soonest first (at most `limit`), and
    /// how many there are in all.
    public func expiring(
        _ scope: ReportScope, onOrBefore lastDate: String, limit: Int, _ db: any SQLDatabase
    ) async throws -> (products: [ExpiringProduct], total: Int) {
        let rows = try await db.raw(
            """
            SELECT p.id, p.name, p.barcode, p.expiration_date, CAST(SUM(l.in_stock) AS BIGINT) AS stock, COUNT(*) OVER () AS total_rows
            FROM stock_levels l JOIN products p ON p.id = l.product_id JOIN stores st ON st.id = l.store_id
            WHERE \(levelScope(scope)) AND l.is_active AND p.is_active AND p.expiration_date IS NOT NULL
              AND p.expiration_date <> '' AND p.expiration_date <= \(bind: lastDate)
            GROUP BY p.id, p.name, p.barcode, p.expiration_date
            HAVING CAST(SUM(l.in_stock) AS BIGINT) > 0
            ORDER BY p.expiration_date, p.id
            LIMIT \(bind: limit)
            """
        ).all()
        let products = try rows.map { row in
            ExpiringProduct(
                productID: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                barcode: try row.decode(column: "barcode", as: String.self),
                expirationDate: try row.decode(column: "expiration_date", as: String.self), stock: try row.decode(column: "stock", as: Int64.self))
        }
        return (products, try rows.first?.decode(column: "total_rows", as: Int.self) ?? 0)
    }

    /// A page of active products (stocked in the store, when the scope names one) that no completed sale of the
    /// scope ever included, oldest listing first, and how many there are.
    public func neverSold(
        _ scope: ReportScope, limit: Int, offset: Int, _ db: any SQLDatabase
    ) async throws -> (products: [UnsoldProduct], total: Int) {
        let soldInScope: SQLQueryString = scope.storeID.map { "AND d.store_id = \(bind: $0)" } ?? ""
        let stocked: SQLQueryString =
            scope.storeID.map {
                "AND EXISTS (SELECT 1 FROM stock_levels x WHERE x.product_id = p.id AND x.store_id = \(bind: $0) AND x.is_active)"
            } ?? ""
        let from: SQLQueryString = """
            FROM products p
            WHERE p.company_id = \(bind: scope.companyID) AND p.is_active \(stocked)
              AND NOT EXISTS (SELECT 1 FROM product_sales_daily d WHERE d.product_id = p.id \(soldInScope) AND d.units > 0)
            """
        let total = try await db.raw("SELECT COUNT(*) AS n \(from)").first(decodingColumn: "n", as: Int.self) ?? 0
        let products = try await db.raw(
            """
            SELECT p.id, p.name, p.barcode, p.price_cents, p.cost_cents, p.created_at,
                   (SELECT COALESCE(CAST(SUM(l.in_stock) AS BIGINT), 0) FROM stock_levels l JOIN stores st ON st.id = l.store_id
                    WHERE l.product_id = p.id AND \(levelScope(scope)) AND l.is_active) AS stock
            \(from) ORDER BY stock DESC, p.id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all().map { row in
            UnsoldProduct(
                productID: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                barcode: try row.decode(column: "barcode", as: String.self), stock: try row.decode(column: "stock", as: Int64.self),
                priceCents: try row.decode(column: "price_cents", as: Int64.self), costCents: try row.decode(column: "cost_cents", as: Int64.self),
                createdAtMilliseconds: try row.decode(column: "created_at", as: Int64.self))
        }
        return (products, total)
    }

    /// The scope over a rollup table (which carries its company and store). A store scope names a store of the
    /// caller's company (`ReportService` checked it), so the store alone selects, through the store's index.
    private func rollupScope(_ scope: ReportScope) -> SQLQueryString {
        if let storeID = scope.storeID { return "store_id = \(bind: storeID)" }
        return "company_id = \(bind: scope.companyID)"
    }

    /// The scope over `stock_levels l` joined to `stores st`.
    private func levelScope(_ scope: ReportScope) -> SQLQueryString {
        if let storeID = scope.storeID { return "st.company_id = \(bind: scope.companyID) AND l.store_id = \(bind: storeID)" }
        return "st.company_id = \(bind: scope.companyID)"
    }
}

import Foundation
import SQLKit

/// Dashboard stats, sales metrics and the never-sold list for owners (any store of theirs, or all) and admins
/// (their store). Each report is a handful of small queries on one read connection; sales figures come from the
/// rollups, so a year costs about what a day does.
public struct ReportService: Sendable {
    /// How many items each list of a report carries at most.
    static let listLimit = 50
    static let topProductsLimit = 10
    static let forecastLimit = 20
    /// The window the days-of-stock forecast takes its pace from (shorter when the period is).
    static let paceDays: Int64 = 30
    /// How far ahead the dashboard warns about expiry dates.
    static let expiryWarningDays: Int64 = 30

    public let database: any DatabaseClient
    public let clock: LocalClock
    let reports = ReportRepository()
    let identity = IdentityRepository()
    /// The dashboard and metrics answers, kept until the next commit (`KeptAnswers`): dashboards refresh far more
    /// often than a small shop sells.
    private let statsAnswers = KeptAnswers<StatsKey, DashboardStats>()
    /// Fewer metrics: a year's answer holds two years of days (about 350 KB), and any period may be asked for.
    private let metricsAnswers = KeptAnswers<MetricsKey, SalesMetrics>(limit: 64)

    private struct StatsKey: Hashable, Sendable {
        var scope: ReportScope
        var today: Int64
    }

    /// (Every date the answer depends on is in its period: the pace window and the alerts' period end where it ends. The
    /// first sale day reads earlier days too, but only a commit changes it, and a commit drops every kept answer.)
    private struct MetricsKey: Hashable, Sendable {
        var scope: ReportScope
        var period: ReportPeriod
    }

    public init(database: any DatabaseClient, clock: LocalClock) {
        self.database = database
        self.clock = clock
    }

    /// The metrics of `period` and the stock alerts as they are now.
    public func metrics(_ caller: Caller, storeID: Int64?, period: ReportPeriod) async throws -> SalesMetrics {
        try await keptMetrics(caller, storeID: storeID, period: period).value
    }

    /// `metrics`, with the edition under which the API keeps the answer's bytes.
    public func keptMetrics(_ caller: Caller, storeID: Int64?, period: ReportPeriod) async throws -> KeptAnswer<SalesMetrics> {
        let scope = try await scope(caller, storeID)
        let pacePeriod = ReportPeriod(days: min(Self.paceDays, period.days), endingOn: period.lastDay)
        return try await metricsAnswers.answer(MetricsKey(scope: scope, period: period), from: database) {
            try await database.read { db in
                let days = try await reports.days(scope, period.previous.firstDay...period.lastDay, db)
                return SalesMetrics(
                    scope: scope, series: SalesSeries(period: period, days: days, clock: try await reports.clock(scope, period, db)),
                    topProducts: try await reports.topProducts(scope, period, limit: Self.topProductsLimit, db),
                    forecast: Forecast(pace: try await reports.pace(scope, pacePeriod, db), days: pacePeriod.days, limit: Self.forecastLimit),
                    outOfStock: try await reports.levels(scope, .outOfStock, limit: Self.listLimit, db),
                    lowStock: try await reports.levels(scope, .lowStock, limit: Self.listLimit, db),
                    noMovement: try await reports.levels(scope, .noMovement(period), limit: Self.listLimit, db),
                    stock: try await reports.stockSummary(scope, db),
                    vendors: try await reports.vendors(scope, period, limit: Self.listLimit, db),
                    firstSaleDay: try await reports.firstSaleDay(scope, db))
            }
        }
    }

    /// The dashboard's counters for today on the business clock.
    public func stats(_ caller: Caller, storeID: Int64?, now: Date = .now) async throws -> DashboardStats {
        try await keptStats(caller, storeID: storeID, now: now).value
    }

    /// `stats`, with the edition under which the API keeps the answer's bytes.
    public func keptStats(_ caller: Caller, storeID: Int64?, now: Date = .now) async throws -> KeptAnswer<DashboardStats> {
        let scope = try await scope(caller, storeID)
        let today = clock.today(now: now)
        return try await statsAnswers.answer(StatsKey(scope: scope, today: today), from: database) {
            try await database.read { db in
                let stock = try await reports.stockSummary(scope, db)
                let low = try await reports.levels(scope, .lowStock, limit: 10, db)
                let sold = try await reports.days(scope, today...today, db)[today] ?? SalesTotals()
                let expiring = try await reports.expiring(
                    scope, onOrBefore: LocalDay.string(today + Self.expiryWarningDays), limit: Self.listLimit, db)
                return DashboardStats(
                    today: today, products: stock.products, lowStock: low, salesToday: sold, expiring: expiring.products,
                    expiringTotal: expiring.total, inventoryValueCents: stock.valueCents, inventoryRetailCents: stock.retailCents)
            }
        }
    }

    public func neverSold(_ caller: Caller, storeID: Int64?, page: PageRequest) async throws -> Paged<UnsoldProduct> {
        let scope = try await scope(caller, storeID)
        let (products, total) = try await database.read { try await reports.neverSold(scope, limit: page.limit, offset: page.offset, $0) }
        return Paged(products, total: total, page: page)
    }

    /// Owners: the named store of their company, or all of it; admins: their own store. A store of another
    /// company answers the same 404 as a store that does not exist.
    func scope(_ caller: Caller, _ storeID: Int64?) async throws -> ReportScope {
        try caller.require(.viewReports)
        let scoped = try caller.storeScope(requested: storeID)
        if let scoped, caller.role == .owner {
            guard try await database.read({ try await identity.store(id: scoped, companyID: caller.companyID, $0) }) != nil else {
                throw ShopError.notFound("Store")
            }
        }
        return ReportScope(companyID: caller.companyID, storeID: scoped)
    }
}

/// Everything `GET /api/metrics` shows, before it is shaped for JSON.
public struct SalesMetrics: Sendable {
    public var scope: ReportScope
    public var series: SalesSeries
    public var topProducts: [ProductSales]
    public var forecast: Forecast
    public var outOfStock: (levels: [LevelAlert], total: Int)
    public var lowStock: (levels: [LevelAlert], total: Int)
    public var noMovement: (levels: [LevelAlert], total: Int)
    /// The scope's stock now: products, units and value at cost and at price.
    public var stock: StockSummary
    public var vendors: [VendorSales]
    /// The scope's first day with a sale (nil before any): a previous period that starts earlier is not comparable.
    public var firstSaleDay: Int64?
}

/// Days of stock left for each product sold recently, at its average daily pace over the window; the products
/// that run out soonest first.
public struct Forecast: Sendable {
    public struct Item: Sendable, Equatable {
        public var product: ProductPace
        public var unitsPerDay: Double
        /// Stock divided by the daily pace, one decimal (0 when out of stock).
        public var daysLeft: Double
    }

    public var items: [Item]
    public var windowDays: Int64

    init(pace: [ProductPace], days: Int64, limit: Int) {
        windowDays = days
        items = pace.map { product in
            let perDay = Double(product.unitsSold) / Double(days)
            return Item(
                product: product, unitsPerDay: (perDay * 100).rounded() / 100,
                daysLeft: (Double(product.stock) / perDay * 10).rounded() / 10)
        }
        .sorted { ($0.daysLeft, -$0.unitsPerDay, $0.product.productID) < ($1.daysLeft, -$1.unitsPerDay, $1.product.productID) }
        .prefix(limit).map { $0 }
    }
}

/// What `GET /api/stats` shows.
public struct DashboardStats: Sendable {
    public var today: Int64
    public var products: Int
    public var lowStock: (levels: [LevelAlert], total: Int)
    public var salesToday: SalesTotals
    public var expiring: [ExpiringProduct]
    /// How many products expire soon in all (`expiring` holds at most 50).
    public var expiringTotal: Int
    /// The stock at cost, and at the selling price (StockManager's `total_inventory_value`).
    public var inventoryValueCents: Int64
    public var inventoryRetailCents: Int64
}

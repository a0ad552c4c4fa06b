import Foundation
import Hummingbird

/// `GET /api/metrics`: the dashboard's keys as the contract names them (camelCase, as StockManager's dashboard
/// read them). Money is a number with two decimals; changes are percentages, null with nothing to compare with.
struct MetricsResponse: ResponseEncodable, AllKeysEncodable {
    static let keyStyle = JSONKeyStyle.asWritten
    let kpis: KPIs
    let salesOverTime: [DayPoint]
    let topProducts: [TopProduct]
    let salesByWeekday: [WeekdayPoint]
    let salesByHour: [HourPoint]
    /// Sales counted per weekday (rows, Monday first) and hour of the day (columns).
    let heatmap: [[Int64]]
    let comparison: Comparison
    let alerts: Alerts
    let inventoryForecast: [ForecastItem]
    let insights: [InsightItem]
    let period: PeriodInfo

    init(_ metrics: SalesMetrics, timeZone: TimeZone) {
        let series = metrics.series
        kpis = KPIs(series.total, previous: series.previousTotal)
        salesOverTime = zip(series.period.firstDay..., series.days).map { DayPoint(day: $0, $1) }
        topProducts = metrics.topProducts.map(TopProduct.init)
        salesByWeekday = series.weekdays.enumerated().map { WeekdayPoint(weekday: $0, $1) }
        salesByHour = series.hoursOfDay.enumerated().map { HourPoint(hour: $0, $1) }
        heatmap = series.heatmap
        comparison = Comparison(series)
        alerts = Alerts(metrics)
        inventoryForecast = metrics.forecast.items.map(ForecastItem.init)
        insights = Insight.from(metrics).map { InsightItem(kind: $0.kind, message: $0.message) }
        period = PeriodInfo(series.period, storeId: metrics.scope.storeID, timeZone: timeZone, paceDays: metrics.forecast.windowDays)
    }

    struct KPI: Encodable, AllKeysEncodable {
        static let keyStyle = JSONKeyStyle.asWritten
        let value: Double
        let previous: Double
        let change: Double?

        init(money current: Int64, _ previous: Int64) {
            value = Money.amount(current)
            self.previous = Money.amount(previous)
            change = SalesSeries.change(current, from: previous)
        }

        init(count current: Int64, _ previous: Int64) {
            value = Double(current)
            self.previous = Double(previous)
            change = SalesSeries.change(current, from: previous)
        }
    }

    struct KPIs: Encodable {
        let revenue, totalSales, unitsSold, avgTicket, grossProfit: KPI

        init(_ current: SalesTotals, previous: SalesTotals) {
            revenue = KPI(money: current.revenueCents, previous.revenueCents)
            totalSales = KPI(count: current.sales, previous.sales)
            unitsSold = KPI(count: current.units, previous.units)
            avgTicket = KPI(money: SalesSeries.averageTicket(current), SalesSeries.averageTicket(previous))
            grossProfit = KPI(money: current.grossProfitCents, previous.grossProfitCents)
        }
    }

    struct DayPoint: Encodable {
        let date: String
        let revenue: Double
        let sales, units: Int64
        let grossProfit: Double

        init(day: Int64, _ totals: SalesTotals) {
            date = LocalDay.string(day)
            revenue = Money.amount(totals.revenueCents)
            sales = totals.sales
            units = totals.units
            grossProfit = Money.amount(totals.grossProfitCents)
        }
    }

    struct TopProduct: Encodable {
        let productId: Int64
        let name, barcode: String
        let unitsSold: Int64
        let revenue, grossProfit: Double

        init(_ product: ProductSales) {
            productId = product.productID
            name = product.name
            barcode = product.barcode
            unitsSold = product.units
            revenue = Money.amount(product.revenueCents)
            grossProfit = Money.amount(product.revenueCents - product.costCents)
        }
    }

    struct WeekdayPoint: Encodable {
        let weekday: Int
        let name: String
        let revenue: Double
        let sales, units: Int64

        init(weekday: Int, _ totals: SalesTotals) {
            self.weekday = weekday
            name = Insight.weekdayNames[weekday]
            revenue = Money.amount(totals.revenueCents)
            sales = totals.sales
            units = totals.units
        }
    }

    struct HourPoint: Encodable {
        let hour: Int
        let revenue: Double
        let sales, units: Int64

        init(hour: Int, _ totals: SalesTotals) {
            self.hour = hour
            revenue = Money.amount(totals.revenueCents)
            sales = totals.sales
            units = totals.units
        }
    }

    /// The period beside the one before it, in total and day by day.
    struct Comparison: Encodable {
        struct Totals: Encodable {
            let from, to: String
            let revenue: Double
            let totalSales, unitsSold: Int64
            let avgTicket, grossProfit: Double

            init(_ period: ReportPeriod, _ totals: SalesTotals) {
                from = LocalDay.string(period.firstDay)
                to = LocalDay.string(period.lastDay)
                revenue = Money.amount(totals.revenueCents)
                totalSales = totals.sales
                unitsSold = totals.units
                avgTicket = Money.amount(SalesSeries.averageTicket(totals))
                grossProfit = Money.amount(totals.grossProfitCents)
            }
        }

        struct Day: Encodable {
            let date, previousDate: String
            let revenue, previousRevenue: Double
            let sales, previousSales: Int64
        }

        let current, previous: Totals
        let days: [Day]

        init(_ series: SalesSeries) {
            current = Totals(series.period, series.total)
            previous = Totals(series.period.previous, series.previousTotal)
            days = zip(series.period.firstDay..., zip(series.days, series.previousDays)).map { day, pair in
                let (now, before) = pair
                return Day(date: LocalDay.string(day), previousDate: LocalDay.string(day - series.period.days),
                    revenue: Money.amount(now.revenueCents), previousRevenue: Money.amount(before.revenueCents),
                    sales: now.sales, previousSales: before.sales)
            }
        }
    }

    /// Stock that needs attention now: each list holds at most 50 levels; `counts` says how many there are.
    struct Alerts: Encodable {
        struct Item: Encodable {
            let productId: Int64
            let name, barcode: String
            let storeId: Int64
            let storeName: String
            let stock, minStock: Int64

            init(_ level: LevelAlert) {
                productId = level.productID
                name = level.name
                barcode = level.barcode
                storeId = level.storeID
                storeName = level.storeName
                stock = level.stock
                minStock = level.minStock
            }
        }

        struct Counts: Encodable {
            let outOfStock, lowStock, noMovement: Int
        }

        let outOfStock, lowStock, noMovement: [Item]
        let counts: Counts

        init(_ metrics: SalesMetrics) {
            outOfStock = metrics.outOfStock.levels.map(Item.init)
            lowStock = metrics.lowStock.levels.map(Item.init)
            noMovement = metrics.noMovement.levels.map(Item.init)
            counts = Counts(outOfStock: metrics.outOfStock.total, lowStock: metrics.lowStock.total, noMovement: metrics.noMovement.total)
        }
    }

    struct ForecastItem: Encodable {
        let productId: Int64
        let name, barcode: String
        let stock: Int64
        let unitsPerDay, daysLeft: Double

        init(_ item: Forecast.Item) {
            productId = item.product.productID
            name = item.product.name
            barcode = item.product.barcode
            stock = item.product.stock
            unitsPerDay = item.unitsPerDay
            daysLeft = item.daysLeft
        }
    }

    struct InsightItem: Encodable {
        let kind, message: String
    }

    struct PeriodInfo: Encodable, AllKeysEncodable {
        static let keyStyle = JSONKeyStyle.asWritten
        let days: Int64
        let from, to, previousFrom, previousTo: String
        let storeId: Int64?
        let timeZone: String
        /// The days the forecast's pace is measured over (the last 30 of the period, or all of a shorter one).
        let paceDays: Int64

        init(_ period: ReportPeriod, storeId: Int64?, timeZone: TimeZone, paceDays: Int64) {
            days = period.days
            from = LocalDay.string(period.firstDay)
            to = LocalDay.string(period.lastDay)
            previousFrom = LocalDay.string(period.previous.firstDay)
            previousTo = LocalDay.string(period.previous.lastDay)
            self.storeId = storeId
            self.timeZone = timeZone.identifier
            self.paceDays = paceDays
        }
    }
}

/// `GET /api/stats`: the dashboard's counters for today (StockManager's keys, snake_case).
struct StatsResponse: ResponseEncodable, AllKeysEncodable {
    let products: Int
    let lowStock: Int
    /// Completed sales today on the business clock, and what they took.
    let salesToday: Int64
    let revenueToday: Double
    let lowStockList: [LowStockItem]
    let expireSoon: [ExpiringItem]
    let totalInventoryValue: Double
    let date: String

    init(_ stats: DashboardStats) {
        products = stats.products
        lowStock = stats.lowStock.total
        salesToday = stats.salesToday.sales
        revenueToday = Money.amount(stats.salesToday.revenueCents)
        lowStockList = stats.lowStock.levels.map(LowStockItem.init)
        expireSoon = stats.expiring.map { ExpiringItem($0, today: stats.today) }
        totalInventoryValue = Money.amount(stats.inventoryValueCents)
        date = LocalDay.string(stats.today)
    }

    struct LowStockItem: Encodable, AllKeysEncodable {
        let id: Int64
        let name, barcode: String
        /// StockManager's name for the barcode.
        let sku: String
        let storeID: Int64
        let storeName: String
        let stock, minStock: Int64

        init(_ level: LevelAlert) {
            id = level.productID
            name = level.name
            barcode = level.barcode
            sku = level.barcode
            storeID = level.storeID
            storeName = level.storeName
            stock = level.stock
            minStock = level.minStock
        }
    }

    struct ExpiringItem: Encodable, AllKeysEncodable {
        let id: Int64
        let name, barcode, expirationDate: String
        /// Negative once the date has passed.
        let daysLeft: Int64?
        let stock: Int64

        init(_ product: ExpiringProduct, today: Int64) {
            id = product.productID
            name = product.name
            barcode = product.barcode
            expirationDate = product.expirationDate
            daysLeft = LocalDay.parse(product.expirationDate).map { $0 - today }
            stock = product.stock
        }
    }
}

/// StockManager's `{products: [{id, name, sku, stock, price}]}`, and Stockroom's page beside it (`data`, with the
/// fuller items the staff pages read, and the paging fields).
struct NeverSoldResponse: ResponseEncodable {
    struct Product: Encodable {
        let id: Int64
        let name, sku: String
        let stock: Int64
        let price: Double
    }

    let products: [Product]
    let data: [NeverSoldItem]
    let total, page, pages, limit: Int

    init(_ page: Paged<NeverSoldItem>) {
        products = page.data.map { Product(id: $0.id, name: $0.name, sku: $0.barcode, stock: $0.stock, price: $0.price) }
        data = page.data
        (total, self.page, pages, limit) = (page.total, page.page, page.pages, page.limit)
    }
}

/// One row of `GET /api/never-sold`.
struct NeverSoldItem: Encodable, AllKeysEncodable {
    let id: Int64
    let barcode, name: String
    let stock: Int64
    let price, cost: Double
    let createdAt: Date
    /// Whole days since the product was listed.
    let daysListed: Int64

    init(_ product: UnsoldProduct, now: Date) {
        id = product.productID
        barcode = product.barcode
        name = product.name
        stock = product.stock
        price = Money.amount(product.priceCents)
        cost = Money.amount(product.costCents)
        createdAt = Date(unixMilliseconds: product.createdAtMilliseconds)
        daysListed = max(0, (now.unixMilliseconds - product.createdAtMilliseconds) / LocalClock.millisecondsPerDay)
    }
}

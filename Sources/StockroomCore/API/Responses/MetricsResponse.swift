import Foundation
import Hummingbird

/// `GET /api/metrics` in StockManager's documented shape, so its dashboard reads every figure: `kpis` as numbers
/// with their `…Change` percentages, `salesOverTime` as parallel arrays, sale counts per weekday and per hour,
/// `comparison` and `alerts` as numbers, `insights` as StockManager words them (in Spanish, as its client shows
/// them), and the documented additions (`heatmap`, `inventoryForecast`, `criticalStocks`, `inventory`,
/// `trendLine`, `vendors`). What Stockroom shows beyond that — the previous period's values, gross profit, totals
/// per weekday and hour, the days compared one by one, the levels behind each alert, its own insights — sits
/// under keys StockManager does not use. Money is a number with two decimals.
struct MetricsResponse: ResponseEncodable, AllKeysEncodable {
    static let keyStyle = JSONKeyStyle.asWritten
    let kpis: KPIs
    let salesOverTime: SalesOverTime
    let topProducts: [TopProduct]
    /// Completed sales per weekday (Monday first) and per hour of the day, as StockManager counts them.
    let salesByWeekday: [Int64]
    let salesByHour: [Int64]
    /// Takings, sales and units per weekday and per hour (Stockroom's).
    let weekdayTotals: [WeekdayPoint]
    let hourTotals: [HourPoint]
    let heatmap: Heatmap
    let comparison: Comparison
    let alerts: Alerts
    let insights: Insights
    let inventoryForecast: [ForecastItem]
    /// The forecast's products running out within three days.
    let criticalStocks: [ForecastItem]
    let inventory: Inventory
    let trendLine: TrendLine
    let vendors: [Vendor]
    let period: PeriodInfo

    /// StockManager's weekday words, Monday first: the pages' Spanish ones (`Lun`…, and `Lunes`… capitalized).
    static let weekdayShort = (0..<7).map { Language.es.strings["metrics_day_short_\($0)"] ?? "" }
    static let weekdayNames = (0..<7).map { (Language.es.strings["metrics_day_\($0)"] ?? "").capitalized }

    init(_ metrics: SalesMetrics, timeZone: TimeZone) {
        let series = metrics.series
        kpis = KPIs(series.total, previous: series.previousTotal)
        salesOverTime = SalesOverTime(series)
        topProducts = metrics.topProducts.map(TopProduct.init)
        salesByWeekday = series.weekdays.map(\.sales)
        salesByHour = series.hoursOfDay.map(\.sales)
        weekdayTotals = series.weekdays.enumerated().map { WeekdayPoint(weekday: $0, $1) }
        hourTotals = series.hoursOfDay.enumerated().map { HourPoint(hour: $0, $1) }
        heatmap = Heatmap(data: series.heatmap, days: Self.weekdayShort, hours: Array(0..<24))
        comparison = Comparison(series)
        alerts = Alerts(metrics)
        insights = Insights(metrics, change: kpis.revenueChange)
        inventoryForecast = metrics.forecast.items.map(ForecastItem.init)
        criticalStocks = inventoryForecast.filter { $0.status == ForecastItem.danger }
        inventory = Inventory(
            totalValue: Money.amount(metrics.stock.retailCents), totalUnits: metrics.stock.units, products: metrics.stock.products,
            totalCost: Money.amount(metrics.stock.valueCents))
        trendLine = TrendLine(salesOverTime)
        vendors = metrics.vendors.map { Vendor(id: $0.userID, username: $0.username, sales: $0.sales, revenue: Money.amount($0.revenueCents)) }
        period = PeriodInfo(
            series.period, storeId: metrics.scope.storeID, timeZone: timeZone, paceDays: metrics.forecast.windowDays,
            firstSaleDay: metrics.firstSaleDay)
    }

    struct KPIs: Encodable {
        let revenue: Double
        let totalSales: Int64
        let avgTicket: Double
        let unitsSold: Int64
        /// Percent against the previous equal period, one decimal, as StockManager computes it: 100 when the previous
        /// period had nothing and this one has something, 0 when neither has (`previous` tells the two apart).
        let revenueChange, salesChange, ticketChange, unitsChange: Double
        let grossProfit: Double
        let grossProfitChange: Double
        let previous: Previous

        struct Previous: Encodable {
            let revenue: Double
            let totalSales: Int64
            let avgTicket: Double
            let unitsSold: Int64
            let grossProfit: Double
        }

        init(_ current: SalesTotals, previous before: SalesTotals) {
            let ticket = SalesSeries.averageTicket(current)
            let ticketBefore = SalesSeries.averageTicket(before)
            revenue = Money.amount(current.revenueCents)
            totalSales = current.sales
            avgTicket = Money.amount(ticket)
            unitsSold = current.units
            revenueChange = Self.change(current.revenueCents, before.revenueCents)
            salesChange = Self.change(current.sales, before.sales)
            ticketChange = Self.change(ticket, ticketBefore)
            unitsChange = Self.change(current.units, before.units)
            grossProfit = Money.amount(current.grossProfitCents)
            grossProfitChange = Self.change(current.grossProfitCents, before.grossProfitCents)
            previous = Previous(
                revenue: Money.amount(before.revenueCents), totalSales: before.sales, avgTicket: Money.amount(ticketBefore),
                unitsSold: before.units, grossProfit: Money.amount(before.grossProfitCents))
        }

        static func change(_ current: Int64, _ previous: Int64) -> Double {
            SalesSeries.change(current, from: previous) ?? (current > 0 ? 100 : 0)
        }
    }

    /// One entry a day, zero-filled: `labels` are weekday abbreviations for a week or less, `dd/mm` beyond.
    struct SalesOverTime: Encodable {
        let labels: [String]
        let revenue: [Double]
        let sales: [Int64]
        /// The documentation's later name for `sales`.
        let count: [Int64]
        let dates: [String]
        let units: [Int64]
        let grossProfit: [Double]

        init(_ series: SalesSeries) {
            let days = Array(series.period.firstDay...series.period.lastDay)
            labels = days.map { day in
                if series.period.days <= 7 { return MetricsResponse.weekdayShort[LocalDay.weekday(day)] }
                let date = LocalDay.components(day)
                return (date.day < 10 ? "0" : "") + "\(date.day)/" + (date.month < 10 ? "0" : "") + "\(date.month)"
            }
            revenue = series.days.map { Money.amount($0.revenueCents) }
            sales = series.days.map(\.sales)
            count = sales
            dates = days.map(LocalDay.string)
            units = series.days.map(\.units)
            grossProfit = series.days.map { Money.amount($0.grossProfitCents) }
        }
    }

    /// The day-by-day revenue and sale count smoothed over a trailing window of `min(7, max(1, days / 2))` days
    /// (fewer at the start, where there are fewer days behind), two decimals.
    struct TrendLine: Encodable {
        let labels: [String]
        let revenue: [Double]
        let count: [Double]

        init(_ days: SalesOverTime) {
            let window = min(7, max(1, days.labels.count / 2))
            func smoothed(_ values: [Double]) -> [Double] {
                values.indices.map { index in
                    let run = values[max(0, index - window + 1)...index]
                    return (run.reduce(0, +) / Double(run.count) * 100).rounded() / 100
                }
            }
            labels = days.labels
            revenue = smoothed(days.revenue)
            count = smoothed(days.sales.map(Double.init))
        }
    }

    struct TopProduct: Encodable {
        let id: Int64
        let name: String
        /// The barcode, StockManager's "Sin SKU" when there is none.
        let sku: String
        let units: Int64
        let revenue: Double
        let barcode: String
        let grossProfit: Double

        init(_ product: ProductSales) {
            id = product.productID
            name = product.name
            sku = product.barcode.isEmpty ? "Sin SKU" : product.barcode
            units = product.units
            revenue = Money.amount(product.revenueCents)
            barcode = product.barcode
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

    /// Sales counted per weekday (rows, Monday first) and hour of the day (columns).
    struct Heatmap: Encodable {
        let data: [[Int64]]
        let days: [String]
        let hours: [Int]
    }

    /// StockManager's two revenues, and the two periods in full and day by day beside them.
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

        let current, previous: Double
        let currentPeriod, previousPeriod: Totals
        let days: [Day]

        init(_ series: SalesSeries) {
            current = Money.amount(series.total.revenueCents)
            previous = Money.amount(series.previousTotal.revenueCents)
            currentPeriod = Totals(series.period, series.total)
            previousPeriod = Totals(series.period.previous, series.previousTotal)
            days = zip(series.period.firstDay..., zip(series.days, series.previousDays)).map { day, pair in
                let (now, before) = pair
                return Day(
                    date: LocalDay.string(day), previousDate: LocalDay.string(day - series.period.days),
                    revenue: Money.amount(now.revenueCents), previousRevenue: Money.amount(before.revenueCents),
                    sales: now.sales, previousSales: before.sales)
            }
        }
    }

    /// How many levels need attention now, and (in `items`, at most 50 a list) which.
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

        struct Lists: Encodable {
            let outOfStock, lowStock, noMovement: [Item]
        }

        let outOfStock, lowStock, noMovement: Int
        let items: Lists

        init(_ metrics: SalesMetrics) {
            outOfStock = metrics.outOfStock.total
            lowStock = metrics.lowStock.total
            noMovement = metrics.noMovement.total
            items = Lists(
                outOfStock: metrics.outOfStock.levels.map(Item.init), lowStock: metrics.lowStock.levels.map(Item.init),
                noMovement: metrics.noMovement.levels.map(Item.init))
        }
    }

    /// StockManager's four insights, and Stockroom's sentences (`notes`, in English; the staff pages word them in
    /// the reader's language from the same numbers).
    struct Insights: Encodable, AllKeysEncodable {
        static let keyStyle = JSONKeyStyle.asWritten

        struct BestDay: Encodable {
            let name: String
            let revenue: Double
        }

        struct TopSeller: Encodable {
            let name: String
            let units: Int64
        }

        struct Note: Encodable {
            let kind, message: String
        }

        /// The weekday with the most sales and its takings ("Lunes" and 0 when nothing was sold, as StockManager).
        let bestDay: BestDay
        /// The hour of the day with the most sales; null when nothing was sold.
        let peakHour: Int?
        let topProduct: TopSeller
        let trend: String
        let notes: [Note]

        init(_ metrics: SalesMetrics, change: Double) {
            let weekdays = metrics.series.weekdays
            let best = weekdays.indices.max { (weekdays[$0].sales, -$0) < (weekdays[$1].sales, -$1) } ?? 0
            bestDay = BestDay(name: MetricsResponse.weekdayNames[best], revenue: Money.amount(weekdays[best].revenueCents))
            let hours = metrics.series.hoursOfDay
            peakHour = metrics.series.total.sales == 0 ? nil : hours.indices.max { (hours[$0].sales, -$0) < (hours[$1].sales, -$1) }
            topProduct = metrics.topProducts.first.map { TopSeller(name: $0.name, units: $0.units) } ?? TopSeller(name: "Sin ventas", units: 0)
            trend =
                switch change {
                case 10.0.nextUp...: "Tendencia muy positiva: los ingresos crecen más de un 10 % frente al periodo anterior"
                case 0.0.nextUp...: "Tendencia positiva: los ingresos crecen frente al periodo anterior"
                case (-10.0).nextUp...: "Tendencia estable: los ingresos se mantienen cerca del periodo anterior"
                default: "Tendencia negativa: los ingresos caen más de un 10 % frente al periodo anterior"
                }
            notes = Insight.from(metrics).map { Note(kind: $0.kind, message: $0.message) }
        }
    }

    struct ForecastItem: Encodable {
        static let danger = "danger"
        let id: Int64
        let name, sku, barcode: String
        let currentStock, minStock, unitsSold: Int64
        /// Units sold a day over the pace window (`period.paceDays`), two decimals.
        let dailyAverage: Double
        /// Stock divided by the daily average, one decimal (0 when out of stock).
        let daysRemaining: Double
        /// Units sold in the window per unit on the shelf now (per one unit when the shelf is empty), two decimals.
        let rotation: Double
        /// `danger` within 3 days, `warning` within 7, `ok` beyond.
        let status: String

        init(_ item: Forecast.Item) {
            let product = item.product
            id = product.productID
            name = product.name
            sku = product.barcode.isEmpty ? "Sin SKU" : product.barcode
            barcode = product.barcode
            currentStock = product.stock
            minStock = product.minStock
            unitsSold = product.unitsSold
            dailyAverage = item.unitsPerDay
            daysRemaining = item.daysLeft
            rotation = (Double(product.unitsSold) / Double(max(product.stock, 1)) * 100).rounded() / 100
            status = item.daysLeft <= 3 ? Self.danger : item.daysLeft <= 7 ? "warning" : "ok"
        }
    }

    /// The scope's stock now, valued at its selling prices (as StockManager) and at cost.
    struct Inventory: Encodable {
        let totalValue: Double
        let totalUnits: Int64
        let products: Int
        let totalCost: Double
    }

    /// A seller's completed sales in the period (at most 50 sellers, most takings first).
    struct Vendor: Encodable {
        let id: Int64
        let username: String
        let sales: Int64
        let revenue: Double
    }

    struct PeriodInfo: Encodable, AllKeysEncodable {
        static let keyStyle = JSONKeyStyle.asWritten
        let start, end: String
        let days: Int64
        let previousStart, previousEnd: String
        let storeId: Int64?
        let timeZone: String
        /// The days the forecast's pace is measured over (the last 30 of the period, or all of a shorter one).
        let paceDays: Int64
        /// The scope's first day with a sale (null before any): days before it are not zeros, and a previous period
        /// that starts before it compares against days the shop was not trading.
        let tradingSince: String?

        init(_ period: ReportPeriod, storeId: Int64?, timeZone: TimeZone, paceDays: Int64, firstSaleDay: Int64? = nil) {
            start = LocalDay.string(period.firstDay)
            end = LocalDay.string(period.lastDay)
            days = period.days
            previousStart = LocalDay.string(period.previous.firstDay)
            previousEnd = LocalDay.string(period.previous.lastDay)
            self.storeId = storeId
            self.timeZone = timeZone.identifier
            self.paceDays = paceDays
            tradingSince = firstSaleDay.map(LocalDay.string)
        }
    }
}

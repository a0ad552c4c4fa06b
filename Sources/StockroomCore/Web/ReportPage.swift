import Foundation
import Hummingbird

/// `GET /reports`, the metrics page (`/metrics` is Prometheus's). It shows exactly what `GET /api/metrics` answers
/// for the same query: the same query reading (a bad period is a 400 page), the same service and tenancy. The charts
/// are SVG drawn here, so the page needs no script.
struct ReportPage {
    let pages: Pages
    let reports: ReportService
    let stores: StoreService

    /// The periods the picker offers, in days up to today.
    static let periods = [7, 30, 90, 365]

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("reports", use: page)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("reports", title: "metrics", request, context, needs: .viewReports) { caller, frame in
            let (storeID, period) = try ReportController.metricsQuery(QueryReader(request), today: reports.clock.today())
            let kept = try await reports.keptMetrics(caller, storeID: storeID, period: period)
            let metrics = MetricsResponse(kept.value, timeZone: reports.clock.timeZone)
            let words = MetricsWords(frame.strings, format: frame.format)
            let stores = try await storeChoices(caller, selected: metrics.period.storeId)
            let store = stores.first { $0.selected }?.name
            return ReportView(
                metrics, words: words, filter: filter(request, metrics.period, stores: stores, words: words),
                storeName: store ?? (caller.role == .owner ? words["metrics_all_stores"] : nil))
        }
    }

    /// The picker's values: the period chosen (or the dates, when the query gave dates) and, for owners, the store.
    private func filter(_ request: Request, _ period: MetricsResponse.PeriodInfo, stores: [StoreChoice], words: MetricsWords) -> ReportView.Filter {
        let query = request.uri.queryParameters
        let custom = [query["from"], query["to"]].contains { !($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        let days = Int(period.days)
        var choices = Self.periods
        if !custom && !choices.contains(days) { choices.append(days) }
        let options = choices.sorted().map {
            Choice(value: String($0), label: words["metrics_last_days", ["n": String($0)]], selected: !custom && $0 == days)
        }
        return ReportView.Filter(
            periods: options + [Choice(value: "", label: words["metrics_custom_dates"], selected: custom)],
            from: custom ? period.start : "", to: custom ? period.end : "", stores: stores, hasStores: !stores.isEmpty,
            allSelected: period.storeId == nil)
    }

    /// Owners may look at any one store or all of them; others see their own store only, so they get no choice.
    private func storeChoices(_ caller: Caller, selected: Int64?) async throws -> [StoreChoice] {
        guard caller.role == .owner else { return [] }
        return try await stores.list(caller, window: OffsetRequest(limit: 100)).stores.map {
            StoreChoice(id: $0.id, name: $0.name, selected: $0.id == selected)
        }
    }
}

/// A metrics answer for reading: KPIs with their change, the charts, the stock alerts, the forecast and the
/// insights, every number already written for reading.
struct ReportView: Sendable {
    let period: Period
    let rangeText: String
    let compareText: String
    let kpis: [KPI]
    let hasSales: Bool
    let hasPrevious: Bool
    let charts: Charts
    let hasTopProducts: Bool
    let insights: [MetricsWords.InsightLine]
    let hasInsights: Bool
    let hasForecast: Bool
    let alerts: Alerts
    let forecast: [Forecast]
    let paceText: String
    let filter: Filter
    /// The store looked at, or "all stores" for owners; absent for the others, who see their own.
    let storeName: String?

    struct Period: Sendable {
        let timeZone: String
    }

    struct KPI: Sendable {
        let id: String
        let label: String
        let value: String
        let previous: String
        let trend: String
        let change: String
        // Only when there is something to compare with.
        let arrow: String?
        let trendText: String?
    }

    struct Alerts: Sendable {
        let outOfStock: AlertList
        let lowStock: AlertList
        let noMovement: AlertList
        let any: Bool
    }

    struct AlertList: Sendable {
        let items: [AlertItem]
        let count: String
        let any: Bool
        /// How many more than listed; absent when all are.
        let more: String?
    }

    struct AlertItem: Sendable {
        let name: String
        let barcode: String
        let store: String
        let stock: String
        let minStock: String
    }

    struct Forecast: Sendable {
        let name: String
        let barcode: String
        let stock: String
        let perDay: String
        let daysLeft: String
        let soon: Bool
    }

    struct Filter: Sendable {
        let periods: [Choice]
        let from: String
        let to: String
        let stores: [StoreChoice]
        let hasStores: Bool
        let allSelected: Bool
    }

    init(_ metrics: MetricsResponse, words: MetricsWords, filter: Filter, storeName: String?) {
        let period = metrics.period
        let comparable = Self.comparable(period)
        self.period = Period(timeZone: period.timeZone)
        rangeText = words["metrics_range", ["from": period.start, "to": period.end, "days": String(period.days)]]
        compareText = words["metrics_compared_with", ["from": period.previousStart, "to": period.previousEnd]]
        kpis = Self.kpis(metrics.kpis, comparable: comparable, words)
        hasSales = metrics.kpis.totalSales > 0
        hasPrevious = metrics.comparison.days.contains { Charts.traded(on: $0.previousDate, period) }
        charts = Charts(metrics, words: words)
        hasTopProducts = !metrics.topProducts.isEmpty
        insights = words.insights(metrics, comparable: comparable)
        hasInsights = !metrics.insights.notes.isEmpty
        hasForecast = !metrics.inventoryForecast.isEmpty
        alerts = Self.alerts(metrics.alerts)
        forecast = metrics.inventoryForecast.map {
            Forecast(
                name: $0.name, barcode: $0.barcode, stock: String($0.currentStock), perDay: SVGChart.number($0.dailyAverage, places: 2),
                daysLeft: SVGChart.number($0.daysRemaining), soon: $0.daysRemaining <= 7)
        }
        paceText = words["metrics_forecast_pace", ["days": String(period.paceDays)]]
        self.filter = filter
        self.storeName = storeName
    }

    /// Whether the previous period is a fair comparison: the shop traded through all of it. A shop younger than the
    /// two periods would otherwise read "up 199.5 %" against the few days it had been open.
    static func comparable(_ period: MetricsResponse.PeriodInfo) -> Bool {
        period.tradingSince.map { $0 <= period.previousStart } ?? false
    }

    private static func kpis(_ kpis: MetricsResponse.KPIs, comparable: Bool, _ words: MetricsWords) -> [KPI] {
        let before = kpis.previous
        let cards: [(key: String, value: Double, previous: Double, change: Double, money: Bool)] = [
            ("metrics_revenue", kpis.revenue, before.revenue, kpis.revenueChange, true),
            ("metrics_sales_count", Double(kpis.totalSales), Double(before.totalSales), kpis.salesChange, false),
            ("metrics_units", Double(kpis.unitsSold), Double(before.unitsSold), kpis.unitsChange, false),
            ("metrics_avg_ticket", kpis.avgTicket, before.avgTicket, kpis.ticketChange, true),
            ("metrics_gross_profit", kpis.grossProfit, before.grossProfit, kpis.grossProfitChange, true),
        ]
        return cards.map { key, value, previous, change, money in
            let show = { (value: Double) in money ? words.format.money(value) : words.format.number(value) }
            // StockManager's change reads 100 % against a previous period of nothing; the card says there is nothing to compare with.
            // Likewise against a period the shop only partly traded in.
            let change: Double? = previous == 0 || !comparable ? nil : change
            let trend = change.map { $0 > 0 ? "up" : $0 < 0 ? "down" : "flat" } ?? "none"
            return KPI(
                id: key.replacingOccurrences(of: "metrics_", with: "kpi-").replacingOccurrences(of: "_", with: "-"),
                label: words[key], value: show(value), previous: show(previous), trend: trend,
                // with nothing to compare with, that is what the card says, aloud and on screen alike
                change: change.map(MetricsWords.percent) ?? words["metrics_trend_none"],
                arrow: change.map { _ in ["up": "▲", "down": "▼"][trend] ?? "=" }, trendText: change.map { _ in words["metrics_trend_" + trend] })
        }
    }

    private static func alerts(_ alerts: MetricsResponse.Alerts) -> Alerts {
        func list(_ items: [MetricsResponse.Alerts.Item], total: Int) -> AlertList {
            AlertList(
                items: items.map {
                    AlertItem(name: $0.name, barcode: $0.barcode, store: $0.storeName, stock: String($0.stock), minStock: String($0.minStock))
                },
                count: String(total), any: total > 0, more: total > items.count ? String(total - items.count) : nil)
        }
        return Alerts(
            outOfStock: list(alerts.items.outOfStock, total: alerts.outOfStock), lowStock: list(alerts.items.lowStock, total: alerts.lowStock),
            noMovement: list(alerts.items.noMovement, total: alerts.noMovement), any: alerts.outOfStock + alerts.lowStock + alerts.noMovement > 0)
    }
}

/// The page's five charts, as SVG.
struct Charts: Sendable {
    let revenue: String
    let revenueNarrow: String
    let topProducts: String
    let weekdays: String
    let hours: String
    let heatmap: String

    init(_ metrics: MetricsResponse, words: MetricsWords) {
        let money = { (value: Double) in words.format.money(value) }
        // Axis labels stay short (`12.5k`), with the reader's decimal mark.
        let axis = { (value: Double) in words.format.decimalMarked(SVGChart.compact(value)) }
        let period = metrics.period
        // A day before the shop's first sale is a gap in the line, not a zero (nor is the previous period's).
        let points = metrics.comparison.days.map {
            SVGChart.Point(
                label: $0.date, axis: String($0.date.dropFirst(5)), value: Self.traded(on: $0.date, period) ? $0.revenue : nil,
                previous: Self.traded(on: $0.previousDate, period) ? $0.previousRevenue : nil)
        }
        let revenueTitle = words["chart_revenue_title", ["from": period.start, "to": period.end]]
        let days = (0..<7).map { words["metrics_day_\($0)"] }
        let shortDays = (0..<7).map { words["metrics_day_short_\($0)"] }
        let hourNames = (0..<24).map { MetricsWords.clock($0) + "–" + MetricsWords.clock($0 + 1) }
        revenue = SVGChart.line(title: revenueTitle, points: points, previousLabel: words["metrics_previous_period"], format: money, axis: axis)
        revenueNarrow = SVGChart.line(
            title: revenueTitle, points: points, previousLabel: words["metrics_previous_period"], narrow: true, format: money, axis: axis)
        topProducts = SVGChart.horizontalBars(
            title: words["chart_top_products"],
            bars: metrics.topProducts.map {
                SVGChart.Bar(
                    label: $0.name, value: $0.revenue, text: money($0.revenue),
                    tooltip: "\($0.name): \(money($0.revenue)) · \(words.count("metrics_units_count", $0.units))")
            })
        weekdays = SVGChart.columns(
            title: words["chart_weekdays"],
            bars: metrics.weekdayTotals.map {
                SVGChart.Bar(
                    label: shortDays[$0.weekday], value: $0.revenue, text: money($0.revenue),
                    tooltip: "\(days[$0.weekday]): \(money($0.revenue)) · \(words.count("metrics_sales_count_n", $0.sales))")
            }, axis: axis)
        hours = SVGChart.columns(
            title: words["chart_hours"],
            bars: metrics.hourTotals.map {
                SVGChart.Bar(
                    label: String($0.hour), value: Double($0.sales), text: String($0.sales),
                    tooltip: "\(hourNames[$0.hour]): \(words.count("metrics_sales_count_n", $0.sales)) · \(money($0.revenue))")
            }, labelEvery: 3, integer: true, axis: axis)
        heatmap = SVGChart.heatmap(
            title: words["chart_heatmap"], rows: shortDays, columns: (0..<24).map(String.init), values: metrics.heatmap.data
        ) { row, column, sales in "\(days[row]) \(hourNames[column]): \(words.count("metrics_sales_count_n", sales))" }
    }

    /// Whether the shop had begun trading by `day` (`YYYY-MM-DD` compares as text).
    static func traded(on day: String, _ period: MetricsResponse.PeriodInfo) -> Bool {
        period.tradingSince.map { day >= $0 } ?? false
    }
}

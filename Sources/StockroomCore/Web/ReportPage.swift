import Foundation
import Hummingbird

/// `GET /reports`, the metrics page (`/metrics` is Prometheus's). It shows exactly what `GET /api/metrics` answers
/// for the same query, read through the API's own controller: the same validation (a bad period is a 400 page), the
/// same tenancy. The charts are SVG drawn here, so the page needs no script.
struct ReportPage {
    let pages: Pages
    let reports: ReportController

    /// The periods the picker offers, in days up to today.
    static let periods = [7, 30, 90, 365]

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("reports", use: page)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("reports", title: "metrics", request, context, needs: .viewReports) { caller, page in
            let metrics = try await reports.metricsResponse(request, context: context)
            let words = MetricsWords(page.strings, format: page.format)
            page.values.merge(ReportView(metrics, words: words).values) { _, new in new }
            let stores = try await storeChoices(caller, selected: metrics.period.storeId)
            page.values["filter"] = filter(request, metrics.period, stores: stores, words: words)
            let store = stores.first { $0["selected"] as? Bool == true }?["name"] as? String
            if let name = store ?? (caller.role == .owner ? words["metrics_all_stores"] : nil) { page.values["store_name"] = name }
        }
    }

    /// The picker's values: the period chosen (or the dates, when the query gave dates) and, for owners, the store.
    private func filter(_ request: Request, _ period: MetricsResponse.PeriodInfo, stores: [[String: Any]], words: MetricsWords) -> [String: Any] {
        let query = request.uri.queryParameters
        let custom = [query["from"], query["to"]].contains { !($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        let days = Int(period.days)
        var choices = Self.periods
        if !custom && !choices.contains(days) { choices.append(days) }
        var options: [[String: Any]] = choices.sorted().map {
            ["value": String($0), "label": words["metrics_last_days", ["n": String($0)]], "selected": !custom && $0 == days]
        }
        options.append(["value": "", "label": words["metrics_custom_dates"], "selected": custom])
        return [
            "periods": options, "from": custom ? period.start : "", "to": custom ? period.end : "",
            "stores": stores, "has_stores": !stores.isEmpty, "all_selected": period.storeId == nil,
        ]
    }

    /// Owners may look at any one store or all of them; others see their own store only, so they get no choice.
    private func storeChoices(_ caller: Caller, selected: Int64?) async throws -> [[String: Any]] {
        guard caller.role == .owner else { return [] }
        let stores = try await StoreService(database: reports.reports.database).list(caller, window: OffsetRequest(limit: 100)).stores
        return stores.map { ["id": String($0.id), "name": $0.name, "selected": $0.id == selected] }
    }
}

/// A metrics answer as template values: KPIs with their change, the charts, the stock alerts, the forecast and the
/// insights, every number already written for reading.
struct ReportView {
    let values: [String: Any]

    init(_ metrics: MetricsResponse, words: MetricsWords) {
        let period = metrics.period
        let hasSales = metrics.kpis.totalSales > 0
        let comparable = Self.comparable(period)
        values = [
            "period": [
                "from": period.start, "to": period.end, "days": String(period.days), "previous_from": period.previousStart,
                "previous_to": period.previousEnd, "time_zone": period.timeZone,
            ],
            "range_text": words["metrics_range", ["from": period.start, "to": period.end, "days": String(period.days)]],
            "compare_text": words["metrics_compared_with", ["from": period.previousStart, "to": period.previousEnd]],
            "kpis": Self.kpis(metrics.kpis, comparable: comparable, words),
            "has_sales": hasSales,
            "has_previous": metrics.comparison.days.contains { Charts.traded(on: $0.previousDate, period) },
            "charts": Charts(metrics, words: words).values,
            "has_top_products": !metrics.topProducts.isEmpty,
            "insights": words.insights(metrics, comparable: comparable),
            "has_insights": !metrics.insights.notes.isEmpty,
            "has_forecast": !metrics.inventoryForecast.isEmpty,
            "alerts": Self.alerts(metrics.alerts),
            "forecast": metrics.inventoryForecast.map {
                [
                    "name": $0.name, "barcode": $0.barcode, "stock": String($0.currentStock),
                    "per_day": SVGChart.number($0.dailyAverage, places: 2), "days_left": SVGChart.number($0.daysRemaining),
                    "soon": $0.daysRemaining <= 7,
                ] as [String: Any]
            },
            "pace_text": words["metrics_forecast_pace", ["days": String(period.paceDays)]],
        ]
    }

    /// Whether the previous period is a fair comparison: the shop traded through all of it. A shop younger than the
    /// two periods would otherwise read "up 199.5 %" against the few days it had been open.
    static func comparable(_ period: MetricsResponse.PeriodInfo) -> Bool {
        period.tradingSince.map { $0 <= period.previousStart } ?? false
    }

    private static func kpis(_ kpis: MetricsResponse.KPIs, comparable: Bool, _ words: MetricsWords) -> [[String: Any]] {
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
            var card: [String: Any] = [
                "id": key.replacingOccurrences(of: "metrics_", with: "kpi-").replacingOccurrences(of: "_", with: "-"),
                "label": words[key], "value": show(value), "previous": show(previous), "trend": trend,
                // with nothing to compare with, that is what the card says, aloud and on screen alike
                "change": change.map(MetricsWords.percent) ?? words["metrics_trend_none"],
            ]
            if change != nil {
                card["arrow"] = ["up": "▲", "down": "▼"][trend] ?? "="
                card["trend_text"] = words["metrics_trend_" + trend]
            }
            return card
        }
    }

    private static func alerts(_ alerts: MetricsResponse.Alerts) -> [String: Any] {
        func rows(_ items: [MetricsResponse.Alerts.Item], total: Int) -> [String: Any] {
            var list: [String: Any] = [
                "items": items.map {
                    ["name": $0.name, "barcode": $0.barcode, "store": $0.storeName, "stock": String($0.stock), "min_stock": String($0.minStock)]
                },
                "count": String(total), "any": total > 0,
            ]
            if total > items.count { list["more"] = String(total - items.count) }
            return list
        }
        return [
            "out_of_stock": rows(alerts.items.outOfStock, total: alerts.outOfStock), "low_stock": rows(alerts.items.lowStock, total: alerts.lowStock),
            "no_movement": rows(alerts.items.noMovement, total: alerts.noMovement),
            "any": alerts.outOfStock + alerts.lowStock + alerts.noMovement > 0,
        ]
    }
}

/// The page's five charts, as SVG.
struct Charts {
    let values: [String: String]

    init(_ metrics: MetricsResponse, words: MetricsWords) {
        let money = { (value: Double) in words.format.money(value) }
        // Axis labels stay short (`12.5k`), with the reader's decimal mark.
        let axis = { (value: Double) in words.format.decimalMarked(SVGChart.compact(value)) }
        let period = metrics.period
        // A day before the shop's first sale is a gap in the line, not a zero (nor is the previous period's).
        let points = metrics.comparison.days.map {
            SVGChart.Point(label: $0.date, axis: String($0.date.dropFirst(5)), value: Self.traded(on: $0.date, period) ? $0.revenue : nil,
                           previous: Self.traded(on: $0.previousDate, period) ? $0.previousRevenue : nil)
        }
        let revenueTitle = words["chart_revenue_title", ["from": period.start, "to": period.end]]
        let days = (0..<7).map { words["metrics_day_\($0)"] }
        let shortDays = (0..<7).map { words["metrics_day_short_\($0)"] }
        let hours = (0..<24).map { MetricsWords.clock($0) + "–" + MetricsWords.clock($0 + 1) }
        values = [
            "revenue": SVGChart.line(title: revenueTitle, points: points, previousLabel: words["metrics_previous_period"], format: money, axis: axis),
            "revenue_narrow": SVGChart.line(
                title: revenueTitle, points: points, previousLabel: words["metrics_previous_period"], narrow: true, format: money, axis: axis),
            "top_products": SVGChart.horizontalBars(title: words["chart_top_products"], bars: metrics.topProducts.map {
                SVGChart.Bar(label: $0.name, value: $0.revenue, text: money($0.revenue),
                             tooltip: "\($0.name): \(money($0.revenue)) · \(words.count("metrics_units_count", $0.units))")
            }),
            "weekdays": SVGChart.columns(title: words["chart_weekdays"], bars: metrics.weekdayTotals.map {
                SVGChart.Bar(label: shortDays[$0.weekday], value: $0.revenue, text: money($0.revenue),
                             tooltip: "\(days[$0.weekday]): \(money($0.revenue)) · \(words.count("metrics_sales_count_n", $0.sales))")
            }, axis: axis),
            "hours": SVGChart.columns(title: words["chart_hours"], bars: metrics.hourTotals.map {
                SVGChart.Bar(label: String($0.hour), value: Double($0.sales), text: String($0.sales),
                             tooltip: "\(hours[$0.hour]): \(words.count("metrics_sales_count_n", $0.sales)) · \(money($0.revenue))")
            }, labelEvery: 3, integer: true, axis: axis),
            "heatmap": SVGChart.heatmap(
                title: words["chart_heatmap"], rows: shortDays, columns: (0..<24).map(String.init), values: metrics.heatmap.data
            ) { row, column, sales in "\(days[row]) \(hours[column]): \(words.count("metrics_sales_count_n", sales))" },
        ]
    }

    /// Whether the shop had begun trading by `day` (`YYYY-MM-DD` compares as text).
    static func traded(on day: String, _ period: MetricsResponse.PeriodInfo) -> Bool {
        period.tradingSince.map { day >= $0 } ?? false
    }
}

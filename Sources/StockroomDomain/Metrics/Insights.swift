import Foundation

/// Plain sentences a shopkeeper can act on, drawn from a period's metrics: the trend against the previous
/// period, the busiest day and hour, the best seller, and the stock that needs attention.
public struct Insight: Sendable, Equatable {
    public var kind: String
    public var message: String

    public static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    /// Products forecast to run out within this many days are called out.
    public static let runningOutDays = 7.0

    public static func from(_ metrics: SalesMetrics) -> [Insight] {
        let series = metrics.series
        let days = series.period.days
        var insights: [Insight] = []
        guard series.total.sales > 0 else {
            insights.append(Insight(kind: "no_sales", message: "No sales in this period."))
            return insights + stockInsights(metrics)
        }
        if let change = SalesSeries.change(series.total.revenueCents, from: series.previousTotal.revenueCents) {
            let direction = change >= 0 ? "up" : "down"
            insights.append(Insight(kind: "trend", message: "Revenue is \(direction) \(percent(abs(change))) on the previous \(days) days."))
        } else {
            insights.append(Insight(kind: "trend", message: "No sales in the previous \(days) days to compare with."))
        }
        if days >= 7, let busiest = series.weekdays.indices.max(by: { series.weekdays[$0].revenueCents < series.weekdays[$1].revenueCents }) {
            let share = Double(series.weekdays[busiest].revenueCents) / Double(max(series.total.revenueCents, 1)) * 100
            insights.append(Insight(kind: "peak_day", message: "\(weekdayNames[busiest]) brings the most revenue (\(percent(share)))."))
        }
        if let peak = series.hoursOfDay.indices.max(by: { series.hoursOfDay[$0].sales < series.hoursOfDay[$1].sales }) {
            insights.append(Insight(kind: "peak_hour", message: "Most sales happen between \(clock(peak)) and \(clock(peak + 1))."))
        }
        if let best = metrics.topProducts.first {
            insights.append(
                Insight(
                    kind: "top_product",
                    message: "\(best.name) is the best seller: \(best.units) sold for \(String(format: "%.2f", Money.amount(best.revenueCents)))."))
        }
        return insights + stockInsights(metrics)
    }

    private static func stockInsights(_ metrics: SalesMetrics) -> [Insight] {
        var insights: [Insight] = []
        let runningOut = metrics.forecast.items.filter { $0.daysLeft > 0 && $0.daysLeft <= runningOutDays }.count
        if runningOut > 0 {
            insights.append(Insight(kind: "stockout_risk", message: "Running out within a week at the current pace: \(products(runningOut))."))
        }
        if metrics.outOfStock.total > 0 {
            insights.append(Insight(kind: "out_of_stock", message: "Out of stock: \(products(metrics.outOfStock.total))."))
        }
        if metrics.noMovement.total > 0 {
            insights.append(Insight(kind: "idle_stock", message: "In stock but not sold in this period: \(products(metrics.noMovement.total))."))
        }
        return insights
    }

    private static func percent(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) %" : "\((value * 10).rounded() / 10) %"
    }

    private static func clock(_ hour: Int) -> String {
        String(format: "%02d:00", hour)
    }

    private static func products(_ count: Int) -> String {
        count == 1 ? "1 product" : "\(count) products"
    }
}

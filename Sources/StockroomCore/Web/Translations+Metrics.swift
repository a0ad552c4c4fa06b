import Foundation

extension Language {
    /// The metrics page (`/reports`) and its charts. `{name}` marks a value filled in by `MetricsWords`; a key ending
    /// in `_one`/`_other` is a count's singular and plural.
    static let metricsStrings: Strings = [
        "metrics_period": ("Period", "Periodo"),
        "metrics_last_days": ("Last {n} days", "Últimos {n} días"),
        "metrics_custom_dates": ("Dates below", "Fechas de abajo"),
        "metrics_from": ("From", "Desde"),
        "metrics_to": ("To", "Hasta"),
        "metrics_all_stores": ("All stores", "Todas las tiendas"),
        "metrics_apply": ("Show", "Ver"),
        "metrics_picker_hint": (
            "Pick a period, or choose “Dates below” and set the dates.", "Elige un periodo, o elige “Fechas de abajo” y pon las fechas."
        ),
        "metrics_range": ("{from} to {to} ({days} days)", "Del {from} al {to} ({days} días)"),
        "metrics_compared_with": ("compared with {from} to {to}", "comparado con el {from} al {to}"),
        "metrics_time_zone": ("Days and hours in", "Días y horas en"),
        "metrics_revenue": ("Revenue", "Ingresos"),
        "metrics_sales_count": ("Sales", "Ventas"),
        "metrics_units": ("Units sold", "Unidades vendidas"),
        "metrics_avg_ticket": ("Average ticket", "Ticket medio"),
        "metrics_gross_profit": ("Gross profit", "Ganancia bruta"),
        "metrics_previous": ("Previous period", "Periodo anterior"),
        "metrics_previous_period": ("Previous period", "Periodo anterior"),
        "metrics_this_period": ("This period", "Este periodo"),
        "metrics_trend_up": ("up on the previous period", "más que el periodo anterior"),
        "metrics_trend_down": ("down on the previous period", "menos que el periodo anterior"),
        "metrics_trend_flat": ("the same as the previous period", "igual que el periodo anterior"),
        "metrics_trend_none": ("no sales before to compare", "sin ventas previas para comparar"),
        "metrics_no_sales": ("No sales in this period.", "No hubo ventas en este periodo."),
        "metrics_insights": ("What stands out", "Lo más destacado"),
        "metrics_alerts": ("Stock that needs attention", "Stock que requiere atención"),
        "metrics_out_of_stock": ("Out of stock", "Sin stock"),
        "metrics_low_stock": ("Low stock", "Stock bajo"),
        "metrics_no_movement": ("Not sold in this period", "Sin ventas en este periodo"),
        "metrics_and_more": ("more", "más"),
        "metrics_all_good": ("Nothing needs attention.", "Nada requiere atención."),
        "metrics_forecast": ("Days of stock left", "Días de stock restantes"),
        "metrics_forecast_pace": ("At the pace of the last {days} days.", "Al ritmo de los últimos {days} días."),
        "metrics_per_day": ("Per day", "Por día"),
        "metrics_days_left": ("Days left", "Días restantes"),
        "metrics_units_count_one": ("1 unit", "1 unidad"),
        "metrics_units_count_other": ("{n} units", "{n} unidades"),
        "metrics_sales_count_n_one": ("1 sale", "1 venta"),
        "metrics_sales_count_n_other": ("{n} sales", "{n} ventas"),
        "metrics_products_n_one": ("1 product", "1 producto"),
        "metrics_products_n_other": ("{n} products", "{n} productos"),
        "metrics_day_0": ("Monday", "lunes"), "metrics_day_1": ("Tuesday", "martes"), "metrics_day_2": ("Wednesday", "miércoles"),
        "metrics_day_3": ("Thursday", "jueves"), "metrics_day_4": ("Friday", "viernes"), "metrics_day_5": ("Saturday", "sábado"),
        "metrics_day_6": ("Sunday", "domingo"),
        "metrics_day_short_0": ("Mon", "Lun"), "metrics_day_short_1": ("Tue", "Mar"), "metrics_day_short_2": ("Wed", "Mié"),
        "metrics_day_short_3": ("Thu", "Jue"), "metrics_day_short_4": ("Fri", "Vie"), "metrics_day_short_5": ("Sat", "Sáb"),
        "metrics_day_short_6": ("Sun", "Dom"),
        "chart_revenue": ("Revenue per day", "Ingresos por día"),
        "chart_revenue_title": ("Revenue per day from {from} to {to}", "Ingresos por día del {from} al {to}"),
        "chart_top_products": ("Best sellers (units sold; bars show takings)", "Más vendidos (por unidades; las barras muestran ingresos)"),
        "chart_weekdays": ("Revenue by weekday", "Ingresos por día de la semana"),
        "chart_hours": ("Sales by hour of the day", "Ventas por hora del día"),
        "chart_heatmap": ("Sales by weekday and hour", "Ventas por día y hora"),
        "chart_heatmap_hint": ("Darker means more sales.", "Más oscuro, más ventas."),
        "insight_trend_up": (
            "Revenue is up {percent} on the previous {days} days.",
            "Los ingresos suben un {percent} respecto a los {days} días anteriores."
        ),
        "insight_trend_down": (
            "Revenue is down {percent} on the previous {days} days.",
            "Los ingresos bajan un {percent} respecto a los {days} días anteriores."
        ),
        "insight_trend_none": (
            "No sales in the previous {days} days to compare with.",
            "No hubo ventas en los {days} días anteriores para comparar."
        ),
        "insight_peak_day": ("{day} brings the most revenue ({percent}).", "El {day} es el día de más ingresos ({percent})."),
        "insight_peak_hour": ("Most sales happen between {from} and {to}.", "La mayoría de las ventas ocurren entre las {from} y las {to}."),
        "insight_top_product": ("{name} is the best seller: {units} sold for {revenue}.", "{name} es lo más vendido: {units} por {revenue}."),
        "insight_stockout_risk": (
            "Running out within a week at the current pace: {products}.",
            "Se agotarán en menos de una semana al ritmo actual: {products}."
        ),
        "insight_out_of_stock": ("Out of stock: {products}.", "Sin stock: {products}."),
        "insight_idle_stock": ("In stock but not sold in this period: {products}.", "Con stock pero sin ventas en este periodo: {products}."),
    ]
}

/// The metrics page's strings in the reader's language, with their `{placeholders}` filled in.
struct MetricsWords {
    let strings: [String: String]
    /// The reader's way of writing the amounts the words name.
    let format: DisplayFormat

    init(_ strings: [String: String], format: DisplayFormat = DisplayFormat(language: .en)) {
        self.strings = strings
        self.format = format
    }

    subscript(key: String) -> String {
        strings[key] ?? key
    }

    /// In one pass, so a filled-in value (a product's name) is never taken for a placeholder.
    subscript(key: String, values: [String: String]) -> String {
        var text = ""
        var rest = self[key][...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = String(rest[rest.index(after: open)..<close])
            text += rest[..<open] + (values[name] ?? String(rest[open...close]))
            rest = rest[rest.index(after: close)...]
        }
        return text + rest
    }

    /// "1 sale", "3 sales" (`key_one`, `key_other`).
    func count(_ key: String, _ number: Int64) -> String {
        number == 1 ? self[key + "_one"] : self[key + "_other", ["n": String(number)]]
    }

    /// `12 %`, `116.7 %`: one decimal at most, whatever the machine's locale.
    static func percent(_ value: Double) -> String {
        SVGChart.number(abs(value)) + " %"
    }

    /// The API's insights (which ones, and in what order, is its call) worded in the reader's language from the
    /// same answer's numbers; a kind this page does not know keeps the API's English sentence.
    /// `comparable`: the shop traded through all of the previous period (`ReportView.comparable`).
    /// One insight as the page shows it: its kind, its tone (the colour) and its words.
    struct InsightLine: Sendable {
        let kind: String
        let tone: String
        let text: String
    }

    func insights(_ metrics: MetricsResponse, comparable: Bool) -> [InsightLine] {
        let days = String(metrics.period.days)
        return metrics.insights.notes.map { insight in
            var tone = "info"
            let text: String
            switch insight.kind {
            case "no_sales":
                text = self["metrics_no_sales"]
            case "trend":
                if metrics.kpis.previous.revenue != 0 && comparable {
                    let change = metrics.kpis.revenueChange
                    tone = change >= 0 ? "good" : "bad"
                    text = self[change >= 0 ? "insight_trend_up" : "insight_trend_down", ["percent": Self.percent(change), "days": days]]
                } else {
                    text = self["insight_trend_none", ["days": days]]
                }
            case "peak_day":
                let best = metrics.weekdayTotals.max { $0.revenue < $1.revenue }
                let share = (best?.revenue ?? 0) / max(metrics.kpis.revenue, 0.01) * 100
                text = self["insight_peak_day", ["day": self["metrics_day_\(best?.weekday ?? 0)"], "percent": Self.percent(share)]]
            case "peak_hour":
                let hour = metrics.hourTotals.max { $0.sales < $1.sales }?.hour ?? 0
                text = self["insight_peak_hour", ["from": Self.clock(hour), "to": Self.clock(hour + 1)]]
            case "top_product" where !metrics.topProducts.isEmpty:
                let best = metrics.topProducts[0]
                text =
                    self[
                        "insight_top_product",
                        [
                            "name": best.name, "units": count("metrics_units_count", best.units), "revenue": format.money(best.revenue),
                        ]]
            case "stockout_risk", "out_of_stock", "idle_stock":
                tone = "warning"
                let products =
                    switch insight.kind {
                    case "stockout_risk":
                        metrics.inventoryForecast.filter { $0.daysRemaining > 0 && $0.daysRemaining <= Insight.runningOutDays }.count
                    case "out_of_stock": metrics.alerts.outOfStock
                    default: metrics.alerts.noMovement
                    }
                text = self["insight_" + insight.kind, ["products": count("metrics_products_n", Int64(products))]]
            default:
                text = insight.message
            }
            return InsightLine(kind: insight.kind, tone: tone, text: text)
        }
    }

    /// `09:00`.
    static func clock(_ hour: Int) -> String {
        (hour < 10 ? "0" : "") + "\(hour):00"
    }
}

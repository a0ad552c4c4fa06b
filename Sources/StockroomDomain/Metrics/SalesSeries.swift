/// A period's completed sales cut every way the dashboard shows them: zero-filled days (and those of the
/// previous period), weekdays (Monday first), hours of the day, and the weekday × hour heatmap. Pure arithmetic
/// on totals the database grouped by local day and by weekday and hour, so it is easy to check by hand.
public struct SalesSeries: Sendable, Equatable {
    public let period: ReportPeriod
    public private(set) var total = SalesTotals()
    public private(set) var previousTotal = SalesTotals()
    /// One entry per day of the period, oldest first.
    public private(set) var days: [SalesTotals]
    /// One entry per day of the previous period, oldest first (for the day-by-day comparison).
    public private(set) var previousDays: [SalesTotals]
    public private(set) var weekdays = Array(repeating: SalesTotals(), count: 7)
    public private(set) var hoursOfDay = Array(repeating: SalesTotals(), count: 24)
    /// Sales counted by weekday (rows, Monday first) and hour (columns).
    public private(set) var heatmap = Array(repeating: Array(repeating: Int64(0), count: 24), count: 7)

    /// `days` may cover the period and the previous one (anything else is ignored); `clock` covers the period.
    public init(period: ReportPeriod, days byDay: [Int64: SalesTotals], clock: [ClockCell]) {
        self.period = period
        let previous = period.previous
        days = (period.firstDay...period.lastDay).map { byDay[$0] ?? SalesTotals() }
        previousDays = (previous.firstDay...previous.lastDay).map { byDay[$0] ?? SalesTotals() }
        total = days.reduce(SalesTotals(), +)
        previousTotal = previousDays.reduce(SalesTotals(), +)
        for cell in clock {
            weekdays[cell.weekday] = weekdays[cell.weekday] + cell.totals
            hoursOfDay[cell.hour] = hoursOfDay[cell.hour] + cell.totals
            heatmap[cell.weekday][cell.hour] += cell.totals.sales
        }
    }

    /// The change from `previous` to `current` in percent, one decimal; nil when there is nothing to compare with.
    public static func change(_ current: Int64, from previous: Int64) -> Double? {
        guard previous != 0 else { return nil }
        return (Double(current - previous) / Double(abs(previous)) * 1000).rounded() / 10
    }

    /// Average takings per sale in cents, rounded to the nearest cent.
    public static func averageTicket(_ totals: SalesTotals) -> Int64 {
        totals.sales == 0 ? 0 : (totals.revenueCents * 2 + totals.sales) / (totals.sales * 2)
    }
}

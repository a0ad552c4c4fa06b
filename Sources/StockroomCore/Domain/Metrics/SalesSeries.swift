/// A period's completed sales cut every way the dashboard shows them, from hourly totals on the business clock:
/// zero-filled days, weekdays (Monday first), hours of the day, and the weekday × hour heatmap. Pure arithmetic,
/// so it is the same on both engines and easy to check by hand.
public struct SalesSeries: Sendable, Equatable {
    public let period: ReportPeriod
    public private(set) var total: HourTotals
    public private(set) var previousTotal: HourTotals
    /// One entry per day of the period, oldest first.
    public private(set) var days: [HourTotals]
    /// One entry per day of the previous period, oldest first (for the day-by-day comparison).
    public private(set) var previousDays: [HourTotals]
    public private(set) var weekdays: [HourTotals]
    public private(set) var hoursOfDay: [HourTotals]
    /// Sales counted by weekday (rows, Monday first) and hour (columns).
    public private(set) var heatmap: [[Int64]]

    /// `hours` may cover the period and the previous one; anything else is ignored.
    public init(period: ReportPeriod, hours: [HourTotals]) {
        self.period = period
        let previous = period.previous
        total = HourTotals(hour: period.firstHour)
        previousTotal = HourTotals(hour: previous.firstHour)
        days = (period.firstDay...period.lastDay).map { HourTotals(hour: $0 * 24) }
        previousDays = (previous.firstDay...previous.lastDay).map { HourTotals(hour: $0 * 24) }
        weekdays = (0..<7).map { HourTotals(hour: Int64($0)) }
        hoursOfDay = (0..<24).map { HourTotals(hour: Int64($0)) }
        heatmap = Array(repeating: Array(repeating: 0, count: 24), count: 7)
        for totals in hours {
            let day = LocalClock.floorDivide(totals.hour, 24)
            let hourOfDay = Int(totals.hour - day * 24)
            if period.contains(day: day) {
                let weekday = LocalDay.weekday(day)
                total = total + totals
                days[Int(day - period.firstDay)] = days[Int(day - period.firstDay)] + totals
                weekdays[weekday] = weekdays[weekday] + totals
                hoursOfDay[hourOfDay] = hoursOfDay[hourOfDay] + totals
                heatmap[weekday][hourOfDay] += totals.sales
            } else if previous.contains(day: day) {
                previousTotal = previousTotal + totals
                previousDays[Int(day - previous.firstDay)] = previousDays[Int(day - previous.firstDay)] + totals
            }
        }
    }

    /// The change from `previous` to `current` in percent, one decimal; nil when there is nothing to compare with.
    public static func change(_ current: Int64, from previous: Int64) -> Double? {
        guard previous != 0 else { return nil }
        return (Double(current - previous) / Double(abs(previous)) * 1000).rounded() / 10
    }

    /// Average takings per sale in cents, rounded to the nearest cent.
    public static func averageTicket(_ totals: HourTotals) -> Int64 {
        totals.sales == 0 ? 0 : (totals.revenueCents * 2 + totals.sales) / (totals.sales * 2)
    }
}

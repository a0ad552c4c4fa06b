import Foundation

/// Calendar arithmetic in the business time zone, done with integers: a *local day* is the number of days since
/// 1970-01-01 on the shop's wall clock and a *local hour* the number of hours, so report buckets and
/// `YYYY-MM-DD` filters never mix UTC and local days, and grouping needs no calendar calls per row.
public struct LocalClock: Sendable {
    static let millisecondsPerHour: Int64 = 3_600_000
    public static let millisecondsPerDay: Int64 = 86_400_000
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// The zone's offset from UTC at `milliseconds`, in milliseconds.
    public func offset(at milliseconds: Int64) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: Date(unixMilliseconds: milliseconds))) * 1000
    }

    public func hour(at milliseconds: Int64) -> Int64 {
        Self.floorDivide(milliseconds + offset(at: milliseconds), Self.millisecondsPerHour)
    }

    public func day(at milliseconds: Int64) -> Int64 {
        Self.floorDivide(milliseconds + offset(at: milliseconds), Self.millisecondsPerDay)
    }

    /// The first millisecond of local day `day` (its midnight, on the offset in force then).
    public func start(ofDay day: Int64) -> Int64 {
        let midnight = day * Self.millisecondsPerDay
        return midnight - offset(at: midnight - offset(at: midnight))
    }

    public func today(now: Date = .now) -> Int64 {
        day(at: now.unixMilliseconds)
    }

    /// The zone's offsets over `[start, end)` as runs: each offset holds until the next run's start. A rebuild
    /// turns them into one SQL CASE, so whole years of sales are bucketed in the database in one pass.
    func offsetRuns(from start: Int64, to end: Int64) -> [(start: Int64, offset: Int64)] {
        var runs = [(start: start, offset: offset(at: start))]
        var cursor = Date(unixMilliseconds: start)
        while let change = timeZone.nextDaylightSavingTimeTransition(after: cursor), change.unixMilliseconds < end {
            let milliseconds = change.unixMilliseconds
            runs.append((start: milliseconds, offset: offset(at: milliseconds)))
            cursor = change
        }
        return runs
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}

/// A calendar day as a day number, and back (Howard Hinnant's civil-from-days algorithms, proleptic Gregorian).
public enum LocalDay {
    public static func number(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func components(_ number: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD`.
    public static func string(_ number: Int64) -> String {
        let (year, month, day) = components(number)
        return String(format: "%04lld-%02lld-%02lld", year, month, day)
    }

    /// The day number of a strict `YYYY-MM-DD` that names a real date, else nil.
    public static func parse(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let number = Self.number(year: year, month: month, day: day)
        return components(number) == (year, month, day) ? number : nil
    }

    /// 0 for Monday … 6 for Sunday (1970-01-01, day 0, was a Thursday).
    public static func weekday(_ number: Int64) -> Int {
        let shifted = number + 3
        return Int(shifted - 7 * LocalClock.floorDivide(shifted, 7))
    }
}

import Foundation
import Hummingbird

/// Typed access to query parameters: each malformed value is a 400 that names the parameter.
public struct QueryReader: Sendable {
    let parameters: [String: String]

    public init(_ request: Request) {
        self.init(query: request.uri.query ?? "")
    }

    /// Parameters of a raw query string as a form encodes them, as StockManager's Flask reads them: `+` is a space
    /// (`search=two+words` finds "two words"; a plus sign itself comes as `%2B`), then percent-escapes are undone.
    /// A name given twice keeps its last value.
    init(query: String) {
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            parameters[decoded(parts[0])] = parts.count > 1 ? decoded(parts[1]) : ""
        }
        self.parameters = parameters
    }

    /// The trimmed text, or nil when absent or empty; longer than `maxLength` is a 400.
    public func string(_ name: String, maxLength: Int = 200) throws -> String? {
        guard let value = parameters[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        guard value.count <= maxLength else { throw Self.invalid(name, "at most \(maxLength) characters") }
        // A NUL or an escape in a filter is never meant (and PostgreSQL refuses NUL in text).
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Self.invalid(name, "text without control characters")
        }
        return value
    }

    public func int(_ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text = try string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw Self.invalid(
                name,
                range.upperBound == Int.max
                    ? "a whole number of at least \(range.lowerBound)" : "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A positive id.
    public func id(_ name: String) throws -> Int64? {
        guard let text = try string(name) else { return nil }
        guard let value = Int64(text), value > 0 else { throw Self.invalid(name, "a positive whole number") }
        return value
    }

    /// One of `values`' raw values.
    public func oneOf<T: RawRepresentable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = try string(name) else { return nil }
        guard let value = T(rawValue: text.lowercased()) else { throw Self.invalid(name, "a known value") }
        return value
    }

    static func invalid(_ name: String, _ expected: String) -> AppError {
        AppError(.badRequest, code: "invalid_query", "Query parameter '\(name)' must be \(expected)", context: ["field": .string(name)])
    }
}

extension Parameters {
    /// A positive id from the path: anything else is a 400, never a 500.
    public func id(_ name: String) throws -> Int64 {
        guard let text = self.get(name), let value = Int64(text), value > 0 else {
            throw AppError(.badRequest, code: "invalid_id", "'\(self.get(name) ?? "")' is not a valid id", context: ["field": .string(name)])
        }
        return value
    }
}

extension QueryReader {
    /// A date bound: `YYYY-MM-DD` is a day in the business time zone (its start, or with `endOfDay` the start of
    /// the next day, for an exclusive upper bound); a full ISO-8601 timestamp is taken as it is.
    public func date(_ name: String, timeZone: TimeZone, endOfDay: Bool = false) throws -> Date? {
        guard let text = try string(name, maxLength: 40) else { return nil }
        // A timestamp's `+01:00` sent unescaped arrives as " 01:00" (a `+` is a space in a query): read it back.
        for candidate in [text, text.replacingOccurrences(of: " ", with: "+")] {
            if let instant = try? Date(candidate, strategy: .iso8601) { return endOfDay ? instant + 0.001 : instant }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10,
            let day = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
            calendar.dateComponents([.year, .month, .day], from: day) == DateComponents(year: parts[0], month: parts[1], day: parts[2])
        else { throw Self.invalid(name, "a date as YYYY-MM-DD or an ISO-8601 timestamp") }
        return endOfDay ? calendar.date(byAdding: .day, value: 1, to: day) : day
    }
}

extension QueryReader {
    /// A calendar day as `YYYY-MM-DD` (a day on the business clock), as a `LocalDay` number.
    public func day(_ name: String) throws -> Int64? {
        guard let text = try string(name, maxLength: 10) else { return nil }
        guard let day = LocalDay.parse(text) else { throw Self.invalid(name, "a date as YYYY-MM-DD") }
        return day
    }
}

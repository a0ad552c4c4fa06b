import Foundation
import NIOConcurrencyHelpers

/// How the staff pages write amounts, numbers and times for one reader: their language's conventions (Foundation's
/// formatters, so `12.345,67 €` in Spanish and `€12,345.67` in English), the company's currency and the business
/// clock. Every page, the receipt, the charts and the till's script write money through here; the JSON API and CSV
/// files keep plain numbers (`229350.75`).
struct DisplayFormat: Sendable {
    let language: Language
    let currency: String
    let timeZone: TimeZone

    init(language: Language, currency: String = Currency.fallback, timeZone: TimeZone = .gmt) {
        self.language = language
        self.currency = currency
        self.timeZone = timeZone
    }

    /// The language's conventions for numbers and dates. `es_ES` follows CLDR, like every Spanish-locale program:
    /// amounts group thousands from five digits (`1234,56 €`, `12.345,67 €`), as the RAE recommends.
    var locale: Locale {
        Locale(identifier: language == .es ? "es_ES" : "en_US")
    }

    /// An amount of money kept in cents.
    func money(cents: Int64) -> String {
        Self.styles.currency(locale, currency).format(Decimal(cents) / 100)
    }

    /// An amount as the metrics answer it (a number with at most two decimals).
    func money(_ amount: Double) -> String {
        guard amount.isFinite else { return money(cents: 0) }
        return money(cents: Int64((amount * 100).rounded()))
    }

    /// An amount as a form field takes it: `2.50`, whatever the reader's language (the field's own number format).
    static func plain(cents: Int64) -> String {
        String(format: "%.2f", Double(cents) / 100)
    }

    /// A percentage kept in basis points as a form field and the till's hint write it: `21`, `12.5`, `7.25`.
    static func percent(basisPoints: Int64) -> String {
        let percent = Double(basisPoints) / 100
        return percent == percent.rounded() ? String(Int64(percent)) : String(percent)
    }

    /// A count or measure with the language's separators (`12.345`, `1,5`).
    func number(_ value: Double, places: Int = 0) -> String {
        Self.styles.number(locale, places).format(Decimal(string: String(format: "%.\(places)f", value)) ?? 0)
    }

    /// A number already written with a point (a chart's `12.5k`) with the language's decimal mark instead.
    func decimalMarked(_ text: String) -> String {
        let mark = locale.decimalSeparator ?? "."
        return mark == "." ? text : text.replacingOccurrences(of: ".", with: mark)
    }

    /// An instant on the business clock, as the reader writes dates and times (`14/11/2023, 23:13`, `11/14/2023, 11:13 PM`).
    func dateTime(_ date: Date) -> String {
        Self.styles.dateTime(locale, timeZone).format(date)
    }

    /// What the till's script needs to write amounts exactly as the pages do: the text before and after the digits,
    /// the separators, the currency's decimals and from how many integer digits thousands are grouped.
    var script: String {
        let sample = money(cents: 123_456_789)  // 1,234,567.89
        let digits = sample.unicodeScalars.filter { CharacterSet.decimalDigits.contains($0) }
        let first = sample.firstIndex { $0.isNumber }.map { sample[..<$0] } ?? ""
        let last = sample.lastIndex { $0.isNumber }.map { sample[sample.index(after: $0)...] } ?? ""
        let body = sample.dropFirst(first.count).dropLast(last.count)
        let group = body.first { !$0.isNumber }.map(String.init) ?? ""
        let decimal = body.last { !$0.isNumber }.map(String.init) ?? ""
        let grouped4 = money(cents: 123_456).contains(group) && !group.isEmpty
        let fields = ScriptFormat(
            prefix: String(first), suffix: String(last), group: group, decimal: decimal, fraction: digits.count - 7,
            minGroup: grouped4 ? 4 : 5, currency: currency, locale: locale.identifier, timeZone: timeZone.identifier)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(fields)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The fields of `script`, under the names `app.js` reads.
    private struct ScriptFormat: Encodable {
        let prefix, suffix, group, decimal: String
        let fraction, minGroup: Int
        let currency, locale, timeZone: String

        enum CodingKeys: String, CodingKey {
            case prefix, suffix, group, decimal, fraction
            case minGroup = "min_group"
            case currency, locale
            case timeZone = "time_zone"
        }
    }

    /// Foundation's format styles are values, but building one and its ICU formatter behind it costs far more than
    /// a page's worth of amounts: each is made once per language, currency and zone, and shared by every request.
    private static let styles = StyleCache()

    private final class StyleCache: Sendable {
        private let currencies = NIOLockedValueBox([String: Decimal.FormatStyle.Currency]())
        private let numbers = NIOLockedValueBox([String: Decimal.FormatStyle]())
        private let dates = NIOLockedValueBox([String: Date.FormatStyle]())

        func currency(_ locale: Locale, _ code: String) -> Decimal.FormatStyle.Currency {
            currencies.withLockedValue { cache in
                let key = locale.identifier + "|" + code
                if let style = cache[key] { return style }
                let style = Decimal.FormatStyle.Currency(code: code, locale: locale)
                cache[key] = style
                return style
            }
        }

        func number(_ locale: Locale, _ places: Int) -> Decimal.FormatStyle {
            numbers.withLockedValue { cache in
                let key = locale.identifier + "|\(places)"
                if let style = cache[key] { return style }
                let style = Decimal.FormatStyle(locale: locale).precision(.fractionLength(places))
                cache[key] = style
                return style
            }
        }

        func dateTime(_ locale: Locale, _ zone: TimeZone) -> Date.FormatStyle {
            dates.withLockedValue { cache in
                let key = locale.identifier + "|" + zone.identifier
                if let style = cache[key] { return style }
                let style = Date.FormatStyle(
                    date: .numeric, time: .shortened, locale: locale, calendar: Calendar(identifier: .gregorian), timeZone: zone)
                cache[key] = style
                return style
            }
        }
    }
}

import Foundation

/// The API's own answer as template values: a page shows exactly what `GET /api/...` returns for the same caller
/// (one set of rules, one tenancy check), with amounts of money written with two decimals for display.
enum PageData {
    /// Keys whose numbers are amounts of money in the API's answers.
    static let moneyKeys: Set<String> = [
        "price", "cost", "total", "subtotal", "tax", "discount", "unit_price", "line_total", "amount", "revenue",
        "total_amount", "unit_cost", "profit", "value", "previous", "total_inventory_value", "revenue_today",
    ]

    /// `value` as the API encodes it; timestamps (`…_at`) shown as "yyyy-MM-dd HH:mm" on the business clock.
    static func of<T: Encodable>(_ value: T, timeZone: TimeZone = .gmt) throws -> Any {
        let json = try JSONDecoder().decode(JSONValue.self, from: ResponseJSON.data(value))
        return display(json, key: nil, time: TimeDisplay(timeZone: timeZone))
    }

    /// A list answer's rows, each given the extra display values `adjust` adds (labels, flags for the template).
    static func rows<T: Encodable>(_ list: [T], timeZone: TimeZone = .gmt, _ adjust: (inout [String: Any]) -> Void = { _ in }) throws -> [[String: Any]] {
        (try of(list, timeZone: timeZone) as? [[String: Any]] ?? []).map { row in
            var row = row
            adjust(&row)
            return row
        }
    }

    private static func display(_ value: JSONValue, key: String?, time: TimeDisplay) -> Any {
        switch value {
        case .object(let object): Dictionary(uniqueKeysWithValues: object.map { ($0.key, display($0.value, key: $0.key, time: time)) })
        case .array(let array): array.map { display($0, key: key, time: time) }
        case .string(let text) where key == "date" || key?.hasSuffix("_at") == true || key?.hasSuffix("At") == true: time.local(text)
        case .int(let number): key.map(moneyKeys.contains) == true ? money(Double(number)) : number
        case .double(let number): key.map(moneyKeys.contains) == true ? money(number) : number
        case .string(let text): text
        case .bool(let flag): flag
        case .null: ""
        }
    }

    /// ISO-8601 instants written as the shop reads them.
    struct TimeDisplay {
        let timeZone: TimeZone

        func local(_ text: String) -> String {
            guard let date = try? Date(text, strategy: .iso8601) else { return text }
            let parts = Calendar(identifier: .gregorian).dateComponents(in: timeZone, from: date)
            return String(format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
        }
    }

    static func money(_ amount: Double) -> String {
        String(format: "%.2f", amount)
    }
}

import Foundation

/// The API's own answer as template values: a page shows exactly what `GET /api/...` returns for the same caller
/// (one set of rules, one tenancy check), with amounts of money written with two decimals for display.
enum PageData {
    /// Keys whose numbers are amounts of money in the API's answers.
    static let moneyKeys: Set<String> = [
        "price", "cost", "total", "subtotal", "tax", "discount", "unit_price", "line_total", "amount", "revenue",
        "total_amount", "unit_cost", "profit", "value", "previous", "total_inventory_value", "revenue_today",
    ]

    /// `value` as the API encodes it, amounts and timestamps (`…_at`) written as the reader reads them (an amount's
    /// plain two-decimal number stays beside it as `<key>_plain`, for form fields).
    static func of<T: Encodable>(_ value: T, format: DisplayFormat) throws -> Any {
        let json = try JSONDecoder().decode(JSONValue.self, from: ResponseJSON.data(value))
        return display(json, key: nil, format: format)
    }

    /// A list answer's rows, each given the extra display values `adjust` adds (labels, flags for the template).
    static func rows<T: Encodable>(_ list: [T], format: DisplayFormat, _ adjust: (inout [String: Any]) -> Void = { _ in }) throws -> [[String: Any]] {
        (try of(list, format: format) as? [[String: Any]] ?? []).map { row in
            var row = row
            adjust(&row)
            return row
        }
    }

    private static func display(_ value: JSONValue, key: String?, format: DisplayFormat) -> Any {
        switch value {
        case .object(let object):
            var shown = Dictionary(uniqueKeysWithValues: object.map { ($0.key, display($0.value, key: $0.key, format: format)) })
            for (key, value) in object where moneyKeys.contains(key) {
                if case .int(let number) = value { shown[key + "_plain"] = plain(Double(number)) }
                if case .double(let number) = value { shown[key + "_plain"] = plain(number) }
            }
            return shown
        case .array(let array): return array.map { display($0, key: key, format: format) }
        case .string(let text) where key == "date" || key?.hasSuffix("_at") == true || key?.hasSuffix("At") == true:
            return (try? Date(text, strategy: .iso8601)).map(format.dateTime) ?? text
        case .int(let number): return key.map(moneyKeys.contains) == true ? format.money(Double(number)) : number
        case .double(let number): return key.map(moneyKeys.contains) == true ? format.money(number) : number
        case .string(let text): return text
        case .bool(let flag): return flag
        case .null: return ""
        }
    }

    /// An amount as a form field takes it: `2.50`, whatever the reader's language.
    static func plain(_ amount: Double) -> String {
        String(format: "%.2f", amount)
    }
}

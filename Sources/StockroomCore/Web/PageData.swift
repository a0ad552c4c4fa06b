import Foundation

/// The API's own answer as template values: a page shows exactly what `GET /api/...` returns for the same caller
/// (one set of rules, one tenancy check), with amounts of money written with two decimals for display.
enum PageData {
    /// Keys whose numbers are amounts of money in the API's answers.
    static let moneyKeys: Set<String> = [
        "price", "cost", "total", "subtotal", "tax", "discount", "unit_price", "line_total", "amount", "revenue",
        "total_amount", "unit_cost", "profit", "value", "previous", "total_inventory_value", "revenue_today",
    ]

    static func of<T: Encodable>(_ value: T) throws -> Any {
        display(try JSONDecoder().decode(JSONValue.self, from: JSONEncoder.stockroom.encode(value)), key: nil)
    }

    private static func display(_ value: JSONValue, key: String?) -> Any {
        switch value {
        case .object(let object): Dictionary(uniqueKeysWithValues: object.map { ($0.key, display($0.value, key: $0.key)) })
        case .array(let array): array.map { display($0, key: key) }
        case .int(let number): key.map(moneyKeys.contains) == true ? money(Double(number)) : number
        case .double(let number): key.map(moneyKeys.contains) == true ? money(number) : number
        case .string(let text): text
        case .bool(let flag): flag
        case .null: ""
        }
    }

    static func money(_ amount: Double) -> String {
        String(format: "%.2f", amount)
    }
}

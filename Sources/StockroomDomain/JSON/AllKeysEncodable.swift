/// Responses that always carry every key: synthesized `Encodable` leaves out nil optionals, but API clients
/// (and the OpenAPI document) expect `"address": null`, not a missing key. `ResponseJSON` writes a conforming
/// type's nil optionals as `null` and renames its keys by `keyStyle`; the conformance itself stays synthesized, so
/// nothing is reflected at run time. (Foundation's `JSONEncoder` knows nothing of this: it would leave the keys out
/// and keep the names as written, so answers go through `ResponseJSON`.)
public protocol AllKeysEncodable: Encodable {
    static var keyStyle: JSONKeyStyle { get }
}

extension AllKeysEncodable {
    public static var keyStyle: JSONKeyStyle { .snakeCase }
}

public enum JSONKeyStyle: Sendable {
    /// `storeID` → `store_id`, `lastLoginAt` → `last_login_at`: StockManager's and Stockroom's own endpoints.
    case snakeCase
    /// Property names as written (`storeId`, `isActive`): Credith's endpoints.
    case asWritten

    static func snakeCase(_ name: String) -> String {
        var result = ""
        var previous: Character?
        for character in name {
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber { result.append("_") }
            result.append(contentsOf: character.lowercased())
            previous = character
        }
        return result
    }
}

/// A key made at run time (a name added beside a type's own keys).
public struct AnyKey: CodingKey {
    public let stringValue: String
    public var intValue: Int? { nil }

    public init(_ string: String) { stringValue = string }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}

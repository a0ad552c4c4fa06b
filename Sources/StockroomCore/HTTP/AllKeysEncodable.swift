/// Responses that always carry every key: synthesized `Encodable` leaves out nil optionals, but API clients
/// (and the OpenAPI document) expect `"address": null`, not a missing key. Conforming types encode each stored
/// property in declaration order, nil as `null`, under its name in `keyStyle`.
public protocol AllKeysEncodable: Encodable {
    static var keyStyle: JSONKeyStyle { get }
}

public enum JSONKeyStyle: Sendable {
    /// `storeID` → `store_id`, `lastLoginAt` → `last_login_at`: StockManager's and Stockroom's own endpoints.
    case snakeCase
    /// Property names as written (`storeId`, `isActive`): Credith's endpoints.
    case asWritten
}

extension AllKeysEncodable {
    public static var keyStyle: JSONKeyStyle { .snakeCase }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        for child in Mirror(reflecting: self).children {
            guard let label = child.label else { continue }
            let key = AnyKey(Self.keyStyle == .snakeCase ? Self.snakeCase(label) : label)
            let value = child.value
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                guard let wrapped = mirror.children.first?.value else {
                    try container.encodeNil(forKey: key)
                    continue
                }
                try container.encode(try Self.encodable(wrapped, label), forKey: key)
            } else {
                try container.encode(try Self.encodable(value, label), forKey: key)
            }
        }
    }

    private static func encodable(_ value: Any, _ label: String) throws -> any Encodable {
        guard let encodable = value as? any Encodable else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(label) is not Encodable"))
        }
        return encodable
    }

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

struct AnyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

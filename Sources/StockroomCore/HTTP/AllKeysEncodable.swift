import NIOConcurrencyHelpers

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
        let children = Mirror(reflecting: self).children.filter { $0.label != nil }
        // The keys are worked out once per type: renaming every key of every product of a page cost a fifth of a
        // catalog read's CPU.
        let keys = AllKeysCache.keys(for: Self.self) {
            children.map { AnyKey(Self.keyStyle == .snakeCase ? Self.snakeCase($0.label!) : $0.label!) }
        }
        for (child, key) in zip(children, keys) {
            if let optional = child.value as? any OptionalValue {
                guard let wrapped = optional.wrappedValue else {
                    try container.encodeNil(forKey: key)
                    continue
                }
                try container.encode(try Self.encodable(wrapped, child.label!), forKey: key)
            } else {
                try container.encode(try Self.encodable(child.value, child.label!), forKey: key)
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

/// The coding keys of each `AllKeysEncodable` type, in declaration order, computed on first use.
private enum AllKeysCache {
    private static let keys = NIOLockedValueBox<[ObjectIdentifier: [AnyKey]]>([:])

    static func keys(for type: Any.Type, _ make: () -> [AnyKey]) -> [AnyKey] {
        if let known = keys.withLockedValue({ $0[ObjectIdentifier(type)] }) { return known }
        let made = make()
        keys.withLockedValue { $0[ObjectIdentifier(type)] = made }
        return made
    }
}

/// An optional seen through `Any` (a cast is much cheaper than a `Mirror` of each property).
private protocol OptionalValue {
    var wrappedValue: Any? { get }
}

extension Optional: OptionalValue {
    var wrappedValue: Any? { self.map { $0 as Any } }
}

struct AnyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

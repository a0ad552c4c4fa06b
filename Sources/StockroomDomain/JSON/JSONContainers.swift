/// The `Encoder` and containers `JSONOutput` hands to `Encodable` types. They keep no coding path (nothing reads
/// it when encoding answers, and building one costs an allocation per value).
struct ValueEncoder: Encoder {
    let output: JSONOutput
    /// Where this value begins in the output: a second request for its container goes on writing into the first.
    let start: Int
    let style: KeyStyle

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let depth = output.count == start ? output.openObject() : output.depth
        return KeyedEncodingContainer(KeyedJSONContainer(output: output, depth: depth, style: style))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedJSONContainer(output: output, depth: output.count == start ? output.openArray() : output.depth, style: style)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleJSONValue(output: output) }
}

struct KeyedJSONContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let output: JSONOutput
    let depth: Int
    let style: KeyStyle

    var codingPath: [any CodingKey] { [] }

    /// Closes what the previous entry left open, then writes the comma and the key.
    private func entry(_ key: Key) {
        output.close(to: depth)
        output.separator()
        output.key(key, snakeCase: style.snakeCase)
    }

    mutating func encodeNil(forKey key: Key) throws {
        entry(key)
        output.null()
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        entry(key)
        output.bool(value)
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        entry(key)
        output.string(value)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        entry(key)
        try output.double(value)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        entry(key)
        try output.float(value)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        entry(key)
        output.integer(value)
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        entry(key)
        output.integer(value)
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        entry(key)
        output.integer(value)
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        entry(key)
        output.integer(value)
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        entry(key)
        output.integer(value)
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        entry(key)
        output.integer(value)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        entry(key)
        output.integer(value)
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        entry(key)
        output.integer(value)
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        entry(key)
        output.integer(value)
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        entry(key)
        output.integer(value)
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        entry(key)
        try output.value(value)
    }

    // Synthesized `Encodable` writes optionals through these: an `AllKeysEncodable` type keeps the key as null.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try present(value, key) }

    private mutating func present<T: Encodable>(_ value: T?, _ key: Key) throws {
        if let value {
            entry(key)
            try output.value(value)
        } else if style.allKeys {
            try encodeNil(forKey: key)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        entry(key)
        return KeyedEncodingContainer(KeyedJSONContainer<NestedKey>(output: output, depth: output.openObject(), style: style))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        entry(key)
        return UnkeyedJSONContainer(output: output, depth: output.openArray(), style: style)
    }

    mutating func superEncoder() -> any Encoder {
        output.close(to: depth)
        output.separator()
        output.key(SuperKey.super, snakeCase: false)
        return ValueEncoder(output: output, start: output.count, style: style)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        entry(key)
        return ValueEncoder(output: output, start: output.count, style: style)
    }
}

private enum SuperKey: String, CodingKey { case `super` }

struct UnkeyedJSONContainer: UnkeyedEncodingContainer {
    let output: JSONOutput
    let depth: Int
    let style: KeyStyle
    private(set) var count = 0

    init(output: JSONOutput, depth: Int, style: KeyStyle) {
        self.output = output
        self.depth = depth
        self.style = style
    }

    var codingPath: [any CodingKey] { [] }

    private mutating func element() {
        output.close(to: depth)
        output.separator()
        count += 1
    }

    mutating func encodeNil() throws {
        element()
        output.null()
    }
    mutating func encode(_ value: Bool) throws {
        element()
        output.bool(value)
    }
    mutating func encode(_ value: String) throws {
        element()
        output.string(value)
    }
    mutating func encode(_ value: Double) throws {
        element()
        try output.double(value)
    }
    mutating func encode(_ value: Float) throws {
        element()
        try output.float(value)
    }
    mutating func encode(_ value: Int) throws {
        element()
        output.integer(value)
    }
    mutating func encode(_ value: Int8) throws {
        element()
        output.integer(value)
    }
    mutating func encode(_ value: Int16) throws {
        element()
        output.integer(value)
    }
    mutating func encode(_ value: Int32) throws {
        element()
        output.integer(value)
    }
    mutating func encode(_ value: Int64) throws {
        element()
        output.integer(value)
    }
    mutating func encode(_ value: UInt) throws {
        element()
        output.integer(value)
    }
    mutating func encode(_ value: UInt8) throws {
        element()
        output.integer(value)
    }
    mutating func encode(_ value: UInt16) throws {
        element()
        output.integer(value)
    }
    mutating func encode(_ value: UInt32) throws {
        element()
        output.integer(value)
    }
    mutating func encode(_ value: UInt64) throws {
        element()
        output.integer(value)
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
        element()
        try output.value(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        element()
        return KeyedEncodingContainer(KeyedJSONContainer<NestedKey>(output: output, depth: output.openObject(), style: style))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        element()
        return UnkeyedJSONContainer(output: output, depth: output.openArray(), style: style)
    }

    mutating func superEncoder() -> any Encoder {
        element()
        return ValueEncoder(output: output, start: output.count, style: style)
    }
}

/// A value written in place: the leaves directly, anything else as its own type asks.
struct SingleJSONValue: SingleValueEncodingContainer {
    let output: JSONOutput

    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { output.null() }
    mutating func encode(_ value: Bool) throws { output.bool(value) }
    mutating func encode(_ value: String) throws { output.string(value) }
    mutating func encode(_ value: Double) throws { try output.double(value) }
    mutating func encode(_ value: Float) throws { try output.float(value) }
    mutating func encode(_ value: Int) throws { output.integer(value) }
    mutating func encode(_ value: Int8) throws { output.integer(value) }
    mutating func encode(_ value: Int16) throws { output.integer(value) }
    mutating func encode(_ value: Int32) throws { output.integer(value) }
    mutating func encode(_ value: Int64) throws { output.integer(value) }
    mutating func encode(_ value: UInt) throws { output.integer(value) }
    mutating func encode(_ value: UInt8) throws { output.integer(value) }
    mutating func encode(_ value: UInt16) throws { output.integer(value) }
    mutating func encode(_ value: UInt32) throws { output.integer(value) }
    mutating func encode(_ value: UInt64) throws { output.integer(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try output.value(value) }
}

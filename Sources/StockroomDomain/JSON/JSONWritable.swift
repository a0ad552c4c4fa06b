/// A type on a hot list that writes its own JSON object instead of going through `Encodable`'s containers: a page
/// of 250 products spent 40 % of its server CPU in those (a boxed container, a key look-up and a separator
/// decision per field). It must write exactly what its `Encodable` conformance writes — a test compares the two.
public protocol JSONWritable {
    func write(to output: JSONOutput) throws
}

/// An object's key names, worked out once per type: the first with the opening brace (`{"id":`), the others with
/// the comma before them (`,"name":`).
public struct JSONObjectKeys: Sendable {
    private let names: [[UInt8]]

    /// `properties` in declaration order, renamed as the type's `keyStyle` renames them.
    public init(_ properties: [String], style: JSONKeyStyle) {
        names = properties.enumerated().map { index, property in
            let name = style == .snakeCase ? JSONKeyStyle.snakeCase(property) : property
            return Array((index == 0 ? "{" : ",").utf8) + JSONOutput.keyBytes(name)
        }
    }

    public subscript(index: Int) -> [UInt8] { names[index] }
}

extension JSONOutput {
    /// Writes `key` (from `JSONObjectKeys`) as it is.
    public func key(_ key: [UInt8]) { append(key) }

    public func endObject() { append([UInt8(ascii: "}")]) }

    public func optional(_ text: String?) { if let text { string(text) } else { null() } }

    public func optional(_ number: Int64?) { if let number { signed(number) } else { null() } }
}

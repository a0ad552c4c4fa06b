import Foundation
import Synchronization

/// The bytes of one JSON answer as `ResponseJSON` writes it, and the containers still open.
///
/// Values are written as they are encoded. A container is closed when the container around it writes its next
/// entry, or when the value that opened it ends: `Encodable` types write a container's entries one after the other
/// and never go back to a parent while a child is open, so no tree is needed.
public final class JSONOutput {
    /// The bytes so far, and `}` or `]` for each open container, innermost last — behind pointers: a class's stored
    /// `var` is checked for exclusive access at run time on every use (with the look-ups under it, 9 % of the CPU
    /// answering pages of 250 products, BENCHMARKS.md tenth sitting), and one task writes an answer.
    private let buffer = UnsafeMutablePointer<[UInt8]>.allocate(capacity: 1)
    private let closing = UnsafeMutablePointer<[UInt8]>.allocate(capacity: 1)
    public var bytes: [UInt8] { buffer.pointee }
    var count: Int { buffer.pointee.count }
    /// Each coding-key enum's names as written (quoted, escaped, with the colon), by the enum's case number.
    private var keyNames: [KeyNamesID: KeyNames] = [:]
    /// The table the last key came from: an object's keys come from one enum, so most keys need no look-up at all.
    private var lastKeyNames: (id: KeyNamesID, table: KeyNames)?

    /// False only in tests that compare a `JSONWritable` type's own writer with its `Encodable` conformance.
    let useWriters: Bool

    public init(useWriters: Bool = true) {
        self.useWriters = useWriters
        buffer.initialize(to: [])
        closing.initialize(to: [])
        buffer.pointee.reserveCapacity(1024)
    }

    deinit {
        buffer.deinitialize(count: 1)
        buffer.deallocate()
        closing.deinitialize(count: 1)
        closing.deallocate()
    }

    func append(_ written: [UInt8]) { buffer.pointee.append(contentsOf: written) }

    /// The last type asked about and whether it writes itself: a list asks for one type hundreds of times, and a
    /// conformance look-up per value is what the writers are there to save.
    private var lastWriterCheck: (type: ObjectIdentifier, writes: Bool)?

    private func writes<Value>(_ type: Value.Type) -> Bool {
        let id = ObjectIdentifier(type)
        if let last = lastWriterCheck, last.type == id { return last.writes }
        let writes = type is any JSONWritable.Type
        lastWriterCheck = (id, writes)
        return writes
    }

    var depth: Int { closing.pointee.count }

    /// Opens an object; its depth, which its entries close down to before they write.
    func openObject() -> Int { open(UInt8(ascii: "{"), UInt8(ascii: "}")) }

    func openArray() -> Int { open(UInt8(ascii: "["), UInt8(ascii: "]")) }

    private func open(_ opening: UInt8, _ closer: UInt8) -> Int {
        buffer.pointee.append(opening)
        closing.pointee.append(closer)
        return closing.pointee.count
    }

    func close(to depth: Int) {
        while closing.pointee.count > depth { buffer.pointee.append(closing.pointee.removeLast()) }
    }

    /// The comma before an entry, unless it is the first of the container just opened.
    func separator() {
        if let last = buffer.pointee.last, last != UInt8(ascii: "{"), last != UInt8(ascii: "[") { buffer.pointee.append(UInt8(ascii: ",")) }
    }

    // MARK: Values

    func value<Value: Encodable>(_ value: Value) throws {
        // The common leaves first, by type identity (a pointer comparison, cheaper than a dynamic cast).
        if Value.self == String.self { return string(unsafeBitCast(value, to: String.self)) }
        if Value.self == Int64.self { return signed(unsafeBitCast(value, to: Int64.self)) }
        if Value.self == Double.self { return try double(unsafeBitCast(value, to: Double.self)) }
        if Value.self == Bool.self { return bool(unsafeBitCast(value, to: Bool.self)) }
        if Value.self == Int.self { return signed(Int64(unsafeBitCast(value, to: Int.self))) }
        if Value.self == Date.self { return date(unsafeBitCast(value, to: Date.self)) }
        if useWriters, writes(Value.self), let writable = value as? any JSONWritable { return try writable.write(to: self) }
        let style = (Value.self as? any AllKeysEncodable.Type).map { KeyStyle(allKeys: true, snakeCase: $0.keyStyle == .snakeCase) }
        if style == nil, let dictionary = value as? any SortedJSONObject { return try dictionary.write(sortedTo: self) }
        let start = buffer.pointee.count
        let depth = closing.pointee.count
        try value.encode(to: ValueEncoder(output: self, start: start, style: style ?? .plain))
        close(to: depth)
        if buffer.pointee.count == start { buffer.pointee.append(contentsOf: "{}".utf8) }
    }

    func colon() { buffer.pointee.append(UInt8(ascii: ":")) }

    func null() { buffer.pointee.append(contentsOf: "null".utf8) }

    func bool(_ value: Bool) { buffer.pointee.append(contentsOf: (value ? "true" : "false").utf8) }

    func integer<Integer: FixedWidthInteger>(_ value: Integer) {
        if let small = Int64(exactly: value) { signed(small) } else { unsigned(UInt64(value)) }
    }

    public func signed(_ value: Int64) {
        if value < 0 { buffer.pointee.append(UInt8(ascii: "-")) }
        unsigned(value.magnitude)
    }

    func unsigned(_ value: UInt64) {
        if value < 10 { return buffer.pointee.append(UInt8(ascii: "0") + UInt8(value)) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var rest = value
            var first = 20
            repeat {
                first -= 1
                digits[first] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            buffer.pointee.append(contentsOf: UnsafeBufferPointer(rebasing: digits[first...]))
        }
    }

    /// As Foundation writes them: a whole number without `.0`, others in Swift's shortest round-trip form.
    public func double(_ value: Double) throws {
        guard value.isFinite else { throw Self.notJSON(value) }
        if value.rounded(.towardZero) == value, value.magnitude < 1e15 { return signed(Int64(value)) }
        buffer.pointee.append(contentsOf: value.description.utf8)
    }

    func float(_ value: Float) throws {
        guard value.isFinite else { throw Self.notJSON(value) }
        if value.rounded(.towardZero) == value, value.magnitude < 1e7 { return signed(Int64(value)) }
        buffer.pointee.append(contentsOf: value.description.utf8)
    }

    private static func notJSON(_ value: Any) -> EncodingError {
        EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(value) has no JSON form"))
    }

    /// `"2026-12-06T19:39:32Z"`: UTC, whole seconds (the fraction is dropped, as `ISO8601DateFormatter` does).
    public func date(_ date: Date) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = LocalClock.floorDivide(seconds, 86_400)
        let clock = seconds - days * 86_400
        let (year, month, day) = LocalDay.components(days)
        buffer.pointee.append(UInt8(ascii: "\""))
        digits(year, 4)
        buffer.pointee.append(UInt8(ascii: "-"))
        digits(month, 2)
        buffer.pointee.append(UInt8(ascii: "-"))
        digits(day, 2)
        buffer.pointee.append(UInt8(ascii: "T"))
        digits(clock / 3600, 2)
        buffer.pointee.append(UInt8(ascii: ":"))
        digits(clock % 3600 / 60, 2)
        buffer.pointee.append(UInt8(ascii: ":"))
        digits(clock % 60, 2)
        buffer.pointee.append(contentsOf: "Z\"".utf8)
    }

    /// `value` with leading zeros to `width` digits.
    private func digits(_ value: Int64, _ width: Int) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        if rest < 0 {
            buffer.pointee.append(UInt8(ascii: "-"))
            rest = -rest
        }
        while divisor > 1, rest < divisor {
            buffer.pointee.append(UInt8(ascii: "0"))
            divisor /= 10
        }
        unsigned(UInt64(rest))
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\t`… or `\u00XX`; the rest as UTF-8.
    public func string(_ text: String) {
        var text = text
        buffer.pointee.append(UInt8(ascii: "\""))
        text.withUTF8 { utf8 in
            var copied = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                buffer.pointee.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[copied..<index]))
                escape(byte)
                copied = index + 1
            }
            buffer.pointee.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[copied...]))
        }
        buffer.pointee.append(UInt8(ascii: "\""))
    }

    private func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): buffer.pointee.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): buffer.pointee.append(contentsOf: #"\\"#.utf8)
        case 0x0A: buffer.pointee.append(contentsOf: #"\n"#.utf8)
        case 0x0D: buffer.pointee.append(contentsOf: #"\r"#.utf8)
        case 0x09: buffer.pointee.append(contentsOf: #"\t"#.utf8)
        case 0x08: buffer.pointee.append(contentsOf: #"\b"#.utf8)
        case 0x0C: buffer.pointee.append(contentsOf: #"\f"#.utf8)
        default:
            let hex = Array("0123456789abcdef".utf8)
            buffer.pointee.append(contentsOf: #"\u00"#.utf8)
            buffer.pointee.append(hex[Int(byte >> 4)])
            buffer.pointee.append(hex[Int(byte & 0x0F)])
        }
    }

    // MARK: Keys

    /// `"name":` for `key`, renamed to snake_case when asked. The names of a coding-key enum (synthesized
    /// `CodingKeys`: no payload, so one byte holding the case number) are worked out once per answer; other keys
    /// (a dictionary's) each time.
    func key<Key: CodingKey>(_ key: Key, snakeCase: Bool) {
        guard MemoryLayout<Key>.size <= 1 else { return buffer.pointee.append(contentsOf: Self.name(key.stringValue, snakeCase)) }
        let number = MemoryLayout<Key>.size == 0 ? 0 : withUnsafeBytes(of: key) { Int($0[0]) }
        let id = KeyNamesID(type: ObjectIdentifier(Key.self), snakeCase: snakeCase)
        let table: KeyNames
        if let last = lastKeyNames, last.id == id {
            table = last.table
        } else if let known = keyNames[id] {
            table = known
            lastKeyNames = (id, known)
        } else {
            // The names worked out by earlier answers: one lock per key type per answer, not per key.
            table = KeyNames(names: Self.knownNames.withLock { $0[id] } ?? [])
            keyNames[id] = table
            lastKeyNames = (id, table)
        }
        if number < table.names.count, let name = table.names[number] { return buffer.pointee.append(contentsOf: name) }
        let name = Self.name(key.stringValue, snakeCase)
        while table.names.count <= number { table.names.append(nil) }
        table.names[number] = name
        let names = table.names
        Self.knownNames.withLock { $0[id] = names }
        buffer.pointee.append(contentsOf: name)
    }

    /// Every key type's names as written so far, shared by all answers (a product's answer is one object: worked out
    /// per answer, its key names were a quarter of the time it took to write it).
    private static let knownNames = Mutex<[KeyNamesID: [[UInt8]?]]>([:])

    /// `"name":`, escaped as every key is.
    static func keyBytes(_ name: String) -> [UInt8] { Self.name(name, false) }

    private static func name(_ key: String, _ snakeCase: Bool) -> [UInt8] {
        let output = JSONOutput()
        output.string(snakeCase ? JSONKeyStyle.snakeCase(key) : key)
        output.colon()
        return output.bytes
    }
}

/// A dictionary keyed by strings is written with its keys sorted, so equal answers are equal bytes (its own
/// order changes from run to run).
private protocol SortedJSONObject {
    func write(sortedTo output: JSONOutput) throws
}

extension Dictionary: SortedJSONObject where Key == String, Value: Encodable {
    fileprivate func write(sortedTo output: JSONOutput) throws {
        let depth = output.openObject()
        for key in keys.sorted() {
            output.close(to: depth)
            output.separator()
            output.string(key)
            output.colon()
            try output.value(self[key]!)
        }
        output.close(to: depth - 1)
    }
}

private struct KeyNamesID: Hashable {
    let type: ObjectIdentifier
    let snakeCase: Bool
}

private final class KeyNames {
    var names: [[UInt8]?]

    init(names: [[UInt8]?]) { self.names = names }
}

/// How the type being written names its keys and writes nil.
struct KeyStyle {
    /// Nil optionals written as `null` (`AllKeysEncodable`), not left out.
    let allKeys: Bool
    let snakeCase: Bool

    static let plain = KeyStyle(allKeys: false, snakeCase: false)
}

/// A small RFC 4180 reader and writer: quoted fields with embedded delimiters, quotes and line breaks; `,`, `;`
/// (spreadsheets in Spanish locales save with `;`) or a tab (Excel's "Unicode text"); a UTF-8 byte-order mark is
/// ignored. Bytes become text in `CSVText`.
public enum CSV {
    /// What one file may hold. The reader checks each limit as it goes, so a hostile file is refused after at most
    /// one limit's worth of work and memory, however large it is.
    public struct Limits: Sendable {
        /// Records, the header included (blank lines do not count).
        public var records: Int
        public var columns: Int
        var fieldBytes: Int
        var recordBytes: Int

        public static let none = Limits(records: .max, columns: .max, fieldBytes: .max, recordBytes: .max)
    }

    /// The records of `text`, each a list of fields; blank lines are skipped.
    public static func parse(_ text: String) -> (records: [[String]], delimiter: Character) {
        var records: [[String]] = []
        // Without limits nothing can be refused.
        let delimiter = (try? read(text, limits: .none) { record, _ in records.append(record) }) ?? ","
        return (records, delimiter)
    }

    /// Reads `text` record by record, handing each to `body` with its number (the first is 1), and returns the
    /// delimiter (`delimiter`, when the caller already knows it from `delimiter(of:)`). Works on the UTF-8 bytes (the
    /// delimiters, quotes and line breaks are ASCII, which no multi-byte character contains). Past a limit: 400
    /// naming it and the record.
    @discardableResult
    public static func read(
        _ text: String, limits: Limits, delimiter known: Character? = nil, _ body: ([String], Int) throws -> Void
    ) throws -> Character {
        var text = text
        return try text.withUTF8 { bytes in
            var index = 0
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
            let delimiter = known?.asciiValue ?? Self.delimiter(bytes)
            var reader = RecordReader(limits: limits)
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if reader.quoted {
                    if byte == UInt8(ascii: "\"") {
                        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                            try reader.append(byte)
                            index += 1
                        } else {
                            reader.quoted = false
                        }
                    } else {
                        try reader.append(byte)
                    }
                } else if byte == UInt8(ascii: "\""), reader.field.isEmpty {
                    reader.quoted = true
                } else if byte == delimiter {
                    try reader.endField()
                } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    if byte == UInt8(ascii: "\r"), index < bytes.count, bytes[index] == UInt8(ascii: "\n") { index += 1 }
                    if let record = try reader.endRecord() { try body(record, reader.records) }
                } else {
                    try reader.append(byte)
                }
            }
            if !reader.field.isEmpty || !reader.record.isEmpty, let record = try reader.endRecord() { try body(record, reader.records) }
            return Character(UnicodeScalar(delimiter))
        }
    }

    /// The delimiter `read` will use for `text`: a tab when the first line (its first 64 KiB: a header is short, and a
    /// hostile one-line file must not cost a scan of all of it) has more tabs than commas and than semicolons, else
    /// `;` when it has more of them than commas.
    public static func delimiter(of text: String) -> Character {
        var text = text
        return Character(UnicodeScalar(text.withUTF8 { delimiter($0) }))
    }

    /// The separator's name as previews report it: `comma`, `semicolon` or `tab`.
    public static func separatorName(_ delimiter: Character) -> String {
        delimiter == "\t" ? "tab" : delimiter == ";" ? "semicolon" : "comma"
    }

    private static func delimiter(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var semicolons = 0
        var commas = 0
        var tabs = 0
        for byte in bytes.prefix(64 * 1024).prefix(while: { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }) {
            if byte == UInt8(ascii: ";") { semicolons += 1 } else if byte == UInt8(ascii: ",") { commas += 1 } else if byte == 0x09 { tabs += 1 }
        }
        if tabs > commas && tabs > semicolons { return 0x09 }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    /// The record being read, with the limits checked on every byte and field.
    private struct RecordReader {
        let limits: Limits
        var field: [UInt8] = []
        var record: [String] = []
        var recordBytes = 0
        var records = 0
        var quoted = false

        init(limits: Limits) {
            self.limits = limits
        }

        mutating func append(_ byte: UInt8) throws {
            field.append(byte)
            recordBytes += 1
            guard field.count <= limits.fieldBytes else {
                throw refusal("field_too_long", "A field on line \(records + 1) is longer than \(limits.fieldBytes) bytes")
            }
            guard recordBytes <= limits.recordBytes else {
                throw refusal("line_too_long", "Line \(records + 1) is longer than \(limits.recordBytes) bytes")
            }
        }

        mutating func endField() throws {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            guard record.count <= limits.columns else {
                throw refusal("too_many_columns", "Line \(records + 1) has more than \(limits.columns) columns")
            }
        }

        /// The finished record, or nil for a blank line.
        mutating func endRecord() throws -> [String]? {
            try endField()
            defer {
                record.removeAll(keepingCapacity: true)
                recordBytes = 0
            }
            guard !(record.count == 1 && record[0].isEmpty) else { return nil }
            guard records < limits.records else {
                throw refusal("too_many_rows", "At most \(limits.records - 1) rows per file (after the header)")
            }
            records += 1
            return record
        }

        func refusal(_ code: String, _ message: String) -> ShopError {
            ShopError(.invalid, code: code, message, facts: ["line": .int(Int64(records + 1))])
        }
    }

    /// One CSV line (with its line break), quoting fields that need it. A field that a spreadsheet would run as a
    /// formula gets a leading apostrophe, so it shows as text: one whose first Unicode scalar after any leading
    /// whitespace or control characters (a TAB, CR or LF before `=` still starts a formula) is `=`, `+`, `-` or `@`.
    /// Scalars, not `Character`s: `=` followed by a combining mark or a zero-width joiner is one `Character` that is
    /// not `"="`, and still a formula. Plain numbers (`-5`) stay numbers.
    public static func line(_ fields: [String]) -> String {
        fields.map { field in
            var value = field
            if startsFormula(value), Double(value) == nil { value = "'" + value }
            guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }) else { return value }
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }

    static func startsFormula(_ value: String) -> Bool {
        let first = value.unicodeScalars.first { !($0.properties.isWhitespace || $0.properties.generalCategory == .control) }
        return first.map { "=+-@".unicodeScalars.contains($0) } ?? false
    }
}

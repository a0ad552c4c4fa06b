/// A small RFC 4180 reader and writer: quoted fields with embedded delimiters, quotes and line breaks; `,` or `;`
/// (spreadsheets in Spanish locales save with `;`); a UTF-8 byte-order mark is ignored.
public enum CSV {
    /// The records of `text`, each a list of fields; blank lines are skipped.
    public static func parse(_ text: String) -> (records: [[String]], delimiter: Character) {
        var text = Substring(text)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let delimiter: Character = firstLine.filter { $0 == ";" }.count > firstLine.filter { $0 == "," }.count ? ";" : ","
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func endRecord() {
            record.append(field)
            field = ""
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
            record = []
        }
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    field.append(character)
                }
            } else if character == "\"" && field.isEmpty {
                quoted = true
            } else if character == delimiter {
                record.append(field)
                field = ""
            } else if character == "\n" || character == "\r\n" || character == "\r" {
                endRecord()
            } else {
                field.append(character)
            }
        }
        if !field.isEmpty || !record.isEmpty { endRecord() }
        return (records, delimiter)
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

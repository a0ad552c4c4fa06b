/// The text encodings shops' CSV files come in, and which one a file was read in. Spreadsheets save UTF-8 (Excel's
/// "CSV UTF-8" with a byte-order mark, most other programs without), UTF-16 with a byte-order mark (Excel's
/// "Unicode text", tab separated), or the machine's legacy code page, which on Spanish and other Western Windows
/// is Windows-1252 ("Jamón" with `ó` as the single byte F3).
public enum TextEncoding: String, Sendable, Codable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case windows1252 = "windows-1252"
}

/// Turns an uploaded file's bytes into text, choosing the encoding from the bytes themselves.
public enum CSVText {
    /// A byte-order mark decides (UTF-8, UTF-16 little or big endian); without one, bytes that are valid UTF-8 are
    /// UTF-8 and anything else is Windows-1252. Windows-1252 gives every byte a character (its five unassigned
    /// bytes become the C1 controls of the same number, as browsers read them), so any file reads the same way
    /// every time — a file valid in neither is still read, never refused or guessed at differently.
    public static func decode(_ bytes: some Collection<UInt8>) -> (text: String, encoding: TextEncoding) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return (String(decoding: bytes.dropFirst(3), as: UTF8.self), .utf8BOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) { return (utf16(bytes.dropFirst(2), littleEndian: true), .utf16LE) }
        if bytes.starts(with: [0xFE, 0xFF]) { return (utf16(bytes.dropFirst(2), littleEndian: false), .utf16BE) }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
        return (windows1252(bytes), .windows1252)
    }

    /// Pairs of bytes as UTF-16 code units; an odd last byte or a lone surrogate reads as U+FFFD.
    static func utf16(_ bytes: some Collection<UInt8>, littleEndian: Bool) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2 + 1)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            guard let second = iterator.next() else {
                units.append(0xFFFD)
                break
            }
            let (low, high) = littleEndian ? (first, second) : (second, first)
            units.append(UInt16(high) << 8 | UInt16(low))
        }
        return String(decoding: units, as: UTF16.self)
    }

    static func windows1252(_ bytes: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? highControls[Int(byte) - 0x80] : UInt32(byte)
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    /// Windows-1252's bytes 80–9F (the rest is Latin-1); 81, 8D, 8F, 90 and 9D are unassigned.
    private static let highControls: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]
}

import Foundation

/// The shapes of input, shared by the API, the CLI and the configuration.
public enum Validation {
    /// Free text a person typed (a name, an address, a reason): `length` characters, no control characters other
    /// than line breaks and tabs (a NUL or an escape sequence is never meant, and PostgreSQL refuses NUL). 400
    /// naming `field` otherwise; nil passes (the caller decides whether the field is required).
    public static func checkText(_ value: String?, field: String, length: ClosedRange<Int>) throws {
        guard let value else { return }
        guard length.contains(value.count) else {
            throw ShopError.invalidField(field) {
                length.lowerBound == 0
                    ? "\($0) must be at most \(length.upperBound) characters"
                    : "\($0) must be \(length.lowerBound) to \(length.upperBound) characters"
            }
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" && $0 != "\r" }) else {
            throw ShopError.invalidField(field) { "\($0) must not contain control characters" }
        }
    }

    /// An http(s) address of at most 500 characters (never `javascript:` or `data:`, which a page would run).
    static func isWebAddress(_ text: String) -> Bool {
        guard text.count <= 500, let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return false }
        return (scheme == "http" || scheme == "https") && url.host?.isEmpty == false
    }

    /// 8 to 72 bytes: bcrypt ignores everything past 72 bytes, so longer passwords are refused, not truncated.
    public static let passwordBytes = 8...72

    public static func isPassword(_ text: String) -> Bool {
        passwordBytes.contains(text.utf8.count)
    }

    /// 3 to 50 of letters, digits, `.`, `_` and `-`.
    public static func isUsername(_ text: String) -> Bool {
        (3...50).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }

    /// A plausible address: something@domain.tld, no spaces, at most 254 characters.
    public static func isEmail(_ text: String) -> Bool {
        guard text.count <= 254, !text.contains(where: { $0.isWhitespace || $0.isNewline }) else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return domain.count >= 2 && domain.allSatisfy { !$0.isEmpty }
    }
}

/// The shapes of identity input, shared by the API, the CLI and the configuration.
public enum Validation {
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

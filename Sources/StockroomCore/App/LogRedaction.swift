import Foundation

/// Takes secrets out of log text before anyone reads it through the API. Our own lines never carry a secret on
/// purpose; this is the second guard for what a library, an error description or a client report might carry:
/// bearer and API tokens, passwords in URLs or `key=value` / JSON form, session cookies, bcrypt hashes.
enum LogRedaction {
    static let mask = "[redacted]"

    /// Metadata keys whose whole value is a secret.
    static func isSecretKey(_ key: String) -> Bool {
        let key = key.lowercased()
        return ["password", "secret", "token", "authorization", "cookie", "csrf", "session"].contains { key.contains($0) }
    }

    static func metadata(_ metadata: [String: String]) -> [String: String] {
        var redacted: [String: String] = [:]
        for (key, value) in metadata {
            redacted[key] = isSecretKey(key) ? mask : text(value)
        }
        return redacted
    }

    static func text(_ text: String) -> String {
        var text = text
        for (pattern, template) in rules {
            text = pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
        }
        return text
    }

    // Compiled once; an NSRegularExpression is immutable and documented as safe to use from several threads.
    private nonisolated(unsafe) static let rules: [(NSRegularExpression, String)] = [
        // Authorization: Bearer <token>
        (#"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+"#, "$1 \(mask)"),
        // Our API tokens wherever they appear: sr_ and 43 characters of base64url, which has `-` and `_` too.
        (#"\bsr_[A-Za-z0-9_-]{8,}"#, "sr_\(mask)"),
        // A session or CSRF secret on its own: 43 characters of base64url, standing alone.
        (#"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])"#, mask),
        // scheme://user:password@host
        (#"(?i)([a-z][a-z0-9+.-]*://[^:/@\s]+):[^@\s]*@"#, "$1:\(mask)@"),
        // password=…, token: …, "password": "…" (JSON), cookie=…
        (#"(?i)("?[a-z_]*(?:password|secret|token|cookie|session|csrf)[a-z_]*"?\s*[:=]\s*"?)[^"\s,;&}]+"#, "$1\(mask)"),
        // bcrypt hashes
        (#"\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}"#, mask),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }
}

import Crypto
import Foundation

/// Random secrets handed to clients (session cookies, API tokens, CSRF tokens) and the digests we keep of them.
/// Only the digest reaches the database, so a copy of the database signs nobody in.
public enum SecretToken {
    /// 32 random bytes, base64url without padding: 43 characters, safe in cookies and headers.
    public static func generate(prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix
            + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Hex SHA-256 of `secret`: what lookups compare against. (Every request with a token or a session computes one:
    /// hex by table, not `String(format:)` per byte, which was 5 % of a checkout's server CPU.)
    public static func digest(_ secret: String) -> String {
        let hash = SHA256.hash(data: Data(secret.utf8))
        return String(unsafeUninitializedCapacity: SHA256.byteCount * 2) { text in
            var index = 0
            for byte in hash {
                text[index] = hexDigits[Int(byte >> 4)]
                text[index + 1] = hexDigits[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Compares without stopping at the first difference, so timing tells nothing about the expected value.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

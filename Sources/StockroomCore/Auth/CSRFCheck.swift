import Foundation
import HTTPTypes
import Hummingbird

/// Cross-site request forgery defence for writes authenticated by the session cookie (Bearer requests carry
/// no ambient credential and need none). A write passes when it carries the session's token in `X-CSRF-Token`,
/// or when its `Origin` (else its `Referer`) is the server's own origin or an allowed one. Browsers always send
/// `Origin` on cross-site writes, so a request with neither header comes from a non-browser client (curl, a
/// script replaying its cookie) and passes; the `SameSite=Lax` cookie is the second line.
///
/// The server's own origin is the scheme, host and port the browser used: a page of `http://shop.example` must not
/// write to a server reached as `https://shop.example`. The server itself speaks plain HTTP (TLS ends at a proxy), so
/// it knows the browser's scheme only from a trusted proxy's `X-Forwarded-Proto` (`STOCKROOM_TRUST_PROXY`), or
/// from `STOCKROOM_SECURE_COOKIES`, which says the site is served over HTTPS; then the scheme must match exactly.
/// Otherwise an `https://` page of the same host is accepted too (an upgrade; nobody else can serve that host).
public struct CSRFCheck: Sendable {
    public static let headerName = HTTPField.Name("X-CSRF-Token")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    public var allowedOrigins: [String]
    public var trustProxy: Bool
    public var servedOverHTTPS: Bool

    public init(allowedOrigins: [String], trustProxy: Bool = false, servedOverHTTPS: Bool = false) {
        self.allowedOrigins = allowedOrigins
        self.trustProxy = trustProxy
        self.servedOverHTTPS = servedOverHTTPS
    }

    /// The scheme the browser reached this server with, when the server can know it.
    func scheme(of request: Request) -> String? {
        if trustProxy,
            let forwarded = request.headers[Self.forwardedProto]?.split(separator: ",").first?
                .trimmingCharacters(in: .whitespaces).lowercased(), ["http", "https"].contains(forwarded)
        {
            return forwarded
        }
        if servedOverHTTPS { return "https" }
        return request.head.scheme?.lowercased() == "https" ? "https" : nil
    }

    /// Whether the request reached us over HTTPS (through a trusted proxy, or by configuration): cookies are then
    /// `Secure`.
    func arrivedOverHTTPS(_ request: Request) -> Bool {
        scheme(of: request) == "https"
    }

    static func isSafe(_ method: HTTPRequest.Method) -> Bool {
        [.get, .head, .options].contains(method)
    }

    public func verify(_ request: Request, sessionToken: String) throws {
        guard !Self.isSafe(request.method) else { return }
        if let sent = request.headers[Self.headerName] {
            guard SecretToken.constantTimeEquals(sent, sessionToken) else {
                throw AppError(.forbidden, code: "csrf_failed", "The CSRF token does not match this session")
            }
            return
        }
        try verifyOrigin(request)
    }

    /// The part of the check that needs no session: a request that names its origin (`Origin`, else `Referer`)
    /// must come from this server or an allowed origin. Signing in uses it too (login CSRF: another site's page
    /// must not sign a browser into an account of the attacker's choosing).
    public func verifyOrigin(_ request: Request) throws {
        let claimed = request.headers[.origin] ?? request.headers[.referer].flatMap(Self.origin(ofURL:))
        guard let claimed else { return }
        guard isAllowed(origin: claimed, scheme: scheme(of: request), host: request.head.authority) else {
            throw AppError(.forbidden, code: "csrf_failed", "Cross-site request refused: \(claimed) is not this server's origin")
        }
    }

    /// `requestScheme` nil: unknown, so `http` or `https`.
    func isAllowed(origin: String, scheme requestScheme: String?, host: String?) -> Bool {
        let origin = origin.lowercased()
        if allowedOrigins.contains(origin) { return true }
        guard let host = host?.lowercased(), let components = URLComponents(string: origin),
            let scheme = components.scheme, scheme == requestScheme ?? (scheme == "https" ? "https" : "http"),
            let originHost = components.host
        else { return false }
        let defaultPort = scheme == "https" ? 443 : 80
        let originAuthority = components.port.map { $0 == defaultPort ? originHost : "\(originHost):\($0)" } ?? originHost
        let hostAuthority = host.hasSuffix(":\(defaultPort)") ? String(host.dropLast(":\(defaultPort)".count)) : host
        return originAuthority == hostAuthority
    }

    static func origin(ofURL text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme, let host = components.host else { return nil }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }
}

import Foundation
import Hummingbird

extension Authenticator {
    /// The cookie that carries a session's secret.
    public static let cookieName = "stockroom_session"
}

/// The session cookie a browser keeps: the secret the domain issued (`Authenticator`), for the session's lifetime,
/// never readable by scripts, sent on top-level navigations from other sites but not on their sub-requests.
struct SessionCookies: Sendable {
    let lifetime: TimeInterval
    /// `Secure` when the settings say the shop is served over HTTPS; a request that arrived over HTTPS gets it
    /// regardless (`setSessionCookie`).
    let secure: Bool

    init(config: AppConfig) {
        lifetime = config.sessionLifetime
        secure = config.secureCookies
    }

    func carrying(_ secret: String) -> Cookie {
        Cookie(name: Authenticator.cookieName, value: secret, maxAge: Int(lifetime), path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// Tells the browser to forget its session cookie.
    func expired() -> Cookie {
        Cookie(name: Authenticator.cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

import Foundation
import Hummingbird
import NIOCore

/// The request context of every Stockroom route.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's socket address (nil in router tests, which have no socket).
    public let remoteAddress: SocketAddress?
    /// Set by `AuthMiddleware` when the request carries a valid session cookie or API token.
    public var caller: Caller?
    /// A refreshed session cookie to send back (sliding expiry), set by `AuthMiddleware`.
    var refreshedSessionCookie: Cookie?
    /// The request is known to have reached us over HTTPS (`CSRFCheck.arrivedOverHTTPS`), set by `AuthMiddleware`.
    var overHTTPS = false
    /// The request's `Idempotency-Key` and digest, set by `IdempotentRoutes` on the routes that take one.
    var idempotencyClaim: IdempotencyClaim?
    /// The caller again, for log lines written outside the auth middleware.
    let loggedCaller = LoggedCaller()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// JSON bodies stay small; CSV uploads collect their own, larger limit.
    public var maxUploadSize: Int { 1024 * 1024 }

    public var requestDecoder: StrictJSONDecoder { StrictJSONDecoder() }

    public var responseEncoder: ResponseJSON { ResponseJSON() }

    /// The client's IP address, for throttling and the audit log: the socket's peer, or what a trusted proxy
    /// reported (set by `AuthMiddleware`).
    public var clientAddress: String

    /// The signed-in caller, or 401.
    public func requireCaller() throws -> Caller {
        guard let caller else { throw ShopError.unauthorized() }
        return caller
    }

    /// The signed-in caller holding `permission`: 401 when nobody is signed in, 403 when the role lacks it.
    public func require(_ permission: Permission) throws -> Caller {
        let caller = try requireCaller()
        try caller.require(permission)
        return caller
    }
}

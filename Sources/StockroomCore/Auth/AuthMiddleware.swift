import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Finds who is calling: an `Authorization: Bearer` token, else the session cookie. A bad bearer token is
/// refused outright (401); a stale cookie just leaves the request anonymous, so routes that need nobody work.
/// Cookie-authenticated writes must pass the CSRF check. Routes decide what they need with
/// `context.requireCaller()` or `context.require(_:)`.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let authenticator: Authenticator
    let cookies: SessionCookies
    let csrf: CSRFCheck
    let trustProxy: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.overHTTPS = csrf.arrivedOverHTTPS(request)
        if trustProxy, let forwarded = request.headers[.forwardedFor]?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
            !forwarded.isEmpty, forwarded.count <= 64
        {
            context.clientAddress = forwarded
        }
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw AppError(.unauthorized, code: "invalid_authorization", "Use 'Authorization: Bearer <token>'")
            }
            let token = parts[1].trimmingCharacters(in: .whitespaces)
            guard token.count <= 200, let caller = try await authenticator.caller(bearerToken: token, address: context.clientAddress) else {
                throw AppError(.unauthorized, code: "invalid_token", "The API token is not valid")
            }
            context.caller = caller
        } else if let secret = request.cookies[Authenticator.cookieName]?.value, !secret.isEmpty, secret.count <= 200,
            let (caller, refreshed) = try await authenticator.caller(sessionSecret: secret, address: context.clientAddress)
        {
            if case .session(_, let csrfToken) = caller.credential {
                try csrf.verify(request, sessionToken: csrfToken)
            }
            context.caller = caller
            if refreshed { context.refreshedSessionCookie = cookies.carrying(secret) }
        }
        if let caller = context.caller {
            context.loggedCaller.set(caller)
            context.logger[metadataKey: "company_id"] = "\(caller.companyID)"
        }
        var response = try await next(request, context)
        if let cookie = context.refreshedSessionCookie, response.headers[.setCookie] == nil {
            response.setSessionCookie(cookie, context)
        }
        // What a signed-in person sees (or a sign-in's answer) is theirs: no shared or browser cache keeps it.
        if context.caller != nil || response.headers[.setCookie] != nil, response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}

extension Response {
    /// Sets the session cookie, `Secure` whenever the request is known to have come over HTTPS (a trusted proxy's
    /// `X-Forwarded-Proto`; `CSRFCheck.arrivedOverHTTPS`): a browser that used HTTPS then never sends it over plain HTTP.
    mutating func setSessionCookie(_ cookie: Cookie, _ context: AppRequestContext) {
        guard context.overHTTPS, !cookie.secure else { return setCookie(cookie) }
        setCookie(
            Cookie(
                name: cookie.name, value: cookie.value, maxAge: cookie.maxAge, path: cookie.path, secure: true,
                httpOnly: cookie.httpOnly, sameSite: cookie.sameSite ?? .lax))
    }
}

import Foundation
import Hummingbird

/// `POST /api/login`, `POST /api/logout`, `GET /api/me`, `POST /api/register`.
struct SessionController {
    let sessions: SessionService
    let cookies: SessionCookies
    let csrf: CSRFCheck

    struct LoginRequest: Decodable {
        let username: String
        let password: String

        /// The trimmed login, once both fields are present and within bounds (400 naming the field otherwise);
        /// the API and the sign-in page check the same way.
        func checkedLogin() throws -> String {
            let login = username.trimmingCharacters(in: .whitespaces)
            guard !login.isEmpty, login.count <= 254 else { throw ShopError.invalidField("username", "Send your username or email") }
            guard !password.isEmpty else { throw ShopError.invalidField("password", "Send your password") }
            guard password.utf8.count <= Validation.passwordBytes.upperBound else {
                throw ShopError.invalidField("password", "Password must be at most 72 bytes long")
            }
            return login
        }
    }

    struct RegisterRequest: Decodable {
        let username: String
        let email: String
        let password: String
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("login", use: login)
        api.post("logout", use: logout)
        api.get("me", use: me)
        api.post("register", use: register)
    }

    /// Signs in. Refused from another site's page (login CSRF), and only for a JSON body: a cross-site `fetch`
    /// can send a body without a `Content-Type` and no preflight, never one labelled JSON.
    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        try csrf.verifyOrigin(request)
        guard let contentType = request.headers[.contentType], StrictJSONDecoder.isJSON(contentType) else {
            throw AppError(.unsupportedMediaType, code: "unsupported_media_type", "Send the body as application/json")
        }
        let body = try await request.decode(as: LoginRequest.self, context: context)
        let signedIn = try await sessions.login(
            try body.checkedLogin(), password: body.password, address: context.clientAddress,
            replacing: request.cookies[Authenticator.cookieName]?.value)
        let user = signedIn.user
        var response = try LoginResponse(
            userID: user.id, username: user.username, role: user.role, storeID: user.storeID, companyID: user.companyID
        ).response(from: request, context: context)
        response.setSessionCookie(cookies.carrying(signedIn.secret), context)
        return response
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await sessions.logout(context.caller)
        var response = try SuccessResponse(message: "Signed out").response(from: request, context: context)
        if request.cookies[Authenticator.cookieName] != nil { response.setSessionCookie(cookies.expired(), context) }
        return response
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> MeResponse {
        let caller = try context.requireCaller()
        let csrfToken: String? = if case .session(_, let token) = caller.credential { token } else { nil }
        return MeResponse(
            userID: caller.userID, username: caller.username, email: caller.email, role: caller.role, storeID: caller.storeID,
            companyID: caller.companyID, csrfToken: csrfToken)
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<RegisteredResponse> {
        let body = try await request.decode(as: RegisterRequest.self, context: context)
        let user = try await sessions.register(
            username: body.username.trimmingCharacters(in: .whitespaces), email: body.email.trimmingCharacters(in: .whitespaces),
            password: body.password, address: context.clientAddress)
        return RegisteredResponse(
            message: "Registration received; an administrator must approve it before you can sign in",
            userID: user.id, status: user.status
        ).created
    }

    struct RegisteredResponse: ResponseEncodable, AllKeysEncodable {
        var success = true
        let message: String
        let userID: Int64
        let status: AccountStatus
    }
}

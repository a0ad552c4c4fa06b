import Foundation
import Hummingbird

/// The staff pages: sign in and out, the dashboard and the till. Pages read through the same services as the
/// API and act through the API from the browser (with the session's CSRF token), so rules live in one place.
struct WebController {
    let pages: Pages
    var web: WebRenderer { pages.web }
    let sessions: SessionService
    let cookies: SessionCookies
    let reports: ReportService
    let sales: SaleService
    let csrf: CSRFCheck

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("login", use: loginPage)
        router.post("login", use: login)
        router.post("logout", use: logout)
        router.get("/", use: dashboard)
        router.get("till", use: till)
        router.get("language/{code}", use: language)
        router.get("theme/{mode}", use: theme)
    }

    @Sendable func loginPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let next = Pages.localPath(request.uri.queryParameters["next"].map(String.init))
        if context.caller != nil { return .redirect(to: next ?? "/", type: .found) }
        return try web.page("login", PageView(content: LoginPage(next: next), frame: PageFrame(request: request, caller: nil, title: "sign_in")))
    }

    /// The sign-in form: the name typed and the refusal when a sign-in failed, and where to go afterwards.
    struct LoginPage: Sendable {
        var username: String?
        // Absent, not "": an empty string would still open {{#next}}.
        let next: String?
        var error: String?
    }

    /// A classic form post: no script needed to sign in. Refused from another site's page (login CSRF).
    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        try csrf.verifyOrigin(request)
        let text = String(buffer: try await request.body.collect(upTo: 16 * 1024))
        let form = try? URLEncodedFormDecoder().decode(SessionController.LoginRequest.self, from: text)
        let next = Pages.localPath(try? URLEncodedFormDecoder().decode(NextPage.self, from: text).next)
        let frame = PageFrame(request: request, caller: nil, title: "sign_in")
        var page = LoginPage(username: form?.username ?? "", next: next)
        do {
            guard let form else { throw ShopError.invalidField("username", "Send your username and password") }
            let signedIn = try await sessions.login(
                try form.checkedLogin(), password: form.password, address: context.clientAddress,
                replacing: request.cookies[Authenticator.cookieName]?.value)
            var response = Response.redirect(to: next ?? "/", type: .normal)
            response.setSessionCookie(cookies.carrying(signedIn.secret), context)
            return response
        } catch {
            guard let refusal = AppError(answering: error), [.badRequest, .unauthorized, .forbidden, .tooManyRequests].contains(refusal.status)
            else { throw error }
            page.error =
                frame.strings[
                    refusal.status == .forbidden ? "account_blocked" : refusal.status == .tooManyRequests ? "too_many_attempts" : "bad_credentials"]
            return try web.page("login", PageView(content: page, frame: frame), status: refusal.status)
        }
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await sessions.logout(context.caller)
        var response = Response.redirect(to: "/login", type: .normal)
        response.setSessionCookie(cookies.expired(), context)
        return response
    }

    private struct NextPage: Decodable {
        let next: String?
    }

    @Sendable func dashboard(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("dashboard", title: "dashboard", request, context) { caller, frame in
            let stats = Permission.viewReports.allows(caller.role) ? try await reports.stats(caller, storeID: nil) : nil
            // The latest sales the caller may see (the API's first page, newest first).
            let (filter, page) = try SaleController.listing(QueryReader(request), caller: caller, timeZone: pages.timeZone)
            let recent = try await sales.list(caller, filter: filter, page: page).data
            return DashboardView(stats: stats.map { .init($0, frame.format) }, recentSales: recent.map { SaleRow($0, frame) })
        }
    }

    @Sendable func till(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("till", title: "till", request, context) { caller, frame in
            TillPage(try await sales.tillView(caller), caller: caller, frame.strings)
        }
    }

    /// Remembers the chosen language in a cookie and goes back to the page it was chosen on.
    @Sendable func language(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let language = context.parameters.get("code").flatMap(Language.init(rawValue:)) else { throw ShopError.notFound("Language") }
        return Self.remember(Language.cookieName, language.rawValue, request)
    }

    /// Remembers this browser's colours (automatic, light or dark) and goes back to the page the switch was on.
    @Sendable func theme(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let theme = context.parameters.get("mode").flatMap(Theme.init(rawValue:)) else { throw ShopError.notFound("Colour scheme") }
        return Self.remember(Theme.cookieName, theme.rawValue, request)
    }

    /// A header switch's choice kept for a year in this browser, and the way back to the page (this site's only).
    private static func remember(_ cookie: String, _ value: String, _ request: Request) -> Response {
        let back = Pages.localPath(request.uri.queryParameters["back"].map(String.init)) ?? "/"
        var response = Response.redirect(to: back, type: .found)
        response.setCookie(Cookie(name: cookie, value: value, maxAge: 365 * 86_400, path: "/", sameSite: .lax))
        return response
    }
}

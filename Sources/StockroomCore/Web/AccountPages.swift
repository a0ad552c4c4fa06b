import Hummingbird

/// People: the users and the registrations waiting for review, each person's own settings and notifications,
/// and the public registration form.
struct AccountPages {
    let pages: Pages
    let users: UserService
    let sales: SaleService
    let notifications: NotificationService
    let products: ProductPages
    let tokens: TokenService

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("users", use: userList)
        router.get("settings", use: settingsPage)
        router.get("notifications", use: notificationList)
        router.get("register", use: register)
    }

    @Sendable func userList(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("users", title: "users", request, context, needs: .manageUsers) { caller, frame in
            let (filter, page) = try UserController.listing(QueryReader(request), caller: caller)
            let list = try await users.list(caller, filter: filter, page: page)
            let stores = try await products.storeChoices(caller, chosen: 0)
            let roles = (caller.role == .owner ? [Role.vendor, .admin, .owner] : [.vendor]).map(\.rawValue)
            // Not the request's own `page`/`search`: those belong to the users list.
            let pending =
                Permission.reviewApplications.allows(caller.role)
                ? try await users.applications(caller, page: PageRequest(limit: 50)).data : nil
            return UsersView(
                users: list.data.map { UserRow($0, caller: caller, roles: roles, stores: stores, frame) },
                pager: Pager(request, page: list.page, pages: list.pages), search: String(request.uri.queryParameters["search"] ?? ""),
                roles: roles.map { Choice(value: $0, label: frame.strings["role_" + $0] ?? $0) }, stores: stores,
                applications: pending?.map { UsersView.Application($0, frame) })
        }
    }

    @Sendable func settingsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("settings", title: "settings", request, context) { caller, frame in
            // The person's own API tokens (never their secrets, which were shown once when each was made).
            let own = try await tokens.list(caller)
            var company: SettingsView.Company?
            if Permission.manageStores.allows(caller.role) {
                company = SettingsView.Company(
                    tax: try await sales.tax(caller), currency: try await pages.currency.currency(caller), till: try await sales.tillSettings(caller))
            }
            return SettingsView(
                email: caller.email,
                languages: [("", "follow_browser"), ("en", "english"), ("es", "spanish")].map { code, key in
                    Choice(value: code, label: frame.strings[key] ?? key, selected: (caller.language ?? "") == code)
                },
                tokens: own.map { SettingsView.Token($0, frame.format) }, hasTokens: !own.isEmpty, company: company)
        }
    }

    @Sendable func notificationList(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("notifications", title: "notifications", request, context) { caller, frame in
            let window = try NotificationController.window(QueryReader(request))
            let language = Language.preferred(by: request, caller: caller)
            let (list, total) = try await notifications.page(caller, window: window, in: language)
            return NotificationsView(
                notifications: list.map { NotificationsView.Note($0, frame.format) },
                pager: Pager(request, offset: window.offset, limit: window.limit, total: total))
        }
    }

    /// The public registration form; a signed-in person goes home instead.
    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.caller != nil { return .redirect(to: "/", type: .found) }
        return try pages.web.page("register", PageView(content: NoContent(), frame: PageFrame(request: request, caller: nil, title: "register")))
    }
}

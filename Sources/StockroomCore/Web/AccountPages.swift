import Hummingbird

/// People: the users and the registrations waiting for review, each person's own settings and notifications,
/// and the public registration form.
struct AccountPages {
    let pages: Pages
    let users: UserController
    let applications: ApplicationController
    let settings: SettingsController
    let notifications: NotificationController
    let products: ProductPages
    let tokens: TokenService

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("users", use: userList)
        router.get("settings", use: settingsPage)
        router.get("notifications", use: notificationList)
        router.get("register", use: register)
    }

    @Sendable func userList(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("users", title: "users", request, context, needs: .manageUsers) { caller, page in
            let answer = try await users.list(request, context: context)
            let strings = page.strings
            let stores = try await products.storeOptions(caller, chosen: 0)
            let storeNames = Dictionary(uniqueKeysWithValues: stores.compactMap { store in (store["id"] as? Int64).map { ($0, store["name"] as? String ?? "") } })
            let roles = caller.role == .owner ? ["vendor", "admin", "owner"] : ["vendor"]
            page.values["users"] = try pages.rows(answer.data, page.format) { row in
                let role = row["role"] as? String ?? ""
                row["role_label"] = strings["role_" + role] ?? role
                row["status_label"] = strings["account_" + (row["status"] as? String ?? "")] ?? row["status"]
                // A registration is approved or rejected above (its own audit and notice), not switched on here.
                row["pending"] = row["status"] as? String == "pending"
                row["store_name"] = storeNames[row["store_id"] as? Int64 ?? 0] ?? ""
                row["roles"] = roles.map { ["value": $0, "label": strings["role_" + $0] ?? $0, "selected": $0 == role] }
                row["stores"] = stores.map { $0.merging(["selected": $0["id"] as? Int64 == row["store_id"] as? Int64]) { _, new in new } }
                let id = row["id"] as? Int64 ?? 0
                // Actions only where the API allows them (admins: their store's vendors), and never on oneself here.
                row["can_manage"] = id != caller.userID
                    && caller.canManage(userID: id, role: Role(rawValue: role) ?? .owner, storeID: row["store_id"] as? Int64 ?? 0)
            }
            page.values["pager"] = Pager.values(request, page: answer.page, pages: answer.pages)
            page.values["search"] = String(request.uri.queryParameters["search"] ?? "")
            page.values["roles"] = roles.map { ["value": $0, "label": strings["role_" + $0] ?? $0] }
            page.values["stores"] = stores
            if Permission.reviewApplications.allows(caller.role) {
                // Not the request's own `page`/`search`: those belong to the users list.
                let pending = try await applications.users.applications(caller, page: PageRequest(limit: 50))
                page.values["applications"] = try pages.rows(pending.data.map(UserResponse.init), page.format)
            }
        }
    }

    @Sendable func settingsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("settings", title: "settings", request, context) { caller, page in
            page.values["email"] = caller.email
            page.values["languages"] = [("", "follow_browser"), ("en", "english"), ("es", "spanish")].map { code, key in
                ["value": code, "label": page.strings[key] ?? key, "selected": (caller.language ?? "") == code]
            }
            // The person's own API tokens (never their secrets, which were shown once when each was made).
            let own = try await tokens.list(caller)
            page.values["tokens"] = try pages.rows(own.map(APITokenResponse.init), page.format) { row in
                // Never used: absent, not "" (which would still open {{#last_used_at}}).
                if row["last_used_at"] as? String == "" { row.removeValue(forKey: "last_used_at") }
            }
            page.values["has_tokens"] = !own.isEmpty
            if Permission.manageStores.allows(caller.role) {
                let company = try await settings.company(request, context: context)
                var values = try pages.data(company, page.format) as? [String: Any] ?? [:]
                values["receipt_widths"] = TillSettings.widths.map { ["value": $0, "selected": $0 == company.receiptWidth] }
                page.values["company"] = values
            }
        }
    }

    @Sendable func notificationList(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("notifications", title: "notifications", request, context) { caller, page in
            let window = try OffsetRequest(QueryReader(request), defaultLimit: 20)
            let language = Language.preferred(by: request, caller: caller)
            let (list, total) = try await notifications.notifications.page(caller, window: window, in: language)
            page.values["notifications"] = try pages.rows(list.map(NotificationResponse.init), page.format) { row in
                // Only links inside the site: an action URL is data, not a place to send people.
                row["link"] = Pages.localPath(row["action_url"] as? String)
            }
            page.values["pager"] = Pager.offsets(request, offset: window.offset, limit: window.limit, total: total)
        }
    }

    /// The public registration form; a signed-in person goes home instead.
    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.caller != nil { return .redirect(to: "/", type: .found) }
        return try pages.web.page("register", PageContext(request: request, caller: nil, title: "register").values)
    }
}

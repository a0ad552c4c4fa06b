import Foundation
import Hummingbird

/// What every page template gets: the strings in the reader's language, who is signed in, the navigation their
/// role may use, and the session's CSRF token for the page's own requests.
struct PageContext {
    var values: [String: Any]
    let strings: [String: String]
    /// How this reader's amounts and times are written; the company's currency once `show(_:)` has it.
    private(set) var format: DisplayFormat

    init(request: Request, caller: Caller?, title: String) {
        let language = Language.preferred(by: request, caller: caller)
        strings = language.strings
        format = DisplayFormat(language: language)
        values = [
            "t": strings, "lang": language.rawValue, "title": strings[title] ?? title,
            "other_lang": language == .en ? "es" : "en", "path": request.uri.path, "here": Self.here(request),
            "saved": request.uri.queryParameters["saved"] == "1",
        ]
        let theme = Theme.chosen(by: request)
        values["theme"] = theme.rawValue
        values["theme_next"] = theme.next.rawValue
        values["theme_label"] = strings["theme_" + theme.rawValue] ?? theme.rawValue
        let strings = strings
        values["error_strings"] = Language.errorCodes.map { ["code": $0, "text": strings["error_code_" + $0] ?? ""] }
        guard let caller else { return }
        let path = request.uri.path
        values["user"] = ["name": caller.username, "role": strings["role_" + caller.role.rawValue] ?? caller.role.rawValue]
        values["nav"] = Self.sections.filter { $0.permission?.allows(caller.role) ?? true }.map { key, link, _ in
            ["label": strings[key] ?? key, "link": link, "current": link == "/" ? path == "/" : path == link || path.hasPrefix(link + "/")]
        }
        values["store_picker"] = caller.role == .owner
        values["can"] = Dictionary(uniqueKeysWithValues: Permission.allCases.map { ("\($0)", $0.allows(caller.role)) })
        if case .session(_, let token) = caller.credential { values["csrf"] = token }
    }

    /// Writes this page's amounts with `format`; the layout names the currency and hands the till's script the
    /// same conventions, so amounts the browser adds up read as the server writes them.
    mutating func show(_ format: DisplayFormat) {
        self.format = format
        values["currency"] = format.currency
        values["money_format"] = format.script
    }

    /// This page's path and query, encoded to travel as one query value (the language switch comes back here).
    static func here(_ request: Request) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        let here = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return here.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
    }

    /// The navigation, in order (the metrics page is `/reports`: `/metrics` is Prometheus's), with what a role needs to see each entry.
    static let sections: [(key: String, link: String, permission: Permission?)] = [
        ("dashboard", "/", .viewReports), ("till", "/till", nil), ("products", "/products", nil), ("stock", "/stock", nil),
        ("sales", "/sales", nil), ("metrics", "/reports", .viewReports), ("users", "/users", .manageUsers),
        ("stores", "/stores", .manageStores), ("audit", "/audit", .viewCompanyAudit), ("settings", "/settings", nil),
    ]
}

/// The dashboard's numbers, formatted for display.
struct DashboardView {
    let values: [String: Any]

    init(_ stats: DashboardStats, _ format: DisplayFormat) {
        values = [
            "products": format.number(Double(stats.products)), "low_stock": format.number(Double(stats.lowStock.total)),
            "sales_today": format.number(Double(stats.salesToday.sales)),
            "revenue_today": format.money(cents: stats.salesToday.revenueCents), "inventory_value": format.money(cents: stats.inventoryValueCents),
            "low_stock_list": stats.lowStock.levels.map {
                ["name": $0.name, "barcode": $0.barcode, "store": $0.storeName, "stock": $0.stock, "min_stock": $0.minStock] as [String: Any]
            },
            "expiring": stats.expiring.map { ["name": $0.name, "date": $0.expirationDate, "stock": $0.stock] as [String: Any] },
        ]
    }
}

import Foundation
import Hummingbird

/// What the layout shows around every page: the strings in the reader's language, who is signed in, the navigation
/// their role may use, the session's CSRF token for the page's own requests, and how amounts are written.
struct PageFrame: Sendable {
    let t: [String: String]
    let lang: String
    let title: String
    let otherLang: String
    let here: String
    let saved: Bool
    let theme: String
    let themeNext: String
    let themeLabel: String
    let errorStrings: [ErrorString]
    // Absent for visitors, so the layout's `{{#user}}` parts stay closed.
    let user: SignedInUser?
    let nav: [NavLink]?
    let storePicker: Bool
    let can: [String: Bool]?
    let csrf: String?
    // Once `show(_:)` has the company's currency.
    private(set) var currency: String?
    private(set) var moneyFormat: String?
    /// How this reader's amounts and times are written; the company's currency once `show(_:)` has it.
    private(set) var format: DisplayFormat

    struct SignedInUser: Sendable {
        let name: String
        let role: String
    }

    struct NavLink: Sendable {
        let label: String
        let link: String
        let current: Bool
    }

    /// An API error code's words, for the script that shows the API's refusals.
    struct ErrorString: Sendable {
        let code: String
        let text: String
    }

    init(request: Request, caller: Caller?, title: String) {
        let language = Language.preferred(by: request, caller: caller)
        let strings = language.strings
        t = strings
        format = DisplayFormat(language: language)
        lang = language.rawValue
        self.title = strings[title] ?? title
        otherLang = language == .en ? "es" : "en"
        here = Self.here(request)
        saved = request.uri.queryParameters["saved"] == "1"
        let theme = Theme.chosen(by: request)
        self.theme = theme.rawValue
        themeNext = theme.next.rawValue
        themeLabel = strings["theme_" + theme.rawValue] ?? theme.rawValue
        errorStrings = Language.pageErrorCodes.map { ErrorString(code: $0, text: strings["error_code_" + $0] ?? "") }
        let path = request.uri.path
        user = caller.map { SignedInUser(name: $0.username, role: strings["role_" + $0.role.rawValue] ?? $0.role.rawValue) }
        nav = caller.map { caller in
            Self.sections.filter { $0.permission?.allows(caller.role) ?? true }.map { key, link, _ in
                NavLink(label: strings[key] ?? key, link: link, current: link == "/" ? path == "/" : path == link || path.hasPrefix(link + "/"))
            }
        }
        storePicker = caller?.role == .owner
        can = caller.map { caller in Dictionary(uniqueKeysWithValues: Permission.allCases.map { ("\($0)", $0.allows(caller.role)) }) }
        if case .session(_, let token)? = caller?.credential { csrf = token } else { csrf = nil }
    }

    /// The reader's words.
    var strings: [String: String] { t }

    /// Writes this page's amounts with `format`; the layout names the currency and hands the till's script the
    /// same conventions, so amounts the browser adds up read as the server writes them.
    mutating func show(_ format: DisplayFormat) {
        self.format = format
        currency = format.currency
        moneyFormat = format.script
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
        ("stock_counts", "/stock-counts", nil),
        ("transfers", "/transfers", .transferStock), ("purchase_orders", "/purchase-orders", .managePurchasing),
        ("suppliers", "/suppliers", .managePurchasing), ("sales", "/sales", nil), ("metrics", "/reports", .viewReports),
        ("users", "/users", .manageUsers), ("stores", "/stores", .manageStores), ("audit", "/audit", .viewCompanyAudit),
        ("settings", "/settings", nil),
    ]
}

import Foundation
import Hummingbird

/// How every staff page answers. A visitor is sent to sign in and brought back afterwards; a signed-in caller whose
/// role lacks the page's permission, or whose request the API refuses (a bad filter, another company's record),
/// gets an error page in their language with the API's status; never a stack trace or a JSON body.
struct Pages: Sendable {
    let web: WebRenderer
    /// The business clock's zone, in which pages show times.
    let timeZone: TimeZone
    /// The company's currency, which every page names and writes amounts in.
    let currency: CompanyCurrency

    /// The page `template` with the values `content` builds for the caller (the frame's strings and formats at hand).
    func show<Content>(
        _ template: String, title: String, _ request: Request, _ context: AppRequestContext, needs permission: Permission? = nil,
        _ content: (Caller, PageFrame) async throws -> Content
    ) async throws -> Response {
        guard let caller = context.caller else { return Self.signIn(returningTo: request) }
        var frame = PageFrame(request: request, caller: caller, title: title)
        do {
            frame.show(DisplayFormat(language: frame.format.language, currency: try await currency.currency(caller), timeZone: timeZone))
            if let permission { try caller.require(permission) }
            return try web.page(template, PageView(content: try await content(caller, frame), frame: frame))
        } catch {
            guard let refusal = AppError(answering: error), refusal.isRefusal else { throw error }
            return try errorPage(refusal, request: request, caller: caller)
        }
    }

    /// A page of the layout and its words only.
    func show(_ template: String, title: String, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await show(template, title: title, request, context) { _, _ in NoContent() }
    }

    /// The error page for `error`: a headline in the reader's language, the API's message beneath it.
    func errorPage(_ error: AppError, request: Request, caller: Caller?) throws -> Response {
        let frame = PageFrame(request: request, caller: caller, title: Self.headline(error.status))
        let message = Self.message(for: error, frame.strings)
        // The API's own words too when they say more (the exact range, the field): precise, if in English.
        let page = ErrorPage(status: error.status.code, message: message, detail: message != error.message ? error.message : nil)
        // Allow on a 405, Retry-After on a 429: the page keeps what the API would have said in its headers.
        return try web.page("error", PageView(content: page, frame: frame), status: error.status, headers: error.headers)
    }

    struct ErrorPage: Sendable {
        let status: Int
        let message: String
        let detail: String?
    }

    /// The reader's words for an API error: its code's translation (the field named by its label), else the
    /// API's own message.
    static func message(for error: AppError, _ strings: [String: String]) -> String {
        guard let text = strings["error_code_" + error.code] else { return error.message }
        guard case .string(let field)? = error.context["field"] else { return text.replacingOccurrences(of: "{field}", with: "") }
        return text.replacingOccurrences(of: "{field}", with: strings["field_" + field] ?? strings[field] ?? field)
    }

    static func headline(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 401: "error_unauthorized"
        case 403: "error_forbidden"
        case 404: "error_not_found"
        case 400, 409, 422: "error_bad_request"
        default: "error_other"
        }
    }

    /// To the sign-in page, which comes back to this page (path and query) once signed in.
    static func signIn(returningTo request: Request) -> Response {
        let back = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        guard back != "/" else { return .redirect(to: "/login", type: .found) }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return .redirect(to: "/login?next=" + (back.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"), type: .found)
    }

    /// A `next`/`back` target only when it is a path on this site: `/` then a letter, digit or `?` (never
    /// `//elsewhere`, `/\\elsewhere`, or a tab or newline that browsers drop to make `//elsewhere`), no control
    /// characters anywhere, no scheme or host when parsed.
    static func localPath(_ text: String?) -> String? {
        guard let text, text.count <= 2000, text.hasPrefix("/"),
            !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" })
        else { return nil }
        if text == "/" { return text }
        guard let second = text.dropFirst().first, second.isASCII, second.isLetter || second.isNumber || second == "?",
            let parsed = URLComponents(string: text), parsed.scheme == nil, parsed.host == nil
        else { return nil }
        return text
    }
}

/// Previous/next links for a paged list, keeping the page's other filters: by `page` (StockManager's lists) or by
/// `offset` (Credith's and the audit log's).
struct Pager: Sendable {
    let page: Int
    let pages: Int
    // Absent on the first and last page.
    let previous: String?
    let next: String?

    init(_ request: Request, page: Int, pages: Int) {
        self.page = page
        self.pages = max(pages, 1)
        previous = page > 1 ? Self.link(request, "page", page - 1) : nil
        next = page < pages ? Self.link(request, "page", page + 1) : nil
    }

    init(_ request: Request, offset: Int, limit: Int, total: Int) {
        page = offset / max(limit, 1) + 1
        pages = max((total + limit - 1) / max(limit, 1), 1)
        previous = offset > 0 ? Self.link(request, "offset", max(offset - limit, 0)) : nil
        next = offset + limit < total ? Self.link(request, "offset", offset + limit) : nil
    }

    /// `path` with the page's filters (its query without the paging), for a download of what the page lists.
    static func filtered(_ request: Request, path: String) -> String {
        let items = query(request, without: ["page", "limit", "offset"])
        return items.isEmpty ? path : path + "?" + items.joined(separator: "&")
    }

    private static func link(_ request: Request, _ key: String, _ target: Int) -> String {
        request.uri.path + "?" + (query(request, without: [Substring(key)]) + ["\(key)=\(target)"]).joined(separator: "&")
    }

    private static func query(_ request: Request, without keys: Set<Substring>) -> [String] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func encoded(_ text: Substring) -> String { String(text).addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return request.uri.queryParameters.filter { !keys.contains($0.key) }.map { "\(encoded($0.key))=\(encoded($0.value))" }.sorted()
    }
}

/// The `exports` partial's two downloads of the list as filtered: plain CSV, and "CSV for Excel", which asks for a
/// UTF-8 byte-order mark so that Excel on Windows reads it as UTF-8.
struct Exports: Sendable {
    let csv: String
    let excel: String

    init(_ request: Request, path: String) {
        csv = Pager.filtered(request, path: path)
        excel = csv + (csv.contains("?") ? "&" : "?") + "bom=1"
    }
}

/// One choice of a picker: its value, its words, and whether it is the one chosen.
struct Choice: Sendable {
    let value: String
    let label: String
    var selected = false

    /// `values` with their `option_…` words, `chosen` selected.
    static func options(_ values: [String], chosen: Substring, _ strings: [String: String]) -> [Choice] {
        values.map { Choice(value: $0, label: strings["option_" + $0] ?? $0, selected: $0 == chosen) }
    }
}

/// One of the company's stores in a picker.
struct StoreChoice: Sendable {
    let id: Int64
    let name: String
    let selected: Bool
}

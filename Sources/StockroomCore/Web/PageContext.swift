import Foundation
import Hummingbird

/// What every page template gets: the strings in the reader's language, who is signed in, the navigation their
/// role may use, and the session's CSRF token for the page's own requests.
struct PageContext {
    var values: [String: Any]
    let strings: [String: String]

    init(request: Request, caller: Caller?, title: String) {
        let language = Language.preferred(by: request)
        strings = language.strings
        values = [
            "t": strings, "lang": language.rawValue, "title": strings[title] ?? title,
            "other_lang": language == .en ? "es" : "en", "path": request.uri.path,
        ]
        guard let caller else { return }
        var navigation = [("dashboard", "/"), ("till", "/till")]
        if !Permission.viewReports.allows(caller.role) { navigation.removeFirst() }
        values["user"] = ["name": caller.username, "role": caller.role.rawValue]
        values["nav"] = navigation.map { key, link in ["label": strings[key] ?? key, "link": link, "current": link == request.uri.path] }
        if case .session(_, let token) = caller.credential { values["csrf"] = token }
    }
}

/// The dashboard's numbers, formatted for display.
struct DashboardView {
    let values: [String: Any]

    init(_ stats: DashboardStats) {
        values = [
            "products": stats.products, "low_stock": stats.lowStock.total, "sales_today": stats.salesToday.sales,
            "revenue_today": Self.money(stats.salesToday.revenueCents), "inventory_value": Self.money(stats.inventoryValueCents),
            "low_stock_list": stats.lowStock.levels.map {
                ["name": $0.name, "barcode": $0.barcode, "store": $0.storeName, "stock": $0.stock, "min_stock": $0.minStock] as [String: Any]
            },
            "expiring": stats.expiring.map { ["name": $0.name, "date": $0.expirationDate, "stock": $0.stock] as [String: Any] },
        ]
    }

    static func money(_ cents: Int64) -> String {
        String(format: "%.2f", Double(cents) / 100)
    }
}

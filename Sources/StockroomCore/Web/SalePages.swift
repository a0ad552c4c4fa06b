import Hummingbird

/// The sales pages: the history with its filters, and one sale with its receipt, its edit form and void.
struct SalePages {
    let pages: Pages
    let sales: SaleController
    let products: ProductPages

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("sales", use: list)
        router.get("sales/:id", use: detail)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("sales", title: "sales", request, context) { caller, page in
            let answer = try await sales.list(request, context: context)
            let strings = page.strings
            page.values["sales"] = try pages.rows(answer.data, page.format) { row in Self.label(&row, strings) }
            page.values["pager"] = Pager.values(request, page: answer.page, pages: answer.pages)
            page.values["total"] = answer.total
            page.values["exports"] = Pager.exports(request, path: "/api/export/sales.csv")
            let query = request.uri.queryParameters
            for key: Substring in ["vendor", "product", "from", "to"] { page.values[String(key)] = String(query[key] ?? "") }
            if caller.role == .owner {
                page.values["stores"] = try await products.storeOptions(caller, chosen: try QueryReader(request).id("store_id") ?? 0)
            }
        }
    }

    @Sendable func detail(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("sale", title: "sale_number", request, context) { caller, page in
            let sale = try await sales.get(request, context: context)
            var values = try pages.data(sale, page.format) as? [String: Any] ?? [:]
            Self.label(&values, page.strings)
            // Each line's place, for the edit form's field names (items[0].quantity, …).
            values["products"] = (values["products"] as? [[String: Any]] ?? []).enumerated().map { $1.merging(["index": $0]) { _, new in new } }
            page.values["sale"] = values
            page.values["editable"] = Permission.editSales.allows(caller.role) && sale.status == .completed
            page.values["payment_methods"] = ["cash", "card", "transfer", "other"].map {
                ["value": $0, "label": page.strings["pay_" + $0] ?? $0, "selected": $0 == sale.paymentMethod.rawValue]
            }
        }
    }

    /// Status and payment method in the reader's language.
    static func label(_ sale: inout [String: Any], _ strings: [String: String]) {
        sale["status_label"] = strings["sale_" + (sale["status"] as? String ?? "")] ?? sale["status"]
        sale["payment_label"] = strings["pay_" + (sale["payment_method"] as? String ?? "")] ?? sale["payment_method"]
        sale["voided"] = sale["status"] as? String == "voided"
    }
}

import Hummingbird

/// The products pages: the list with its filters, the create and edit form, and disabling, activating or
/// archiving a product in one store. Lists are the API's own answers; forms and buttons act through the API.
struct ProductPages {
    let pages: Pages
    let products: ProductController
    let stores: StoreService
    let categories: CategoryService

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("products", use: list)
        router.get("products/new") { try await form($0, $1, creating: true) }
        router.get("products/:id") { try await form($0, $1, creating: false) }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("products", title: "products", request, context) { caller, page in
            let canManage = Permission.manageCatalog.allows(caller.role)
            let answer = try await products.list(request, context, includeDisabled: canManage)
            let query = request.uri.queryParameters
            let storeID = answer.data.first?.storeID ?? (Int64(query["store_id"] ?? "") ?? caller.storeID)
            let strings = page.strings
            page.values["products"] = try pages.rows(answer.data, page.format) { row in
                let active = row["status"] as? Int64 == 1
                row["active"] = active
                row["status_label"] = strings[active ? "active" : "disabled"]
                row["low"] = (row["stock"] as? Int64 ?? 0) <= (row["min_stock"] as? Int64 ?? 0)
            }
            page.values["pager"] = Pager.values(request, page: answer.page, pages: answer.pages)
            page.values["exports"] = Pager.exports(request, path: "/api/export/products.csv")
            page.values["total"] = answer.total
            page.values["search"] = String(query["search"] ?? "")
            page.values["store_id"] = storeID
            let modes = ["all", "in_stock", "low_stock", "out_of_stock"] + (canManage ? ["archived"] : [])
            page.values["view_modes"] = Self.options(modes, chosen: query["view_mode"] ?? "all", page.strings)
            page.values["archived_view"] = query["view_mode"] == "archived"
            page.values["sorts"] = Self.options(["name", "stock", "price"], chosen: query["sort"] ?? "name", page.strings)
            page.values["descending"] = query["order"] == "desc"
            if caller.role == .owner {
                page.values["stores"] = try await storeOptions(caller, chosen: storeID)
            }
        }
    }

    @Sendable func form(_ request: Request, _ context: AppRequestContext, creating: Bool) async throws -> Response {
        try await pages.show("product-form", title: creating ? "new_product" : "edit_product", request, context, needs: .manageCatalog) { caller, page in
            if !creating {
                let product = try await products.get(request, context: context)
                var values = try pages.data(product, page.format) as? [String: Any] ?? [:]
                values["active"] = product.status == 1
                page.values["product"] = values
                page.values["store_id"] = product.storeID
            } else {
                // New products start in the store the list was showing (an owner may pick any of theirs).
                page.values["store_id"] = try QueryReader(request).id("store_id") ?? caller.storeID
            }
            page.values["creating"] = creating
            let (categories, _) = try await categories.list(caller, window: OffsetRequest(limit: PageRequest.maxLimit))
            page.values["categories"] = categories.filter(\.isActive).map(\.name)
        }
    }

    /// The company's stores for a picker, the chosen one marked.
    func storeOptions(_ caller: Caller, chosen: Int64) async throws -> [[String: Any]] {
        let (list, _) = try await stores.list(caller, window: OffsetRequest(limit: PageRequest.maxLimit))
        return list.map { ["id": $0.id, "name": $0.name, "selected": $0.id == chosen] }
    }

    static func options(_ values: [String], chosen: Substring, _ strings: [String: String]) -> [[String: Any]] {
        values.map { ["value": $0, "label": strings["option_" + $0] ?? $0, "selected": $0 == chosen] }
    }
}

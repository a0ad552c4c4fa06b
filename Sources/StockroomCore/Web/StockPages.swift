import Hummingbird

/// The stock pages: levels of one store with an adjustment (with its reason) and a transfer per product, and the
/// movement history (the ledger) with its filters. Reads are the API's answers; changes go through the API.
struct StockPages {
    let pages: Pages
    let products: ProductPages
    let movements: StockMovementController
    let catalog: CatalogService

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("stock", use: levels)
        router.get("stock/movements", use: history)
    }

    /// The levels of the chosen store (owners choose; everyone else sees their own), low ones marked.
    @Sendable func levels(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("stock", title: "stock", request, context) { caller, page in
            let answer = try await products.products.list(request, context, includeDisabled: false)
            let storeID = try QueryReader(request).id("store_id") ?? caller.storeID
            page.values["levels"] = try pages.rows(answer.data, page.format) { row in
                row["low"] = (row["stock"] as? Int64 ?? 0) <= (row["min_stock"] as? Int64 ?? 0)
            }
            page.values["pager"] = Pager.values(request, page: answer.page, pages: answer.pages)
            page.values["exports"] = Pager.exports(request, path: "/api/export/stock.csv")
            page.values["search"] = String(request.uri.queryParameters["search"] ?? "")
            page.values["store_id"] = storeID
            page.values["view_modes"] = ProductPages.options(
                ["all", "in_stock", "low_stock", "out_of_stock"], chosen: request.uri.queryParameters["view_mode"] ?? "all", page.strings)
            let stores = try await products.storeOptions(caller, chosen: storeID)
            page.values["stores"] = caller.role == .owner ? stores : []
            page.values["store_name"] = stores.first { $0["id"] as? Int64 == storeID }?["name"] ?? ""
            // Transfers go to any other active store; admins send only from their own.
            if Permission.transferStock.allows(caller.role) && (caller.role == .owner || storeID == caller.storeID) {
                let destinations = try await products.stores.transferDestinations(caller).filter { $0.id != storeID }
                page.values["destinations"] = destinations.map { ["id": $0.id, "name": $0.name] }
                page.values["can_transfer"] = !destinations.isEmpty
            }
        }
    }

    /// The ledger, newest first, filtered like `GET /api/stock-movements`, with product names.
    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("movements", title: "movements", request, context) { caller, page in
            let answer = try await movements.list(request, context: context)
            let productFilter = try QueryReader(request).id("product_id")
            let names = try await catalog.names(caller, ids: Set(answer.data.map(\.productID) + [productFilter].compactMap { $0 }))
            let strings = page.strings
            let stores = try await products.storeOptions(caller, chosen: try QueryReader(request).id("store_id") ?? 0)
            let storeNames = Dictionary(stores.compactMap { store in (store["id"] as? Int64).map { ($0, store["name"] as? String ?? "") } }) { a, _ in
                a
            }
            page.values["movements"] = try pages.rows(answer.data, page.format) { row in
                let productID = row["product_id"] as? Int64 ?? 0
                row["product"] = names[productID] ?? "#\(productID)"
                row["kind_label"] = strings["kind_" + (row["kind"] as? String ?? "")] ?? row["kind"]
                row["incoming"] = (row["delta"] as? Int64 ?? 0) > 0
                row["reason"] = Self.reason(row["reason"] as? String ?? "", storeNames: storeNames, strings)
            }
            page.values["pager"] = Pager.values(request, page: answer.page, pages: answer.pages)
            page.values["exports"] = Pager.exports(request, path: "/api/export/stock-movements.csv")
            let query = request.uri.queryParameters
            page.values["kinds"] = MovementKind.allCases.map {
                ["value": $0.rawValue, "label": strings["kind_" + $0.rawValue] ?? $0.rawValue, "selected": query["kind"] == Substring($0.rawValue)]
            }
            page.values["stores"] = stores
            page.values["from"] = String(query["from"] ?? "")
            page.values["to"] = String(query["to"] ?? "")
            // Only set when there is one: swift-mustache counts an empty string as true in a section.
            if let productFilter {
                page.values["product_id"] = productFilter
                page.values["product_name"] = names[productFilter]
            }
        }
    }

    /// A ledger reason the system wrote (in English, for the API and the CSV) in the reader's words, a transfer's
    /// store by its name; a reason someone typed is theirs and stays as typed.
    static func reason(_ reason: String, storeNames: [Int64: String], _ strings: [String: String]) -> String {
        let fixed = ["New product": "reason_new_product", "Import": "reason_import", "Product edit": "reason_product_edit"]
        if let key = fixed[reason] { return strings[key] ?? reason }
        guard let match = reason.wholeMatch(of: /(To|From) store (\d+)/), let id = Int64(match.output.2),
              let template = strings[match.output.1 == "To" ? "reason_to_store" : "reason_from_store"]
        else { return reason }
        return NotificationText.fill(template, ["store": storeNames[id] ?? "#\(id)"]) ?? reason
    }
}

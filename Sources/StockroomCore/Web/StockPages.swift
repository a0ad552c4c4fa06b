import Hummingbird

/// The stock pages: levels of one store with an adjustment (with its reason), a transfer per product and what is on
/// its way there, and the movement history (the ledger) with its filters. Changes go through the API.
struct StockPages {
    let pages: Pages
    let products: ProductPages
    let stock: StockService
    let transfers: TransferService
    var catalog: CatalogService { products.catalog }

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("stock", use: levels)
        router.get("stock/movements", use: history)
    }

    /// The levels of the chosen store (owners choose; everyone else sees their own), low ones marked.
    @Sendable func levels(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("stock", title: "stock", request, context) { caller, frame in
            let (productQuery, page) = try ProductController.listing(QueryReader(request), caller: caller, includeDisabled: false)
            let list = try await catalog.list(caller, query: productQuery, page: page)
            let storeID = try QueryReader(request).id("store_id") ?? caller.storeID
            let stores = try await products.storeChoices(caller, chosen: storeID)
            // Transfers go to any other active store; admins send only from their own, and see what is on its way to it.
            var destinations: [StoreChoice]?
            var onTheWay: [Int64: Int64] = [:]
            if Permission.transferStock.allows(caller.role) && (caller.role == .owner || storeID == caller.storeID) {
                destinations = try await products.stores.transferDestinations(caller).filter { $0.id != storeID }
                    .map { StoreChoice(id: $0.id, name: $0.name, selected: false) }
                for units in try await transfers.inTransit(caller, storeID: storeID) { onTheWay[units.productID, default: 0] += units.quantity }
            }
            let total = onTheWay.values.reduce(0, +)
            return StockView(
                levels: list.data.map {
                    var row = ProductRow($0, frame)
                    row.inTransit = onTheWay[$0.product.id]
                    return row
                }, pager: Pager(request, page: list.page, pages: list.pages),
                exports: Exports(request, path: "/api/export/stock.csv"), search: String(request.uri.queryParameters["search"] ?? ""),
                storeId: storeID,
                viewModes: Choice.options(
                    ["all", "in_stock", "low_stock", "out_of_stock"], chosen: request.uri.queryParameters["view_mode"] ?? "all", frame.strings),
                stores: caller.role == .owner ? stores : [], storeName: stores.first { $0.id == storeID }?.name ?? "",
                destinations: destinations, canTransfer: !(destinations ?? []).isEmpty, unitsOnTheWay: total > 0 ? total : nil)
        }
    }

    /// The ledger, newest first, filtered like `GET /api/stock-movements`, with product names.
    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("movements", title: "movements", request, context) { caller, frame in
            let query = QueryReader(request)
            let (filter, page) = try StockMovementController.listing(query, caller: caller, timeZone: pages.timeZone)
            let list = try await stock.movements(caller, filter: filter, page: page)
            let productFilter = try query.id("product_id")
            let names = try await catalog.names(caller, ids: Set(list.data.map(\.productID) + [productFilter].compactMap { $0 }))
            let stores = try await products.storeChoices(caller, chosen: try query.id("store_id") ?? 0)
            let storeNames = Dictionary(stores.map { ($0.id, $0.name) }) { first, _ in first }
            let parameters = request.uri.queryParameters
            return MovementsView(
                movements: list.data.map { MovementRow($0, product: names[$0.productID], storeNames: storeNames, frame) },
                pager: Pager(request, page: list.page, pages: list.pages), exports: Exports(request, path: "/api/export/stock-movements.csv"),
                kinds: MovementKind.allCases.map {
                    Choice(
                        value: $0.rawValue, label: frame.strings["kind_" + $0.rawValue] ?? $0.rawValue,
                        selected: parameters["kind"] == Substring($0.rawValue))
                },
                stores: stores, from: String(parameters["from"] ?? ""), to: String(parameters["to"] ?? ""),
                productId: productFilter, productName: productFilter.flatMap { names[$0] })
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

/// The stock page: one store's levels, its filters, the store picker (owners) and where stock may be sent.
struct StockView: Sendable {
    let levels: [ProductRow]
    let pager: Pager
    let exports: Exports
    let search: String
    let storeId: Int64
    let viewModes: [Choice]
    let stores: [StoreChoice]
    let storeName: String
    /// Absent for those who may not send stock from this store.
    let destinations: [StoreChoice]?
    let canTransfer: Bool
    /// The units in transit to this store over every product (absent when none, or not the reader's to see).
    let unitsOnTheWay: Int64?
}

/// The movements page: a page of the ledger and its filters; `productId` and `productName` only when one product's.
struct MovementsView: Sendable {
    let movements: [MovementRow]
    let pager: Pager
    let exports: Exports
    let kinds: [Choice]
    let stores: [StoreChoice]
    let from: String
    let to: String
    let productId: Int64?
    let productName: String?
}

/// A ledger row for reading: the product by name, the kind and the system's reasons in the reader's words.
struct MovementRow: Sendable {
    let createdAt: String
    let product: String
    let kindLabel: String
    let incoming: Bool
    let delta: Int64
    let stockAfter: Int64
    let reason: String
    let reference: String

    init(_ movement: StockMovement, product: String?, storeNames: [Int64: String], _ frame: PageFrame) {
        createdAt = frame.format.dateTime(movement.createdAt)
        self.product = product ?? "#\(movement.productID)"
        kindLabel = frame.strings["kind_" + movement.kind.rawValue] ?? movement.kind.rawValue
        incoming = movement.delta > 0
        delta = movement.delta
        stockAfter = movement.stockAfter
        reason = StockPages.reason(movement.reason ?? "", storeNames: storeNames, frame.strings)
        reference = movement.reference ?? ""
    }
}

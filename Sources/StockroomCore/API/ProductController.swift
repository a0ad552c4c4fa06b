import Hummingbird

/// StockManager's products: `/api/products`, `/api/products_all`, `/api/products/{id}` (+ `/activate`), `/api/items`.
struct ProductController {
    let catalog: CatalogService

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("products") { try await list($0, $1, includeDisabled: false) }
        api.get("products_all") { try await list($0, $1, includeDisabled: true) }
        api.post("products", use: create)
        api.get("products/:id", use: get)
        api.put("products/:id", use: update)
        api.delete("products/:id", use: delete)
        api.post("products/:id/activate", use: activate)
        api.get("items", use: items)
    }

    func list(_ request: Request, _ context: AppRequestContext, includeDisabled: Bool) async throws -> Paged<ProductResponse> {
        let caller = try context.requireCaller()
        let (productQuery, page) = try Self.listing(QueryReader(request), caller: caller, includeDisabled: includeDisabled)
        return try await catalog.list(caller, query: productQuery, page: page).map(ProductResponse.init)
    }

    /// The list's filters and page, for the API's lists and the products and stock pages. StockManager's documented
    /// pages: 24 products in the shop's list, 50 in the list with disabled ones.
    static func listing(_ query: QueryReader, caller: Caller, includeDisabled: Bool) throws -> (query: ProductQuery, page: PageRequest) {
        (try filter(query, caller: caller, includeDisabled: includeDisabled), try PageRequest(query, defaultLimit: includeDisabled ? 50 : 24))
    }

    /// The list's filters (`store_id`, `search`, `view_mode`, `sort`, `order`): the page, the API and the CSV
    /// downloads of products and stock cut the list the same way.
    static func filter(_ query: QueryReader, caller: Caller, includeDisabled: Bool) throws -> ProductQuery {
        var productQuery = ProductQuery(
            companyID: caller.companyID, storeID: try query.id("store_id") ?? caller.storeID, includeDisabled: includeDisabled)
        productQuery.search = try query.string("search", maxLength: 100)
        productQuery.viewMode = try query.oneOf("view_mode", ProductQuery.ViewMode.self) ?? .all
        if productQuery.viewMode == .discontinued {
            // The disabled products, which only those who can bring them back see (StockManager's list of them).
            try caller.require(.manageCatalog)
            productQuery.includeDisabled = true
        }
        productQuery.sort = try query.oneOf("sort", ProductQuery.Sort.self) ?? .name
        productQuery.descending = try query.oneOf("order", SortOrder.self) == .desc
        return productQuery
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Saved<ProductResponse>> {
        let caller = try context.require(.manageCatalog)
        let body = try await request.decode(as: ProductRequest.self, context: context)
        var product = try await catalog.create(caller, body.fields, storeID: body.storeID)
        if body.active == false { product = try await setActive(caller, id: product.product.id, active: false, storeID: nil) }
        return Saved(ProductResponse(product), message: "Product created").created
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> ProductResponse {
        let caller = try context.requireCaller()
        let id = try context.parameters.id("id")
        return ProductResponse(try await catalog.get(caller, id: id, storeID: try QueryReader(request).id("store_id")))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Saved<ProductResponse> {
        let caller = try context.require(.manageCatalog)
        let id = try context.parameters.id("id")
        let body = try await request.decode(as: ProductRequest.self, context: context)
        let storeID = try body.storeID ?? QueryReader(request).id("store_id")
        if let active = body.active {
            // StockManager's client brings a product back (or takes it off sale) by its status, as /activate and
            // DELETE do; first, so that a refused status changes nothing.
            let product = try await setActive(caller, id: id, active: active, storeID: try QueryReader(request).id("storeId"))
            if body.fields.isEmpty { return Saved(ProductResponse(product), message: "Product updated") }
        }
        return Saved(ProductResponse(try await catalog.update(caller, id: id, body.fields, storeID: storeID)), message: "Product updated")
    }

    /// Disables the product (owners, every store); with `?storeId=` (Credith), or for an admin, archives it in
    /// that store only.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> SuccessResponse {
        let caller = try context.require(.manageCatalog)
        let id = try context.parameters.id("id")
        let storeID = try QueryReader(request).id("storeId")
        _ = try await setActive(caller, id: id, active: false, storeID: storeID)
        if let store = storeID ?? (caller.role == .owner ? nil : caller.storeID) {
            return SuccessResponse(message: "Product archived in store \(store)")
        }
        return SuccessResponse(message: "Product disabled")
    }

    /// Re-activates the product (owners); with `?storeId=`, or for an admin, brings it back in that store.
    @Sendable func activate(_ request: Request, context: AppRequestContext) async throws -> ProductResponse {
        let caller = try context.require(.manageCatalog)
        let id = try context.parameters.id("id")
        return ProductResponse(try await setActive(caller, id: id, active: true, storeID: try QueryReader(request).id("storeId")))
    }

    /// Owners switch the product in every store; with `storeId` (Credith), or for an admin, it is archived in (or
    /// brought back to) that one store.
    private func setActive(_ caller: Caller, id: Int64, active: Bool, storeID: Int64?) async throws -> StoreProduct {
        if let storeID = storeID ?? (caller.role == .owner ? nil : caller.storeID) {
            // Bringing it back in a store does not undo the owner's disabling for the company.
            if active, try await !catalog.get(caller, id: id, storeID: storeID).product.isActive {
                throw AppError(.forbidden, code: "owner_only", "The owner disabled this product for the company; only an owner brings it back")
            }
            try await catalog.setActiveInStore(caller, id: id, storeID: storeID, active: active)
            return try await catalog.get(caller, id: id, storeID: storeID)
        }
        let product = try await catalog.setActive(caller, id: id, active: active)
        // An owner's "on sale again" also holds in the store they read, where an admin may have archived it.
        guard active, !product.isActiveInStore else { return product }
        try await catalog.setActiveInStore(caller, id: id, storeID: product.storeID, active: true)
        return try await catalog.get(caller, id: id, storeID: product.storeID)
    }

    /// Up to 10 active products matching `q` in the caller's store, for the point of sale: a product whose barcode
    /// is `q` itself first, then the rest in name order.
    @Sendable func items(_ request: Request, context: AppRequestContext) async throws -> [ProductResponse] {
        let caller = try context.requireCaller()
        var query = ProductQuery(companyID: caller.companyID, storeID: caller.storeID)
        query.search = try QueryReader(request).string("q", maxLength: 100)
        query.counted = false
        query.exactCodeFirst = true
        return try await catalog.list(caller, query: query, page: PageRequest(limit: 10)).data.map(ProductResponse.init)
    }

    enum SortOrder: String { case asc, desc }
}

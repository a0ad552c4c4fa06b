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
        let query = QueryReader(request)
        var productQuery = ProductQuery(
            companyID: caller.companyID, storeID: try query.id("store_id") ?? caller.storeID, includeDisabled: includeDisabled)
        productQuery.search = try query.string("search", maxLength: 100)
        productQuery.viewMode = try query.oneOf("view_mode", ProductQuery.ViewMode.self) ?? .all
        productQuery.sort = try query.oneOf("sort", ProductQuery.Sort.self) ?? .name
        productQuery.descending = try query.oneOf("order", SortOrder.self) == .desc
        let page = try await catalog.list(caller, query: productQuery, page: PageRequest(query, defaultLimit: 50))
        return page.map(ProductResponse.init)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Saved<ProductResponse>> {
        let caller = try context.require(.manageCatalog)
        let body = try await request.decode(as: ProductRequest.self, context: context)
        return Saved(ProductResponse(try await catalog.create(caller, body.fields, storeID: body.storeID)), message: "Product created").created
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
        return Saved(ProductResponse(try await catalog.update(caller, id: id, body.fields, storeID: storeID)), message: "Product updated")
    }

    /// Disables the product (owners, every store); with `?storeId=` (Credith), or for an admin, archives it in
    /// that store only.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> SuccessResponse {
        let caller = try context.require(.manageCatalog)
        let id = try context.parameters.id("id")
        if let storeID = try QueryReader(request).id("storeId") ?? (caller.role == .owner ? nil : caller.storeID) {
            try await catalog.setActiveInStore(caller, id: id, storeID: storeID, active: false)
            return SuccessResponse(message: "Product archived in store \(storeID)")
        }
        _ = try await catalog.setActive(caller, id: id, active: false)
        return SuccessResponse(message: "Product disabled")
    }

    /// Re-activates the product (owners); with `?storeId=`, or for an admin, brings it back in that store.
    @Sendable func activate(_ request: Request, context: AppRequestContext) async throws -> ProductResponse {
        let caller = try context.require(.manageCatalog)
        let id = try context.parameters.id("id")
        if let storeID = try QueryReader(request).id("storeId") ?? (caller.role == .owner ? nil : caller.storeID) {
            try await catalog.setActiveInStore(caller, id: id, storeID: storeID, active: true)
            return ProductResponse(try await catalog.get(caller, id: id, storeID: storeID))
        }
        return ProductResponse(try await catalog.setActive(caller, id: id, active: true))
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

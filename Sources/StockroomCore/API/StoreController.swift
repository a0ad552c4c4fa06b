import Hummingbird

/// Credith's `/api/stores…` (camelCase) and `GET /api/companies` (the caller's own company only).
struct StoreController {
    let stores: StoreService

    struct StoreRequest: Decodable {
        let name: String?
        let address: String?
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("stores", use: list)
        api.get("stores/:id", use: get)
        api.post("stores", use: create)
        api.put("stores/:id", use: update)
        api.put("stores/deactivate/:id") { try await setActive($0, $1, false) }
        api.put("stores/activate/:id") { try await setActive($0, $1, true) }
        api.get("companies", use: companies)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> TotalAndData<StoreResponse> {
        let caller = try context.requireCaller()
        let (stores, total) = try await stores.list(caller, window: OffsetRequest(QueryReader(request)))
        return TotalAndData(total: total, data: stores.map(StoreResponse.init))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> StoreResponse {
        let caller = try context.requireCaller()
        return StoreResponse(try await stores.get(caller, id: try context.parameters.id("id")))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<StoreResponse> {
        let caller = try context.require(.manageStores)
        let body = try await request.decode(as: StoreRequest.self, context: context)
        guard let name = body.name else {
            throw ShopError.missingField("name")
        }
        return StoreResponse(try await stores.create(caller, name: name, address: body.address)).created
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> StoreResponse {
        let caller = try context.require(.manageStores)
        let id = try context.parameters.id("id")
        let body = try await request.decode(as: StoreRequest.self, context: context)
        return StoreResponse(try await stores.update(caller, id: id, name: body.name, address: body.address))
    }

    func setActive(_ request: Request, _ context: AppRequestContext, _ active: Bool) async throws -> StoreResponse {
        let caller = try context.require(.manageStores)
        let id = try context.parameters.id("id")
        return StoreResponse(
            try await stores.update(
                caller, id: id, name: nil, address: nil, isActive: active, action: active ? "store_activated" : "store_deactivated"))
    }

    @Sendable func companies(_ request: Request, context: AppRequestContext) async throws -> TotalAndData<CompanyResponse> {
        let company = try await stores.company(try context.requireCaller())
        return TotalAndData(total: 1, data: [CompanyResponse(company)])
    }
}

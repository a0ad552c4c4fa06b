import Hummingbird

/// Credith's `/api/categories…`.
struct CategoryController {
    let categories: CategoryService

    struct CategoryRequest: Decodable {
        let name: String
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("categories", use: list)
        api.post("categories", use: create)
        api.put("categories/:id", use: rename)
        api.patch("categories/:id/activate") { try await setActive($0, $1, true) }
        api.patch("categories/:id/deactivate") { try await setActive($0, $1, false) }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> TotalAndData<CategoryResponse> {
        let (categories, total) = try await categories.list(try context.requireCaller(), window: OffsetRequest(QueryReader(request)))
        return TotalAndData(total: total, data: categories.map(CategoryResponse.init))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CategoryResponse> {
        let caller = try context.require(.manageCatalog)
        let body = try await request.decode(as: CategoryRequest.self, context: context)
        return CategoryResponse(try await categories.create(caller, name: body.name)).created
    }

    @Sendable func rename(_ request: Request, context: AppRequestContext) async throws -> CategoryResponse {
        let caller = try context.require(.manageCatalog)
        let id = try context.parameters.id("id")
        let body = try await request.decode(as: CategoryRequest.self, context: context)
        return CategoryResponse(try await categories.update(caller, id: id, name: body.name, isActive: nil))
    }

    func setActive(_ request: Request, _ context: AppRequestContext, _ active: Bool) async throws -> CategoryResponse {
        let caller = try context.require(.manageCatalog)
        return CategoryResponse(try await categories.update(caller, id: try context.parameters.id("id"), name: nil, isActive: active))
    }
}

import Hummingbird

/// `POST /api/tokens`, `GET /api/tokens`, `DELETE /api/tokens/{id}`: the caller's own API tokens.
struct TokenController {
    let tokens: TokenService

    struct CreateRequest: Decodable {
        let name: String
    }

    struct TokenList: ResponseEncodable {
        let data: [APITokenResponse]
        let total: Int
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("tokens", use: create)
        api.get("tokens", use: list)
        api.delete("tokens/:id", use: delete)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<TokenCreatedResponse> {
        let caller = try context.requireCaller()
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let (token, secret) = try await tokens.create(caller, name: body.name)
        return TokenCreatedResponse(id: token.id, name: token.name, token: secret, prefix: token.prefix, createdAt: token.createdAt).created
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> TokenList {
        let list = try await tokens.list(try context.requireCaller())
        return TokenList(data: list.map(APITokenResponse.init), total: list.count)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> SuccessResponse {
        let caller = try context.requireCaller()
        try await tokens.delete(caller, id: try context.parameters.id("id"))
        return SuccessResponse(message: "Token deleted")
    }
}

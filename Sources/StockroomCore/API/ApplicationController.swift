import Hummingbird

/// `GET /api/applications`, `POST /api/applications/{user_id}/approve|reject`.
struct ApplicationController {
    let users: UserService

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("applications", use: list)
        api.post("applications/:id/approve") { try await review($0, $1, approve: true) }
        api.post("applications/:id/reject") { try await review($0, $1, approve: false) }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Paged<UserResponse> {
        let caller = try context.require(.reviewApplications)
        return try await users.applications(caller, page: PageRequest(QueryReader(request), defaultLimit: 50)).map(UserResponse.init)
    }

    func review(_ request: Request, _ context: AppRequestContext, approve: Bool) async throws -> ReviewResponse {
        let caller = try context.require(.reviewApplications)
        let user = try await users.review(caller, userID: try context.parameters.id("id"), approve: approve)
        return ReviewResponse(message: approve ? "Application approved" : "Application rejected", user: UserResponse(user))
    }

    struct ReviewResponse: ResponseEncodable {
        var success = true
        let message: String
        let user: UserResponse
    }
}

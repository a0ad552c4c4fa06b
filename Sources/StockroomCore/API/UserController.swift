import Foundation
import Hummingbird

/// `/api/users…`: account administration for owners and admins.
struct UserController {
    let users: UserService

    struct CreateRequest: Decodable {
        let username: String
        let email: String
        let password: String
        let role: String
        let store_id: Int64?
    }

    /// Every field optional: PUT is a partial update. `status` is `active`/`disabled` or StockManager's `1`/`0`
    /// (`is_active` another spelling); `password` is StockManager's way to set someone's password here.
    struct UpdateRequest: Decodable {
        let username: String?
        let email: String?
        let role: String?
        let store_id: Int64?
        let status: StatusValue?
        let is_active: Bool?
        let password: String?
    }

    /// A status as either system writes it: a word, or StockManager's number.
    enum StatusValue: Decodable {
        case word(String)
        case number(Int64)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int64.self) {
                self = .number(number)
                return
            }
            self = .word(try container.decode(String.self))
        }

        var status: AccountStatus? {
            switch self {
            case .number(1): .active
            case .number(0): .disabled
            case .number: nil
            case .word(let text):
                switch text.lowercased() {
                case "active", "1": .active
                case "disabled", "0": .disabled
                default: nil
                }
            }
        }
    }

    struct PasswordRequest: Decodable {
        let password: String?
        let new_password: String?
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("users", use: list)
        api.post("users", use: create)
        api.get("users/:id", use: get)
        api.put("users/:id", use: update)
        api.delete("users/:id", use: deactivate)
        api.post("users/:id/password", use: resetPassword)
        api.get("suggest/vendors", use: suggestVendors)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Paged<UserResponse> {
        let caller = try context.require(.manageUsers)
        let (filter, page) = try Self.listing(QueryReader(request), caller: caller)
        return try await users.list(caller, filter: filter, page: page).map(UserResponse.init)
    }

    /// The list's filters (`store_id`, `status`, `role`, `search`) and page (50 people a page), for the API's list
    /// and the users page.
    static func listing(_ query: QueryReader, caller: Caller) throws -> (filter: UserFilter, page: PageRequest) {
        let filter = UserFilter(
            companyID: caller.companyID, storeID: try query.id("store_id"),
            statuses: try query.oneOf("status", AccountStatus.self).map { [$0] }, role: try Self.role(query.string("role"), field: "role"),
            search: try query.string("search", maxLength: 100))
        return (filter, try PageRequest(query, defaultLimit: 50))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<UserResponse> {
        let caller = try context.require(.manageUsers)
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let account = UserService.NewAccount(
            username: body.username.trimmingCharacters(in: .whitespaces), email: body.email.trimmingCharacters(in: .whitespaces),
            password: body.password, role: try Self.role(body.role, field: "role")!, storeID: body.store_id)
        return UserResponse(try await users.create(caller, account)).created
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> UserResponse {
        let caller = try context.require(.manageUsers)
        return UserResponse(try await users.get(caller, id: try context.parameters.id("id")))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> UserResponse {
        let caller = try context.require(.manageUsers)
        let id = try context.parameters.id("id")
        let body = try await request.decode(as: UpdateRequest.self, context: context)
        var status = try body.status.map { value -> AccountStatus in
            guard let status = value.status else { throw ShopError.invalidField("status", "status must be 'active' or 'disabled' (or 1 or 0)") }
            return status
        }
        if let isActive = body.is_active { status = isActive ? .active : .disabled }
        // Checked before anything is written, so a refused password changes nothing.
        if let password = body.password {
            try AccountFields.validatePassword(password, field: "password")
            if id == caller.userID {
                throw ShopError.unprocessable("Change your own password in the settings, with your current password", code: "cannot_reset_self")
            }
        }
        let changes = UserChanges(
            username: body.username?.trimmingCharacters(in: .whitespaces), email: body.email?.trimmingCharacters(in: .whitespaces),
            role: try Self.role(body.role, field: "role"), storeID: body.store_id, status: status)
        guard let password = body.password else { return UserResponse(try await users.update(caller, id: id, changes)) }
        if body.username != nil || body.email != nil || body.role != nil || body.store_id != nil || status != nil {
            _ = try await users.update(caller, id: id, changes)
        }
        try await users.resetPassword(caller, id: id, to: password)
        return UserResponse(try await users.get(caller, id: id))
    }

    @Sendable func deactivate(_ request: Request, context: AppRequestContext) async throws -> UserResponse {
        let caller = try context.require(.manageUsers)
        return UserResponse(try await users.deactivate(caller, id: try context.parameters.id("id")))
    }

    @Sendable func resetPassword(_ request: Request, context: AppRequestContext) async throws -> SuccessResponse {
        let caller = try context.require(.manageUsers)
        let id = try context.parameters.id("id")
        let body = try await request.decode(as: PasswordRequest.self, context: context)
        guard let password = body.password ?? body.new_password else {
            throw ShopError.missingField("password")
        }
        try await users.resetPassword(caller, id: id, to: password)
        return SuccessResponse(message: "Password reset; the account was signed out everywhere")
    }

    /// A role as either original system spells it; 400 naming `field` for anything else.
    static func role(_ text: String?, field: String) throws -> Role? {
        guard let text else { return nil }
        guard let role = Role(input: text) else { throw ShopError.invalidField(field, "\(field) must be owner, admin or vendor") }
        return role
    }

    struct Suggestions: ResponseEncodable {
        struct Person: Encodable {
            let id: Int64
            let username, email: String
        }

        let data: [Person]
    }

    /// `GET /api/suggest/vendors?q=`: `{data: [{id, username, email}]}`, StockManager's shape.
    @Sendable func suggestVendors(_ request: Request, context: AppRequestContext) async throws -> Suggestions {
        let caller = try context.requireCaller()
        let found = try await users.suggestVendors(caller, matching: try QueryReader(request).string("q", maxLength: 100))
        return Suggestions(data: found.map { Suggestions.Person(id: $0.id, username: $0.username, email: $0.email) })
    }
}

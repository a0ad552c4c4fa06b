import Foundation
import Hummingbird

/// An account as StockManager's clients read it (snake_case).
struct UserResponse: ResponseEncodable, AllKeysEncodable {
    let id: Int64
    let username: String
    let email: String
    let role: Role
    let storeID: Int64
    let companyID: Int64
    let status: AccountStatus
    let isActive: Bool
    let createdAt: Date
    let updatedAt: Date
    let lastLoginAt: Date?

    init(_ user: User) {
        id = user.id
        username = user.username
        email = user.email
        role = user.role
        storeID = user.storeID
        companyID = user.companyID
        status = user.status
        isActive = user.status == .active
        createdAt = user.createdAt
        updatedAt = user.updatedAt
        lastLoginAt = user.lastLoginAt
    }
}

/// A store as Credith's clients read it (camelCase).
struct StoreResponse: ResponseEncodable, AllKeysEncodable {
    static var keyStyle: JSONKeyStyle { .asWritten }

    let storeId: Int64
    let companyId: Int64
    let name: String
    let address: String?
    let isActive: Bool
    let createdAt: Date

    init(_ store: Store) {
        storeId = store.id
        companyId = store.companyID
        name = store.name
        address = store.address
        isActive = store.isActive
        createdAt = store.createdAt
    }
}

struct CompanyResponse: ResponseEncodable, AllKeysEncodable {
    static var keyStyle: JSONKeyStyle { .asWritten }

    let companyId: Int64
    let name: String
    let isActive: Bool
    let createdAt: Date

    init(_ company: Company) {
        companyId = company.id
        name = company.name
        isActive = company.isActive
        createdAt = company.createdAt
    }
}

/// `{"success": true, "message": ...}`, StockManager's confirmation.
struct SuccessResponse: ResponseEncodable {
    var success = true
    let message: String
}

/// Sign-in, exactly as the contract lists it.
struct LoginResponse: ResponseEncodable, AllKeysEncodable {
    var success = true
    let userID: Int64
    let username: String
    let role: Role
    let storeID: Int64
    let companyID: Int64
}

/// The signed-in account; `csrf_token` only for session callers (pages send it back in `X-CSRF-Token`).
struct MeResponse: ResponseEncodable, AllKeysEncodable {
    let userID: Int64
    let username: String
    let email: String
    let role: Role
    let storeID: Int64
    let companyID: Int64
    let csrfToken: String?
}

struct TokenCreatedResponse: ResponseEncodable, AllKeysEncodable {
    let id: Int64
    let name: String
    /// Shown this once.
    let token: String
    let prefix: String
    let createdAt: Date
}

struct AuditPageResponse: ResponseEncodable {
    let data: [AuditRecord]
    let total: Int
    let limit: Int
    let offset: Int
}

extension ResponseEncodable {
    /// This body with 201 Created.
    var created: EditedResponse<Self> { EditedResponse(status: .created, response: self) }
}

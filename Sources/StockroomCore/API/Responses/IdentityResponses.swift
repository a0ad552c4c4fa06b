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

/// `GET /api/user/{id}` and `GET /api/all`: StockManager's `{total, records}` and Stockroom's fuller rows (`data`,
/// with the old and new values) beside them, with the window read.
struct AuditPageResponse: ResponseEncodable {
    let total: Int
    let records: [AuditRow]
    let data: [AuditRecordResponse]
    let limit: Int
    let offset: Int

    init(data: [AuditRecord], total: Int, limit: Int, offset: Int) {
        self.total = total
        records = data.map(AuditRow.init)
        self.data = data.map(AuditRecordResponse.init)
        self.limit = limit
        self.offset = offset
    }
}

/// One audit row as StockManager's clients read it.
struct AuditRow: Encodable, AllKeysEncodable {
    let id: Int64
    let userID: Int64?
    let username: String?
    let action: String
    let entityType: String?
    /// A number where the entity's id is one (StockManager's ids always are), the text otherwise.
    let entityID: JSONValue
    let description: String
    let timestamp: Date
    /// `failed` for refused sign-ins, `success` for everything that happened.
    let status: String

    init(_ record: AuditRecord) {
        id = record.id
        userID = record.userID
        username = record.username
        action = record.action
        entityType = record.entityType
        entityID = Self.id(record.entityID)
        description = Self.describe(record.action, record.entityType, record.entityID)
        timestamp = record.createdAt
        status = ["login_failed", "login_refused"].contains(record.action) ? "failed" : "success"
    }

    static func id(_ text: String?) -> JSONValue {
        guard let text else { return .null }
        return Int64(text).map(JSONValue.int) ?? .string(text)
    }

    /// What was done to what: `product_updated product 12`.
    static func describe(_ action: String, _ entityType: String?, _ entityID: String?) -> String {
        [action, entityType, entityID].compactMap { $0 }.joined(separator: " ")
    }
}

/// `GET /api/entity/{type}/{id}`: StockManager's `{entity_type, entity_id, changes}` — the page read, oldest first —
/// and the page itself beside it as `GET /api/all` gives it.
struct EntityHistoryResponse: ResponseEncodable {
    let entityType: String
    let entityID: JSONValue
    let changes: [Change]
    let total: Int
    let data: [AuditRecordResponse]
    let limit: Int
    let offset: Int

    struct Change: Encodable, AllKeysEncodable {
        let userID: Int64?
        let username: String?
        let action: String
        let oldValue: JSONValue?
        let newValue: JSONValue?
        let timestamp: Date
        let description: String
    }

    enum CodingKeys: String, CodingKey {
        case entityType = "entity_type"
        case entityID = "entity_id"
        case changes, total, data, limit, offset
    }

    init(type: String, id: String, page: AuditPageResponse) {
        entityType = type
        entityID = AuditRow.id(id)
        changes = page.data.reversed().map {
            Change(
                userID: $0.userID, username: $0.username, action: $0.action, oldValue: $0.oldValues, newValue: $0.newValues,
                timestamp: $0.createdAt, description: AuditRow.describe($0.action, $0.entityType, $0.entityID))
        }
        total = page.total
        data = page.data
        limit = page.limit
        offset = page.offset
    }
}

extension ResponseEncodable {
    /// This body with 201 Created.
    var created: EditedResponse<Self> { EditedResponse(status: .created, response: self) }
}

import Foundation

public struct Company: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var isActive: Bool
    public var createdAt: Date
}

public struct Store: Codable, Sendable, Equatable {
    public var id: Int64
    public var companyID: Int64
    public var name: String
    public var address: String?
    public var isActive: Bool
    public var createdAt: Date
}

public struct User: Codable, Sendable, Equatable {
    public var id: Int64
    public var companyID: Int64
    public var storeID: Int64
    public var username: String
    public var email: String
    public var passwordHash: String
    public var role: Role
    public var status: AccountStatus
    public var createdAt: Date
    public var updatedAt: Date
    public var lastLoginAt: Date?
    /// The staff pages' language (`en`, `es`); nil follows the browser.
    public var language: String? = nil
}

/// What it takes to make an account; the password is hashed before it reaches the repository.
struct NewUser: Sendable {
    public var companyID: Int64
    public var storeID: Int64
    public var username: String
    public var email: String
    public var passwordHash: String
    public var role: Role
    public var status: AccountStatus

    public init(companyID: Int64, storeID: Int64, username: String, email: String, passwordHash: String, role: Role, status: AccountStatus) {
        self.companyID = companyID
        self.storeID = storeID
        self.username = username
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.status = status
    }
}

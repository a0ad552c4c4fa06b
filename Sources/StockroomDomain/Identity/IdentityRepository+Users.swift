import Foundation
import SQLKit

/// Which accounts a list shows: always one company, optionally one store, status, role or a search text.
public struct UserFilter: Sendable {
    public var companyID: Int64
    public var storeID: Int64?
    public var statuses: [AccountStatus]?
    public var role: Role?
    public var search: String?

    public init(companyID: Int64, storeID: Int64? = nil, statuses: [AccountStatus]? = nil, role: Role? = nil, search: String? = nil) {
        self.companyID = companyID
        self.storeID = storeID
        self.statuses = statuses
        self.role = role
        self.search = search
    }
}

/// The account fields an update may change; nil leaves a field as it is.
public struct UserChanges: Sendable, Equatable {
    public var username: String?
    public var email: String?
    public var role: Role?
    public var storeID: Int64?
    public var status: AccountStatus?
    public var passwordHash: String?

    public init(
        username: String? = nil, email: String? = nil, role: Role? = nil, storeID: Int64? = nil,
        status: AccountStatus? = nil, passwordHash: String? = nil
    ) {
        self.username = username
        self.email = email
        self.role = role
        self.storeID = storeID
        self.status = status
        self.passwordHash = passwordHash
    }
}

extension IdentityRepository {
    static let userColumns = SQLQueryString(
        """
        id, company_id, store_id, username, email, password_hash, role, status, created_at, updated_at, last_login_at, language
        """)

    /// One account of `companyID`; nil for an account of any other company.
    public func user(id: Int64, companyID: Int64, _ db: any SQLDatabase) async throws -> User? {
        try await db.raw(
            """
            SELECT \(Self.userColumns) FROM users WHERE id = \(bind: id) AND company_id = \(bind: companyID)
            """
        ).first().map(User.init(row:))
    }

    /// The account signing in by username or email, in any company (both are unique across companies).
    public func user(login: String, _ db: any SQLDatabase) async throws -> User? {
        try await db.raw(
            """
            SELECT \(Self.userColumns) FROM users
            WHERE LOWER(username) = LOWER(\(bind: login)) OR LOWER(email) = LOWER(\(bind: login))
            ORDER BY id LIMIT 1
            """
        ).first().map(User.init(row:))
    }

    /// One page of accounts matching `filter`, newest first, and how many match in all.
    public func users(_ filter: UserFilter, limit: Int, offset: Int, _ db: any SQLDatabase) async throws -> (users: [User], total: Int) {
        var conditions = [SQLQueryString("company_id = \(bind: filter.companyID)")]
        if let storeID = filter.storeID { conditions.append("store_id = \(bind: storeID)") }
        if let role = filter.role { conditions.append("role = \(bind: role.rawValue)") }
        if let statuses = filter.statuses {
            conditions.append("status IN (\(binds: statuses.map(\.rawValue)))")
        }
        if let search = filter.search, !search.isEmpty {
            let pattern = "%" + SQLText.escapeLike(search.lowercased()) + "%"
            conditions.append("(LOWER(username) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(email) LIKE \(bind: pattern) ESCAPE '\\')")
        }
        let whereClause = conditions.joined(separator: " AND ")
        let total =
            try await db.raw("SELECT COUNT(*) AS n FROM users WHERE \(whereClause)")
            .first(decodingColumn: "n", as: Int.self) ?? 0
        let rows = try await db.raw(
            """
            SELECT \(Self.userColumns) FROM users WHERE \(whereClause)
            ORDER BY id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all()
        return (try rows.map(User.init(row:)), total)
    }

    /// Applies `changes` to an account of `companyID` (its sessions and tokens, as looked up, are forgotten: they
    /// carry the account's role, store and status).
    func updateUser(id: Int64, companyID: Int64, _ changes: UserChanges, _ db: any SQLDatabase) async throws {
        Transaction.current?.forgetCredentials()
        var assignments = [SQLQueryString("updated_at = \(bind: Date.now.unixMilliseconds)")]
        if let username = changes.username { assignments.append("username = \(bind: username)") }
        if let email = changes.email { assignments.append("email = \(bind: email)") }
        if let role = changes.role { assignments.append("role = \(bind: role.rawValue)") }
        if let storeID = changes.storeID { assignments.append("store_id = \(bind: storeID)") }
        if let status = changes.status { assignments.append("status = \(bind: status.rawValue)") }
        if let passwordHash = changes.passwordHash { assignments.append("password_hash = \(bind: passwordHash)") }
        try await db.raw(
            """
            UPDATE users SET \(assignments.joined(separator: ", "))
            WHERE id = \(bind: id) AND company_id = \(bind: companyID)
            """
        ).run()
    }

    /// The language `userID` reads the pages in; nil follows their browser.
    func setLanguage(userID: Int64, companyID: Int64, _ language: String?, _ db: any SQLDatabase) async throws {
        Transaction.current?.forgetCredentials()
        try await db.raw(
            """
            UPDATE users SET language = \(bind: language), updated_at = \(bind: Date.now.unixMilliseconds)
            WHERE id = \(bind: userID) AND company_id = \(bind: companyID)
            """
        ).run()
    }

    func recordLogin(userID: Int64, _ db: any SQLDatabase) async throws {
        try await db.raw("UPDATE users SET last_login_at = \(bind: Date.now.unixMilliseconds) WHERE id = \(bind: userID)").run()
    }
}

extension User {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: Int64.self),
            companyID: try row.decode(column: "company_id", as: Int64.self),
            storeID: try row.decode(column: "store_id", as: Int64.self),
            username: try row.decode(column: "username", as: String.self),
            email: try row.decode(column: "email", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .vendor,
            status: AccountStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .disabled,
            createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(unixMilliseconds: try row.decode(column: "updated_at", as: Int64.self)),
            lastLoginAt: try row.decode(column: "last_login_at", as: Int64?.self).map(Date.init(unixMilliseconds:)),
            language: try row.decode(column: "language", as: String?.self))
    }
}

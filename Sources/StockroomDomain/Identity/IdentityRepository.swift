import Foundation
import SQLKit

/// SQL for companies, stores and users. Every lookup of a store or user is scoped by company.
public struct IdentityRepository: Sendable {
    public init() {}

    public func countCompanies(_ db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM companies").first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// The first company made: the one the server was installed for (bootstrap), which answers for the server itself.
    func firstCompanyID(_ db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("SELECT MIN(id) AS id FROM companies").first(decodingColumn: "id", as: Int64.self)
    }

    func insertCompany(name: String, _ db: any SQLDatabase) async throws -> Company {
        let now = Date.now.unixMilliseconds
        let id = try await db.raw(
            """
            INSERT INTO companies (name, is_active, created_at) VALUES (\(bind: name), TRUE, \(bind: now)) RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)!
        return Company(id: id, name: name, isActive: true, createdAt: Date(unixMilliseconds: now))
    }

    public func insertStore(companyID: Int64, name: String, address: String? = nil, _ db: any SQLDatabase) async throws -> Store {
        let now = Date.now.unixMilliseconds
        let id = try await db.raw(
            """
            INSERT INTO stores (company_id, name, address, is_active, created_at)
            VALUES (\(bind: companyID), \(bind: name), \(bind: address), TRUE, \(bind: now)) RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)!
        return Store(id: id, companyID: companyID, name: name, address: address, isActive: true, createdAt: Date(unixMilliseconds: now))
    }

    public func store(id: Int64, companyID: Int64, _ db: any SQLDatabase) async throws -> Store? {
        try await db.raw(
            """
            SELECT id, company_id, name, address, is_active, created_at FROM stores
            WHERE id = \(bind: id) AND company_id = \(bind: companyID)
            """
        ).first().map(Store.init(row:))
    }

    func insertUser(_ new: NewUser, _ db: any SQLDatabase) async throws -> User {
        let now = Date.now.unixMilliseconds
        let id = try await db.raw(
            """
            INSERT INTO users (company_id, store_id, username, email, password_hash, role, status, created_at, updated_at)
            VALUES (\(bind: new.companyID), \(bind: new.storeID), \(bind: new.username), \(bind: new.email),
                    \(bind: new.passwordHash), \(bind: new.role.rawValue), \(bind: new.status.rawValue), \(bind: now), \(bind: now))
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)!
        let created = Date(unixMilliseconds: now)
        return User(
            id: id, companyID: new.companyID, storeID: new.storeID, username: new.username, email: new.email,
            passwordHash: new.passwordHash, role: new.role, status: new.status, createdAt: created, updatedAt: created)
    }
}

extension Store {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: Int64.self),
            companyID: try row.decode(column: "company_id", as: Int64.self),
            name: try row.decode(column: "name", as: String.self),
            address: try row.decode(column: "address", as: String?.self),
            isActive: try row.decode(column: "is_active", as: Bool.self),
            createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
    }
}

extension IdentityRepository {
    /// The company's oldest store: where accounts go when no store is named.
    public func firstStore(companyID: Int64, _ db: any SQLDatabase) async throws -> Store? {
        try await db.raw(
            """
            SELECT id, company_id, name, address, is_active, created_at FROM stores
            WHERE company_id = \(bind: companyID) ORDER BY id LIMIT 1
            """
        ).first().map(Store.init(row:))
    }
}

extension IdentityRepository {
    /// 409 when the username or the email already belongs to someone.
    func ensureAvailable(username: String?, email: String?, excluding userID: Int64? = nil, _ db: any SQLDatabase) async throws {
        let rows = try await db.raw(
            """
            SELECT id, LOWER(username) AS username, LOWER(email) AS email FROM users
            WHERE (LOWER(username) = LOWER(\(bind: username ?? "")) OR LOWER(email) = LOWER(\(bind: email ?? "")))
              AND id <> \(bind: userID ?? 0)
            """
        ).all()
        let usernames = try rows.map { try $0.decode(column: "username", as: String.self) }
        let emails = try rows.map { try $0.decode(column: "email", as: String.self) }
        if let username, usernames.contains(username.lowercased()) {
            throw ShopError.conflict("Username '\(username)' is already taken", code: "username_taken")
        }
        if let email, emails.contains(email.lowercased()) {
            throw ShopError.conflict("Email '\(email)' is already registered", code: "email_taken")
        }
    }

    /// Where registrations go: the oldest open store of the oldest company (the one the first start made).
    func defaultRegistrationStore(_ db: any SQLDatabase) async throws -> Store? {
        try await db.raw(
            """
            SELECT id, company_id, name, address, is_active, created_at FROM stores
            WHERE is_active AND company_id = (SELECT MIN(id) FROM companies) ORDER BY id LIMIT 1
            """
        ).first().map(Store.init(row:))
    }
}

extension IdentityRepository {
    /// The caller's company's store `id`: 404 when there is none, 400 (`store_inactive`) when it is deactivated.
    func requireOpenStore(_ id: Int64, companyID: Int64, field: String = "store", _ db: any SQLDatabase) async throws -> Store {
        try Self.open(try await store(id: id, companyID: companyID, db), id: id, field: field)
    }

    /// `store` as `requireOpenStore` answers it, however it was read.
    static func open(_ store: Store?, id: Int64, field: String = "store") throws -> Store {
        guard let store else { throw ShopError.notFound("Store") }
        guard store.isActive else { throw ShopError.badRequest("Store \(id) is deactivated", code: "store_inactive", field: field) }
        return store
    }
}

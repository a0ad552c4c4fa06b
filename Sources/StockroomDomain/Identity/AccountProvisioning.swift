import Foundation
import SQLKit

/// Creates tenants and accounts outside the HTTP API: the first-start bootstrap and the `create-company` and
/// `create-user` commands. Every account it makes is audited.
public struct AccountProvisioning: Sendable {
    let database: any DatabaseClient
    let hasher: PasswordHasher
    let identity = IdentityRepository()
    let audit = AuditRepository()

    public init(database: any DatabaseClient, hasher: PasswordHasher) {
        self.database = database
        self.hasher = hasher
    }

    public struct Owner: Sendable {
        public var username: String
        public var email: String
        /// Nil asks for a generated password.
        public var password: String?

        public init(username: String, email: String, password: String?) {
            self.username = username
            self.email = email
            self.password = password
        }
    }

    public struct CreatedCompany: Sendable {
        public var company: Company
        public var store: Store
        public var owner: User
        /// Set only when the password was generated: show it once, store it nowhere.
        public var generatedPassword: String?
    }

    /// A new company with its first store and its owner, in one transaction.
    public func createCompany(name: String, storeName: String, owner: Owner) async throws -> CreatedCompany {
        let credentials = try await credentials(username: owner.username, email: owner.email, password: owner.password)
        return try await database.withTransaction { transaction in
            try await insertCompany(name: name, storeName: storeName, owner: owner, credentials: credentials, transaction.db)
        }
    }

    /// On first start (no company yet) creates the company, its store and its owner. Runs under the migration
    /// lock so that two nodes starting together create them once. Returns nil when there was nothing to do.
    public func bootstrapIfEmpty(company: String, store: String, owner: Owner) async throws -> CreatedCompany? {
        try await database.withMigrationLock { db in
            guard try await identity.countCompanies(db) == 0 else { return nil }
            let credentials = try await credentials(username: owner.username, email: owner.email, password: owner.password)
            return try await Transaction.run(on: db, engine: database.engine) { transaction in
                // Counted again under the write lock: SQLite's migration lock is only the transaction itself.
                guard try await identity.countCompanies(transaction.db) == 0 else { return nil }
                return try await insertCompany(name: company, storeName: store, owner: owner, credentials: credentials, transaction.db)
            }
        }
    }

    /// A new active account in `companyID`; `storeID` defaults to the company's first store.
    public func createUser(
        companyID: Int64, storeID: Int64?, username: String, email: String, password: String?, role: Role
    ) async throws -> (user: User, generatedPassword: String?) {
        let credentials = try await credentials(username: username, email: email, password: password)
        let user = try await database.withTransaction { transaction in
            let db = transaction.db
            let store =
                if let storeID {
                    try await identity.store(id: storeID, companyID: companyID, db)
                } else {
                    try await identity.firstStore(companyID: companyID, db)
                }
            guard let store else { throw ShopError.notFound("Store") }
            try await identity.ensureAvailable(username: username, email: email, db)
            let user = try await identity.insertUser(
                NewUser(
                    companyID: companyID, storeID: store.id, username: username, email: email,
                    passwordHash: credentials.hash, role: role, status: .active), db)
            try await audit.record(createdEntry(user, by: "cli"), db)
            return user
        }
        return (user, credentials.generated)
    }

    private func insertCompany(
        name: String, storeName: String, owner: Owner, credentials: Credentials, _ db: any SQLDatabase
    ) async throws -> CreatedCompany {
        try await identity.ensureAvailable(username: owner.username, email: owner.email, db)
        let company = try await identity.insertCompany(name: name, db)
        let store = try await identity.insertStore(companyID: company.id, name: storeName, db)
        let user = try await identity.insertUser(
            NewUser(
                companyID: company.id, storeID: store.id, username: owner.username, email: owner.email,
                passwordHash: credentials.hash, role: .owner, status: .active), db)
        try await audit.record(
            AuditEntry(
                companyID: company.id, userID: nil, username: "system", action: "company_created",
                entityType: "company", entityID: String(company.id), newValues: ["name": .string(name)]), db)
        try await audit.record(createdEntry(user, by: "system"), db)
        return CreatedCompany(company: company, store: store, owner: user, generatedPassword: credentials.generated)
    }

    private func createdEntry(_ user: User, by actor: String) -> AuditEntry {
        AuditEntry(
            companyID: user.companyID, userID: nil, username: actor, action: "user_created", entityType: "user",
            entityID: String(user.id),
            newValues: [
                "username": .string(user.username), "email": .string(user.email), "role": .string(user.role.rawValue),
                "store_id": .int(user.storeID),
            ])
    }

    private struct Credentials {
        var hash: String
        var generated: String?
    }

    /// Validates the account fields and hashes the password (generating one when none is given) before any
    /// transaction starts: bcrypt is slow and must not hold the write lock.
    private func credentials(username: String, email: String, password: String?) async throws -> Credentials {
        try AccountFields.validate(username: username, email: email, password: password)
        let generated = password == nil ? Self.generatePassword() : nil
        return Credentials(hash: try await hasher.hash(password ?? generated!), generated: generated)
    }

    /// 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
    static func generatePassword() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }
}

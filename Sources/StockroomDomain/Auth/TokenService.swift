import Foundation

/// Personal API tokens: made by a signed-in person for their own scripts, acting with their permissions.
public struct TokenService: Sendable {
    static let maxTokensPerUser = 20
    let database: any DatabaseClient
    let tokens = APITokenRepository()
    let audit = AuditRepository()

    public init(database: any DatabaseClient) {
        self.database = database
    }

    /// A new token; the secret is returned this once and only its digest is kept.
    public func create(_ caller: Caller, name: String) async throws -> (token: APIToken, secret: String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        try Validation.checkText(name, field: "name", length: 1...100)
        let secret = SecretToken.generate(prefix: "sr_")
        return try await database.withTransaction { transaction in
            let existing = try await tokens.tokens(userID: caller.userID, companyID: caller.companyID, transaction.db)
            guard existing.count < Self.maxTokensPerUser else {
                throw ShopError.unprocessable("You already have \(Self.maxTokensPerUser) tokens; delete one first", code: "too_many_tokens")
            }
            let token = try await tokens.insert(
                companyID: caller.companyID, userID: caller.userID, name: name, digest: SecretToken.digest(secret),
                prefix: String(secret.prefix(8)), transaction.db)
            try await audit.record(
                caller.auditEntry("token_created", entityType: "api_token", entityID: token.id, new: ["name": .string(name)]), transaction.db)
            return (token, secret)
        }
    }

    public func list(_ caller: Caller) async throws -> [APIToken] {
        try await database.read { try await tokens.tokens(userID: caller.userID, companyID: caller.companyID, $0) }
    }

    /// Revokes one of the caller's tokens; 404 for anyone else's.
    public func delete(_ caller: Caller, id: Int64) async throws {
        try await database.withTransaction { transaction in
            guard try await tokens.delete(id: id, userID: caller.userID, transaction.db) else { throw ShopError.notFound("Token") }
            try await audit.record(caller.auditEntry("token_deleted", entityType: "api_token", entityID: id), transaction.db)
        }
    }
}

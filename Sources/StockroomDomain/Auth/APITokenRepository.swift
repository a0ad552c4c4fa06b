import Foundation
import SQLKit

/// A personal API token as listed: never the token itself, which is shown once when it is made.
public struct APIToken: Sendable, Equatable {
    public var id: Int64
    public var name: String
    /// The first characters of the token, so its owner can tell tokens apart.
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?

}

/// SQL for API tokens, always scoped to the account that owns them.
struct APITokenRepository: Sendable {
    public init() {}

    public func insert(
        companyID: Int64, userID: Int64, name: String, digest: String, prefix: String, _ db: any SQLDatabase
    ) async throws -> APIToken {
        let now = Date.now.unixMilliseconds
        let id = try await db.raw(
            """
            INSERT INTO api_tokens (company_id, user_id, name, token_digest, prefix, created_at)
            VALUES (\(bind: companyID), \(bind: userID), \(bind: name), \(bind: digest), \(bind: prefix), \(bind: now))
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)!
        return APIToken(id: id, name: name, prefix: prefix, createdAt: Date(unixMilliseconds: now))
    }

    public func tokens(userID: Int64, companyID: Int64, _ db: any SQLDatabase) async throws -> [APIToken] {
        try await db.raw(
            """
            SELECT id, name, prefix, created_at, last_used_at FROM api_tokens
            WHERE user_id = \(bind: userID) AND company_id = \(bind: companyID) ORDER BY id
            """
        ).all().map { row in
            APIToken(
                id: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                prefix: try row.decode(column: "prefix", as: String.self),
                createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                lastUsedAt: try row.decode(column: "last_used_at", as: Int64?.self).map(Date.init(unixMilliseconds:)))
        }
    }

    /// Deletes one of the account's tokens; false when it has no such token.
    public func delete(id: Int64, userID: Int64, _ db: any SQLDatabase) async throws -> Bool {
        Transaction.current?.forgetCredentials()
        let deleted = try await db.raw(
            """
            DELETE FROM api_tokens WHERE id = \(bind: id) AND user_id = \(bind: userID) RETURNING id
            """
        ).all()
        return !deleted.isEmpty
    }

    /// The token with `digest` and its account, when the account is active.
    func authenticate(digest: String, _ db: any SQLDatabase) async throws -> (user: User, tokenID: Int64, lastUsedAt: Date?)? {
        guard
            let row = try await db.raw(
                """
                SELECT u.id, u.company_id, u.store_id, u.username, u.email, u.password_hash, u.role, u.status,
                       u.created_at, u.updated_at, u.last_login_at, u.language, t.id AS token_id, t.last_used_at AS token_last_used_at
                FROM api_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.token_digest = \(bind: digest) AND u.status = 'active'
                """
            ).first()
        else { return nil }
        return (
            try User(row: row), try row.decode(column: "token_id", as: Int64.self),
            try row.decode(column: "token_last_used_at", as: Int64?.self).map(Date.init(unixMilliseconds:))
        )
    }

    /// Revokes every token of the account for good; how many there were.
    @discardableResult
    func deleteAll(userID: Int64, _ db: any SQLDatabase) async throws -> Int {
        Transaction.current?.forgetCredentials()
        return try await db.raw("DELETE FROM api_tokens WHERE user_id = \(bind: userID) RETURNING id").all().count
    }

    public func touch(id: Int64, now: Date, _ db: any SQLDatabase) async throws {
        try await db.raw("UPDATE api_tokens SET last_used_at = \(bind: now.unixMilliseconds) WHERE id = \(bind: id)").run()
    }
}

import Foundation
import SQLKit

/// A signed-in browser session as stored: keyed by the digest of the cookie value.
struct SessionRecord: Sendable {
    public var digest: String
    public var userID: Int64
    public var csrfToken: String
    var lastSeenAt: Date
    var expiresAt: Date
}

/// SQL for sessions. A session only authenticates while it is unexpired and its account is active, so
/// deactivating an account ends its sessions at once even before their rows are deleted.
struct SessionRepository: Sendable {
    public init() {}

    public func insert(_ session: SessionRecord, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, expires_at)
            VALUES (\(bind: session.digest), \(bind: session.userID), \(bind: session.csrfToken),
                    \(bind: session.lastSeenAt.unixMilliseconds), \(bind: session.lastSeenAt.unixMilliseconds),
                    \(bind: session.expiresAt.unixMilliseconds))
            """
        ).run()
    }

    /// The live session with `digest` and its active account.
    func authenticate(digest: String, now: Date, _ db: any SQLDatabase) async throws -> (User, SessionRecord)? {
        guard
            let row = try await db.raw(
                """
                SELECT u.id, u.company_id, u.store_id, u.username, u.email, u.password_hash, u.role, u.status,
                       u.created_at, u.updated_at, u.last_login_at, u.language,
                       s.csrf_token, s.last_seen_at, s.expires_at
                FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.id = \(bind: digest) AND s.expires_at > \(bind: now.unixMilliseconds) AND u.status = 'active'
                """
            ).first()
        else { return nil }
        let user = try User(row: row)
        let session = SessionRecord(
            digest: digest, userID: user.id, csrfToken: try row.decode(column: "csrf_token", as: String.self),
            lastSeenAt: Date(unixMilliseconds: try row.decode(column: "last_seen_at", as: Int64.self)),
            expiresAt: Date(unixMilliseconds: try row.decode(column: "expires_at", as: Int64.self)))
        return (user, session)
    }

    /// Slides the session's expiry forward.
    public func touch(digest: String, now: Date, expiresAt: Date, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE sessions SET last_seen_at = \(bind: now.unixMilliseconds), expires_at = \(bind: expiresAt.unixMilliseconds)
            WHERE id = \(bind: digest)
            """
        ).run()
    }

    public func delete(digest: String, _ db: any SQLDatabase) async throws {
        Transaction.current?.forgetCredentials()
        try await db.raw("DELETE FROM sessions WHERE id = \(bind: digest)").run()
    }

    /// Ends every session of an account, except `keeping` (the one changing its own password stays signed in).
    func deleteAll(userID: Int64, keeping digest: String? = nil, _ db: any SQLDatabase) async throws {
        Transaction.current?.forgetCredentials()
        try await db.raw(
            """
            DELETE FROM sessions WHERE user_id = \(bind: userID) AND id <> \(bind: digest ?? "")
            """
        ).run()
    }

    /// Drops sessions that expired, so the table does not grow forever.
    func deleteExpired(now: Date, _ db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM sessions WHERE expires_at <= \(bind: now.unixMilliseconds)").run()
    }
}

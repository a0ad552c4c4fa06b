import Foundation

/// Turns session secrets and API tokens into a `Caller`, and starts sessions. What carries a secret to a browser
/// (the cookie) is the edge's: `SessionCookies`.
public struct Authenticator: Sendable {
    /// A session's expiry slides forward at most this often, so browsing costs a write a minute, not one a request.
    static let touchInterval: TimeInterval = 60

    let database: any DatabaseClient
    let sessionLifetime: TimeInterval
    let sessions = SessionRepository()
    let tokens = APITokenRepository()

    public init(database: any DatabaseClient, sessionLifetime: TimeInterval) {
        self.database = database
        self.sessionLifetime = sessionLifetime
    }

    /// A new session for `user` and its secret, for the caller to hand over (pages read its CSRF token from
    /// `GET /api/me`). Runs inside the caller's transaction so the sign-in and its audit record commit together.
    func startSession(for user: User, _ transaction: Transaction) async throws -> String {
        let secret = SecretToken.generate()
        let now = Date.now
        let record = SessionRecord(
            digest: SecretToken.digest(secret), userID: user.id, csrfToken: SecretToken.generate(),
            lastSeenAt: now, expiresAt: now + sessionLifetime)
        try await sessions.insert(record, transaction.db)
        try await sessions.deleteExpired(now: now, transaction.db)
        return secret
    }

    /// The caller for a session secret, sliding its expiry when due (`refreshed`: the secret's holder should be told
    /// the new expiry).
    /// A session looked up in the last minute comes from `database.credentials`, without a database read.
    public func caller(sessionSecret: String, address: String) async throws -> (Caller, refreshed: Bool)? {
        let digest = SecretToken.digest(sessionSecret)
        let now = Date.now
        let cache = database.credentials
        let generation = cache.generation
        var found: CredentialCache.Session
        if let cached = cache.session(digest, now: now), cached.record.expiresAt > now {
            found = cached
        } else {
            guard let (user, session) = try await database.read({ try await sessions.authenticate(digest: digest, now: now, $0) }) else {
                return nil
            }
            found = CredentialCache.Session(user: user, record: session, readAt: now)
            cache.remember(found, digest: digest, readAt: generation)
        }
        var refreshed = false
        if now.timeIntervalSince(found.record.lastSeenAt) >= Self.touchInterval {
            try await database.withTransaction { try await sessions.touch(digest: digest, now: now, expiresAt: now + sessionLifetime, $0.db) }
            refreshed = true
            found.record.lastSeenAt = now
            found.record.expiresAt = now + sessionLifetime
            cache.remember(found, digest: digest, readAt: generation)
        }
        let caller = Caller(found.user, credential: .session(digest: digest, csrfToken: found.record.csrfToken), address: address)
        return (caller, refreshed)
    }

    /// The caller for a bearer token; one looked up in the last minute comes from `database.credentials`.
    public func caller(bearerToken: String, address: String) async throws -> Caller? {
        let digest = SecretToken.digest(bearerToken)
        let now = Date.now
        let cache = database.credentials
        let generation = cache.generation
        var found: CredentialCache.Token
        if let cached = cache.token(digest, now: now) {
            found = cached
        } else {
            guard let read = try await database.read({ try await tokens.authenticate(digest: digest, $0) }) else { return nil }
            found = CredentialCache.Token(user: read.user, tokenID: read.tokenID, lastUsedAt: read.lastUsedAt, readAt: now)
            cache.remember(found, digest: digest, readAt: generation)
        }
        if found.lastUsedAt.map({ now.timeIntervalSince($0) >= Self.touchInterval }) ?? true {
            try await database.withTransaction { try await tokens.touch(id: found.tokenID, now: now, $0.db) }
            found.lastUsedAt = now
            cache.remember(found, digest: digest, readAt: generation)
        }
        return Caller(found.user, credential: .token(id: found.tokenID), address: address)
    }
}

extension Caller {
    init(_ user: User, credential: Credential, address: String) {
        self.init(
            userID: user.id, companyID: user.companyID, storeID: user.storeID, role: user.role, username: user.username,
            email: user.email, credential: credential, ipAddress: address)
        language = user.language
    }
}

import Foundation

/// Signing in and out, and registering for an account.
public struct SessionService: Sendable {
    let database: any DatabaseClient
    let hasher: PasswordHasher
    let authenticator: Authenticator
    let throttle: LoginThrottle
    /// Verified when the login names nobody, so an unknown username takes as long as a wrong password.
    let decoyHash: String
    let identity = IdentityRepository()
    let audit = AuditRepository()

    public init(database: any DatabaseClient, hasher: PasswordHasher, authenticator: Authenticator, throttle: LoginThrottle, decoyHash: String) {
        self.database = database
        self.hasher = hasher
        self.authenticator = authenticator
        self.throttle = throttle
        self.decoyHash = decoyHash
    }

    public struct SignedIn: Sendable {
        public var user: User
        /// The new session's secret, for the edge to hand to the browser.
        public var secret: String
    }

    /// Checks the credentials and starts a session (ending the one `replacing` names, if any). One message for an
    /// unknown login and a wrong password; 403 for accounts that may not sign in (told only to someone who knows
    /// the password); 429 when throttled.
    public func login(_ login: String, password: String, address: String, replacing oldSecret: String? = nil) async throws -> SignedIn {
        let user = try await database.read { try await identity.user(login: login, $0) }
        let subject = LoginThrottle.Subject.signIn(accountID: user?.id, login: login, address: address, maxFailures: throttle.maxFailures)
        let attempt = try await database.withTransaction { try await throttle.reserve(subject, $0) }
        let matches = try await hasher.verify(password, hash: user?.passwordHash ?? decoyHash)
        guard let user, matches else {
            try await database.withTransaction { transaction in
                try await audit.record(
                    AuditEntry(
                        companyID: user?.companyID, userID: user?.id, username: login, action: "login_failed",
                        entityType: "user", entityID: user.map { String($0.id) }, ipAddress: address), transaction.db)
            }
            throw ShopError(.unauthenticated, code: "invalid_credentials", "Invalid username or password")
        }
        guard user.status == .active else {
            try await database.withTransaction { transaction in
                // The password was right: this was no guess.
                try await throttle.release(attempt, transaction.db)
                try await audit.record(
                    AuditEntry(
                        companyID: user.companyID, userID: user.id, username: user.username, action: "login_refused",
                        entityType: "user", entityID: String(user.id), newValues: ["status": .string(user.status.rawValue)],
                        ipAddress: address), transaction.db)
            }
            throw user.status == .pending
                ? ShopError(.forbidden, code: "account_pending", "This account is waiting for approval")
                : ShopError(.forbidden, code: "account_disabled", "This account is disabled")
        }
        return try await database.withTransaction { transaction in
            try await throttle.release(attempt, clearing: user.id, transaction.db)
            try await identity.recordLogin(userID: user.id, transaction.db)
            if let oldSecret { try await SessionRepository().delete(digest: SecretToken.digest(oldSecret), transaction.db) }
            let secret = try await authenticator.startSession(for: user, transaction)
            try await audit.record(
                AuditEntry(
                    companyID: user.companyID, userID: user.id, username: user.username, action: "login",
                    entityType: "user", entityID: String(user.id), ipAddress: address), transaction.db)
            return SignedIn(user: user, secret: secret)
        }
    }

    /// Ends the caller's session (a token-authenticated caller has none; tokens are revoked by deleting them).
    public func logout(_ caller: Caller?) async throws {
        guard let caller, case .session(let digest, _) = caller.credential else { return }
        try await database.withTransaction { transaction in
            try await SessionRepository().delete(digest: digest, transaction.db)
            try await audit.record(caller.auditEntry("logout", entityType: "user", entityID: caller.userID), transaction.db)
        }
    }

    /// A self-registration: a pending vendor account in the first company's first open store, which an owner or
    /// that store's admin approves. Registering never grants a higher role. Each address may register a few
    /// times per throttle window (each one costs a bcrypt hash).
    public func register(username: String, email: String, password: String, address: String) async throws -> User {
        try AccountFields.validate(username: username, email: email, password: password)
        try await database.withTransaction {
            _ = try await throttle.reserve(.registration(address: address, maxFailures: throttle.maxFailures), $0)
        }
        let hash = try await hasher.hash(password)
        return try await database.withTransaction { transaction in
            let db = transaction.db
            guard let store = try await identity.defaultRegistrationStore(db) else {
                throw ShopError.unprocessable("No store is open for registrations", code: "registration_closed")
            }
            try await identity.ensureAvailable(username: username, email: email, db)
            let user = try await identity.insertUser(
                NewUser(
                    companyID: store.companyID, storeID: store.id, username: username, email: email, passwordHash: hash,
                    role: .vendor, status: .pending), db)
            try await audit.record(
                AuditEntry(
                    companyID: user.companyID, userID: user.id, username: user.username, action: "register",
                    entityType: "user", entityID: String(user.id), newValues: user.auditValues, ipAddress: address), db)
            return user
        }
    }
}

import Foundation

/// What every signed-in person changes about their own account.
extension UserService {
    public func changeOwnEmail(_ caller: Caller, to email: String) async throws -> User {
        try AccountFields.validate(email: email)
        return try await countingTakenNames(caller) {
            try await database.withTransaction { transaction in
                let db = transaction.db
                guard let before = try await identity.user(id: caller.userID, companyID: caller.companyID, db) else {
                    throw ShopError.notFound("User")
                }
                try await identity.ensureAvailable(username: nil, email: email, excluding: caller.userID, db)
                try await identity.updateUser(id: caller.userID, companyID: caller.companyID, UserChanges(email: email), db)
                try await audit.record(
                    caller.auditEntry(
                        "profile_updated", entityType: "user", entityID: caller.userID,
                        old: ["email": .string(before.email)], new: ["email": .string(email)]), db)
                var after = before
                after.email = email
                return after
            }
        }
    }

    /// The staff pages' language for this person; nil follows their browser.
    public func setOwnLanguage(_ caller: Caller, to language: Language?) async throws {
        try await database.withTransaction { transaction in
            try await identity.setLanguage(userID: caller.userID, companyID: caller.companyID, language?.rawValue, transaction.db)
        }
    }

    /// Needs the current password; signs the account out everywhere else and revokes its API tokens for good
    /// (whoever held a session or a token may have learnt the old password). Returns how many tokens it revoked.
    @discardableResult
    public func changeOwnPassword(_ caller: Caller, current: String, new: String, confirmation: String) async throws -> Int {
        guard new == confirmation else {
            throw ShopError.invalidField("confirmPassword", "The new password and its confirmation differ")
        }
        try AccountFields.validatePassword(new, field: "newPassword")
        // A stolen session must not become a way to guess the password past the sign-in throttle.
        let subject = LoginThrottle.Subject.signIn(
            accountID: caller.userID, login: caller.username, address: caller.ipAddress ?? "unknown", maxFailures: throttle.maxFailures)
        let attempt = try await database.withTransaction { try await throttle.reserve(subject, $0) }
        guard let user = try await database.read({ try await identity.user(id: caller.userID, companyID: caller.companyID, $0) }),
            try await hasher.verify(current, hash: user.passwordHash)
        else {
            // 401, as StockManager answers it; the session stays (it is not the session that is wrong).
            throw ShopError(.unauthenticated, code: "wrong_password", "The current password is wrong", facts: ["field": .string("currentPassword")])
        }
        let hash = try await hasher.hash(new)
        let keep: String? = if case .session(let digest, _) = caller.credential { digest } else { nil }
        return try await database.withTransaction { transaction in
            try await throttle.release(attempt, transaction.db)
            try await identity.updateUser(id: caller.userID, companyID: caller.companyID, UserChanges(passwordHash: hash), transaction.db)
            try await sessions.deleteAll(userID: caller.userID, keeping: keep, transaction.db)
            let revoked = try await APITokenRepository().deleteAll(userID: caller.userID, transaction.db)
            try await audit.record(
                caller.auditEntry(
                    "password_changed", entityType: "user", entityID: caller.userID, new: ["api_tokens_revoked": .int(Int64(revoked))]),
                transaction.db)
            return revoked
        }
    }
}

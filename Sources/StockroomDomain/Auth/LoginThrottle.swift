import Foundation
import SQLKit

/// Slows down password guessing: after `maxFailures` failed attempts for one account (or four times as many from
/// one address) within `window`, further attempts answer 429 until the oldest failure leaves the window.
///
/// An attempt is counted *before* its password is checked, inside a write transaction that first checks the
/// count, so a burst of parallel guesses cannot all slip past the check; a successful attempt then takes its own
/// rows back. Attempts live in the database, so every node counts the same ones.
public struct LoginThrottle: Sendable {
    public var maxFailures: Int
    public var window: TimeInterval
    let failures = LoginFailureRepository()

    public init(maxFailures: Int, window: TimeInterval) {
        self.maxFailures = maxFailures
        self.window = window
    }

    /// What one attempt counts against, with the limit of each.
    public struct Subject: Sendable {
        var keys: [(key: String, limit: Int)]

        /// A sign-in: the account (by id when it exists, so its username and email share one count) and the address.
        static func signIn(accountID: Int64?, login: String, address: String, maxFailures: Int) -> Subject {
            let account = accountID.map { "account:\($0)" } ?? "login:" + login.lowercased()
            return Subject(keys: [(account, maxFailures), ("address:" + address, maxFailures * 4)])
        }

        /// A registration from an address.
        static func registration(address: String, maxFailures: Int) -> Subject {
            Subject(keys: [("register:" + address, maxFailures * 2)])
        }

        /// A signed-in caller told that a username or email is taken (creating or editing an account, changing
        /// their email): each answer counts like a failed sign-in, so the names of other companies' accounts cannot
        /// be listed by trying them.
        /// Counted per account and per company (an attacker's company may have many accounts), not per address:
        /// colleagues of other companies behind one office address must not be locked out by someone else's probing.
        static func takenName(accountID: Int64, companyID: Int64, maxFailures: Int) -> Subject {
            Subject(keys: [("taken:account:\(accountID)", maxFailures * 2), ("taken:company:\(companyID)", maxFailures * 4)])
        }
    }

    /// Throws 429 with `Retry-After` when any key of `subject` is at its limit, counting nothing.
    public func check(_ subject: Subject, now: Date = .now, _ db: any SQLDatabase) async throws {
        for (key, limit) in subject.keys {
            try await refuseWhenFull(key: key, limit: limit, now: now, db)
        }
    }

    private func refuseWhenFull(key: String, limit: Int, now: Date, _ db: any SQLDatabase) async throws {
        let recent = try await failures.recent(key: key, since: now - window, limit: limit, db)
        if recent.count >= limit, let oldestCounted = recent.last {
            let unlocksAt = Date(unixMilliseconds: oldestCounted) + window
            throw ShopError.tooManyRequests(
                "Too many failed attempts; try again later", retryAfterSeconds: max(1, Int(unlocksAt.timeIntervalSince(now).rounded(.up))))
        }
    }

    /// Counts one attempt, or throws 429 with `Retry-After` when any key is over its limit.
    /// Returns the ids of the rows written, for `release` when the attempt succeeds.
    func reserve(_ subject: Subject, now: Date = .now, _ transaction: Transaction) async throws -> [Int64] {
        let db = transaction.db
        // Forget old attempts of every key, so the table cannot grow without bound.
        try await failures.forget(before: now - window, db)
        var ids: [Int64] = []
        for (key, limit) in subject.keys {
            if transaction.engine == .postgres {
                // Two PostgreSQL transactions would not see each other's uncommitted attempts: serialise per key.
                try await failures.lock(key: key, db)
            }
            try await refuseWhenFull(key: key, limit: limit, now: now, db)
            ids.append(try await failures.insert(key: key, at: now, db))
        }
        return ids
    }

    /// Takes back a successful attempt's rows; with `clearing`, also the account's earlier failures.
    public func release(_ ids: [Int64], clearing accountID: Int64? = nil, _ db: any SQLDatabase) async throws {
        try await failures.delete(ids, db)
        if let accountID { try await failures.delete(key: "account:\(accountID)", db) }
    }
}

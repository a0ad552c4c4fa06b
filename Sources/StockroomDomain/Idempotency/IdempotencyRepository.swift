import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// An idempotent request's key: who sent it, the key, and the digest of the request it was first sent with.
public struct IdempotencyClaim: Sendable {
    public let userID: Int64
    public let key: String
    public let digest: String

    public init(userID: Int64, key: String, digest: String) {
        self.userID = userID
        self.key = key
        self.digest = digest
    }

    /// PostgreSQL: the advisory lock a node holds while it runs the key, so another node answers 409 rather than
    /// wait (the same number on every node and version).
    var lockID: Int64 { Int64(SecretToken.digest("\(userID) \(key)").prefix(15), radix: 16) ?? 0 }
}

/// An answer kept with its key for a day and given again to every retry.
public struct StoredAnswer: Sendable {
    public let status: Int
    public let body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

/// The keys of idempotent requests and their answers, written by the transaction that does the request's work:
/// `Idempotency` for most writes, a sale's batch (`SaleBatches`) for new sales.
public struct IdempotencyRepository: Sendable {
    public init() {}

    static let lifetime: TimeInterval = 24 * 3600
    public static let stillRunning = ShopError.conflict(
        "A request with this Idempotency-Key is still being processed", code: "idempotency_in_progress")
    public static let reused = ShopError.unprocessable("This Idempotency-Key was used for a different request", code: "idempotency_key_reused")

    /// What an earlier request with the key left.
    public enum Found: Sendable {
        case answer(StoredAnswer)
        /// The key came with another request body.
        case otherRequest
        /// Claimed by an earlier version of Stockroom, which stored the answer in a separate transaction.
        case unanswered
    }

    /// What is kept for each claim (nil: nothing). PostgreSQL: one statement for all of them.
    public func stored(_ claims: [IdempotencyClaim], _ db: any SQLDatabase) async throws -> [Found?] {
        guard !claims.isEmpty else { return [] }
        guard db.dialect.name != "sqlite" else {
            // (the writer's own thread: a kept statement per claim costs microseconds)
            var found: [Found?] = []
            for claim in claims {
                let row = try await db.raw(
                    """
                    SELECT 0 AS asked, request_hash, status_code, response_body FROM idempotency_keys
                    WHERE user_id = \(bind: claim.userID) AND key = \(bind: claim.key)
                    """
                ).first()
                found.append(try row.map { try Self.found($0, claim) })
            }
            return found
        }
        let rows = try await db.raw(
            """
            SELECT asked.i AS asked, k.request_hash, k.status_code, k.response_body
            FROM unnest(\(bind: claims.map(\.userID)), \(bind: claims.map(\.key))) WITH ORDINALITY AS asked(user_id, key, i)
            JOIN idempotency_keys k ON k.user_id = asked.user_id AND k.key = asked.key
            """
        ).all()
        var found = [Found?](repeating: nil, count: claims.count)
        for row in rows {
            let index = Int(try row.decode(column: "asked", as: Int64.self)) - 1
            guard found.indices.contains(index) else { continue }
            found[index] = try Self.found(row, claims[index])
        }
        return found
    }

    private static func found(_ row: any SQLRow, _ claim: IdempotencyClaim) throws -> Found {
        guard try row.decode(column: "request_hash", as: String.self) == claim.digest else { return .otherRequest }
        let status = try row.decode(column: "status_code", as: Int.self)
        guard status > 0 else { return .unanswered }
        return .answer(StoredAnswer(status: status, body: Data(try row.decode(column: "response_body", as: String.self).utf8)))
    }

    /// Keeps each claim's answer (one statement on PostgreSQL, a few on SQLite).
    public func store(_ answers: [(IdempotencyClaim, StoredAnswer)], _ db: any SQLDatabase) async throws {
        let now = Date.now.unixMilliseconds
        try await db.insertRows(
            "INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response_body, created_at)",
            answers.map { claim, answer in
                "(\(bind: claim.userID), \(bind: claim.key), \(bind: claim.digest), \(bind: answer.status), \(bind: String(decoding: answer.body, as: UTF8.self)), \(bind: now))"
            })
    }

    /// PostgreSQL: takes each claim's advisory lock until the transaction ends, unless another transaction holds it
    /// (false: that key is being run on another connection now). One statement for all of them.
    public func tryLock(_ claims: [IdempotencyClaim], _ db: any SQLDatabase) async throws -> [Bool] {
        guard !claims.isEmpty else { return [] }
        let rows = try await db.raw(
            """
            SELECT pg_try_advisory_xact_lock(lock) AS locked FROM unnest(\(bind: claims.map(\.lockID))) WITH ORDINALITY AS asked(lock, i) ORDER BY i
            """
        ).all(decodingColumn: "locked", as: Bool.self)
        return rows
    }

    /// Drops the keys past their day.
    public func dropExpired(_ db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM idempotency_keys WHERE created_at < \(bind: Date.now.unixMilliseconds - Int64(Self.lifetime * 1000))").run()
    }
}

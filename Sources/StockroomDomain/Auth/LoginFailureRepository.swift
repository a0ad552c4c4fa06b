import Foundation
import SQLKit

/// SQL for the attempts `LoginThrottle` counts, each under its throttle key (`account:12`, `address:…`).
struct LoginFailureRepository: Sendable {
    /// When the key's attempts since `since` were made, newest first, at most `limit` of them.
    func recent(key: String, since: Date, limit: Int, _ db: any SQLDatabase) async throws -> [Int64] {
        try await db.raw(
            """
            SELECT created_at FROM login_failures WHERE throttle_key = \(bind: key) AND created_at > \(bind: since.unixMilliseconds)
            ORDER BY created_at DESC LIMIT \(bind: limit)
            """
        ).all(decodingColumn: "created_at", as: Int64.self)
    }

    /// Forgets every key's attempts made up to `cutoff`, so the table cannot grow without bound.
    func forget(before cutoff: Date, _ db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM login_failures WHERE created_at <= \(bind: cutoff.unixMilliseconds)").run()
    }

    /// PostgreSQL: serialises the key's attempts until the transaction ends (two transactions would not see each
    /// other's uncommitted attempts).
    func lock(key: String, _ db: any SQLDatabase) async throws {
        try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: key)))").run()
    }

    /// Counts an attempt; its row's id.
    func insert(key: String, at time: Date, _ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw(
            """
            INSERT INTO login_failures (throttle_key, created_at) VALUES (\(bind: key), \(bind: time.unixMilliseconds)) RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)!
    }

    func delete(_ ids: [Int64], _ db: any SQLDatabase) async throws {
        if !ids.isEmpty { try await db.raw("DELETE FROM login_failures WHERE id IN (\(binds: ids))").run() }
    }

    func delete(key: String, _ db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM login_failures WHERE throttle_key = \(bind: key)").run()
    }
}

import Synchronization

/// Answers worked out from the database, kept until it may have changed (`DatabaseClient.changeMark`): a
/// dashboard that the owner's phone, the back office and the till refresh all day costs one computation per
/// change, not one per request — and is never older than the last commit. Where the client cannot tell
/// (PostgreSQL), every request works its answer out.
final class KeptAnswers<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Kept {
        var mark: UInt64
        var value: Value
    }

    private let kept = Mutex<[Key: Kept]>([:])
    /// Answers kept at most; past it, the cache starts over (a company asks for a handful of scopes and periods).
    private let limit: Int

    init(limit: Int = 512) {
        self.limit = limit
    }

    /// The answer kept for `key` if nothing was committed since it was worked out; else `compute`'s, kept under
    /// the mark taken before it began (a commit during `compute` moves the mark, so its answer is not served again).
    func answer(_ key: Key, from database: any DatabaseClient, _ compute: () async throws -> Value) async throws -> Value {
        guard let mark = try await database.changeMark() else { return try await compute() }
        if let hit = kept.withLock({ $0[key] }), hit.mark == mark {
            database.usage.recordKeptAnswer(hit: true)
            return hit.value
        }
        database.usage.recordKeptAnswer(hit: false)
        let value = try await compute()
        kept.withLock { entries in
            if entries.count >= limit, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = Kept(mark: mark, value: value)
        }
        return value
    }
}

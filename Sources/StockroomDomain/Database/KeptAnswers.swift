import Synchronization

/// Answers worked out from the database, kept until it may have changed (`DatabaseClient.changeMark`): a
/// dashboard that the owner's phone, the back office and the till refresh all day costs one computation per
/// change, not one per request — and is never older than the last commit. Where the client cannot tell
/// (PostgreSQL), every request works its answer out.
final class KeptAnswers<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Kept {
        var mark: UInt64
        var answer: KeptAnswer<Value>
    }

    private let kept = Mutex<[Key: Kept]>([:])
    /// Answers kept at most; past it, the cache starts over (a company asks for a handful of scopes and periods).
    private let limit: Int

    init(limit: Int = 512) {
        self.limit = limit
    }

    /// The answer kept for `key` if nothing was committed since it was worked out; else `compute`'s, kept under
    /// the mark taken before it began (a commit during `compute` moves the mark, so its answer is not served again).
    func answer(_ key: Key, from database: any DatabaseClient, _ compute: () async throws -> Value) async throws -> KeptAnswer<Value> {
        guard let mark = try await database.changeMark() else { return KeptAnswer(value: try await compute(), edition: nil) }
        if let hit = kept.withLock({ $0[key] }), hit.mark == mark {
            database.usage.recordKeptAnswer(hit: true)
            return hit.answer
        }
        database.usage.recordKeptAnswer(hit: false)
        let answer = KeptAnswer(value: try await compute(), edition: editions.add(1, ordering: .relaxed).newValue)
        kept.withLock { entries in
            if entries.count >= limit, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = Kept(mark: mark, answer: answer)
        }
        return answer
    }
}

/// An answer and, when it is kept, its edition: a number no other answer worked out by this process carries, so
/// whatever is made from the value alone (the JSON an API answers) can be kept under it too (`KeptBodies`).
public struct KeptAnswer<Value: Sendable>: Sendable {
    public let value: Value
    /// Nil when the answer was not kept (PostgreSQL; nothing can tell when it changes).
    public let edition: UInt64?
}

/// Editions are counted across every `KeptAnswers`, so two caches never hand out the same one.
private let editions = Atomic<UInt64>(0)

import NIOConcurrencyHelpers

/// What a database client is doing, for `/metrics`: work waiting for a connection, work holding one, and how
/// much finished (and failed) with its total time. A pool that stays saturated shows up here first.
public final class DatabaseUsage: Sendable {
    public enum Work: String, CaseIterable, Sendable {
        case read, transaction
    }

    public struct Counts: Sendable, Equatable {
        public var waiting = 0
        public var inUse = 0
        public var completed = 0
        public var failed = 0
        public var seconds = 0.0

        public init(waiting: Int = 0, inUse: Int = 0, completed: Int = 0, failed: Int = 0, seconds: Double = 0) {
            self.waiting = waiting
            self.inUse = inUse
            self.completed = completed
            self.failed = failed
            self.seconds = seconds
        }
    }

    /// Connections each kind of work can hold at once.
    public let poolSize: [Work: Int]
    private let counts = NIOLockedValueBox([Work: Counts]())

    public init(poolSize: [Work: Int]) {
        self.poolSize = poolSize
    }

    public func snapshot() -> [Work: Counts] {
        counts.withLockedValue { $0 }
    }

    /// Report answers served as kept (`KeptAnswers`) and worked out again, since the start.
    public var keptAnswers: (hits: Int, misses: Int) { kept.withLockedValue { $0 } }
    private let kept = NIOLockedValueBox((hits: 0, misses: 0))

    func recordKeptAnswer(hit: Bool) {
        kept.withLockedValue { if hit { $0.hits += 1 } else { $0.misses += 1 } }
    }

    /// Runs `body`, which calls `acquired` once it holds a connection.
    nonisolated(nonsending) func track<T>(_ work: Work, _ body: (_ acquired: @Sendable @escaping () -> Void) async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        let holding = NIOLockedValueBox(false)
        counts.withLockedValue { $0[work, default: Counts()].waiting += 1 }
        let acquired: @Sendable () -> Void = { [counts] in
            holding.withLockedValue { $0 = true }
            counts.withLockedValue {
                $0[work, default: Counts()].waiting -= 1
                $0[work, default: Counts()].inUse += 1
            }
        }
        func finish(failed: Bool) {
            let elapsed = ContinuousClock.now - start
            let held = holding.withLockedValue { $0 }
            counts.withLockedValue {
                if held { $0[work, default: Counts()].inUse -= 1 } else { $0[work, default: Counts()].waiting -= 1 }
                if failed { $0[work, default: Counts()].failed += 1 } else { $0[work, default: Counts()].completed += 1 }
                $0[work, default: Counts()].seconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            }
        }
        do {
            let value = try await body(acquired)
            finish(failed: false)
            return value
        } catch {
            finish(failed: true)
            throw error
        }
    }
}

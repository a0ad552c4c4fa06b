import NIOConcurrencyHelpers
import SQLKit

/// One open database transaction: the connection to run statements on, and the work to do once it has committed
/// (publishing events must never announce a change that was rolled back).
public final class Transaction: Sendable {
    public let db: any SQLDatabase
    public let engine: DatabaseEngine
    private let hooks = NIOLockedValueBox<[@Sendable () async -> Void]>([])

    init(db: any SQLDatabase, engine: DatabaseEngine) {
        self.db = db
        self.engine = engine
    }

    /// Queues `hook` to run after a successful commit; it is dropped if the transaction rolls back.
    public func afterCommit(_ hook: @escaping @Sendable () async -> Void) {
        hooks.withLockedValue { $0.append(hook) }
    }

    /// Runs `body` inside BEGIN…COMMIT on `db`, rolling back on any error, then the after-commit hooks.
    /// Both engines share this so their transaction semantics cannot drift apart.
    nonisolated(nonsending) static func run<T>(on db: any SQLDatabase, engine: DatabaseEngine, _ body: (Transaction) async throws -> T) async throws -> T {
        let transaction = Transaction(db: db, engine: engine)
        try await db.raw("\(unsafeRaw: engine.beginStatement)").run()
        let result: T
        do {
            result = try await body(transaction)
            try await db.raw("COMMIT").run()
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
        for hook in transaction.hooks.withLockedValue({ $0 }) {
            await hook()
        }
        return result
    }
}

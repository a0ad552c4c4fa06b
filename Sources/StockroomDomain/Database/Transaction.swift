import NIOConcurrencyHelpers
import SQLKit

/// One open database transaction: the connection to run statements on, and the work to do once it has committed
/// (publishing events must never announce a change that was rolled back).
public final class Transaction: Sendable {
    public let db: any SQLDatabase
    public let engine: DatabaseEngine
    /// The database client the transaction belongs to (nil for a migration's own transaction).
    private let owner: ObjectIdentifier?
    private let hooks = NIOLockedValueBox<[@Sendable () async -> Void]>([])
    /// False once the body that owns the transaction has returned: a task that inherited `current` (a child task
    /// that outlived it) must not join a transaction that is over.
    private let open = NIOLockedValueBox(true)
    /// The client's looked-up sessions and tokens, which a change to a credential must forget.
    private let credentials: CredentialCache?

    /// The transaction the current task is running in. A `withTransaction` inside it, on the same database, joins
    /// it in a savepoint of its own (`nested`): an idempotent write keeps its key and its work in one commit, and a
    /// task never waits for the writer it already holds.
    @TaskLocal static var current: Transaction?

    init(db: any SQLDatabase, engine: DatabaseEngine, owner: AnyObject? = nil) {
        self.db = db
        self.engine = engine
        self.owner = owner.map(ObjectIdentifier.init)
        self.credentials = (owner as? any DatabaseClient)?.credentials
    }

    /// This transaction ends or changes a credential (a session, a token, an account): the sessions and tokens
    /// looked up so far are forgotten now — so no request serves one while the change is on its way — and once more
    /// after the commit, so nothing read before it stays.
    func forgetCredentials() {
        guard let credentials else { return }
        credentials.forgetAll()
        afterCommit { credentials.forgetAll() }
    }

    /// Queues `hook` to run after a successful commit; it is dropped if the transaction rolls back.
    func afterCommit(_ hook: @escaping @Sendable () async -> Void) {
        hooks.withLockedValue { $0.append(hook) }
    }

    /// Runs `body` inside BEGIN…COMMIT on `db`, rolling back on any error, then the after-commit hooks.
    /// Both engines share this so their transaction semantics cannot drift apart.
    nonisolated(nonsending) static func run<T>(
        on db: any SQLDatabase, engine: DatabaseEngine, owner: AnyObject? = nil, _ body: (Transaction) async throws -> T
    ) async throws -> T {
        let transaction = Transaction(db: db, engine: engine, owner: owner)
        try await db.raw("\(unsafeRaw: engine.beginStatement)").run()
        let result: T
        do {
            result = try await transaction.current(body)
            try await db.raw("COMMIT").run()
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
        await transaction.runAfterCommitHooks()
        return result
    }

    /// The current task's transaction, when it belongs to `client`.
    static func joinable(by client: AnyObject) -> Transaction? {
        guard let current, current.owner == ObjectIdentifier(client), current.open.withLockedValue({ $0 }) else { return nil }
        return current
    }

    /// Runs `body` as the task's current transaction (when it belongs to a client).
    nonisolated(nonsending) func current<T>(_ body: (Transaction) async throws -> T) async throws -> T {
        guard owner != nil else { return try await body(self) }
        defer { open.withLockedValue { $0 = false } }
        return try await Self.$current.withValue(self) { try await body(self) }
    }

    /// Runs `body` inside this transaction in a savepoint: an error undoes `body`'s writes alone, as if it had been a
    /// transaction of its own, and leaves the rest of the transaction as it was.
    public nonisolated(nonsending) func nested<T>(_ body: (Transaction) async throws -> T) async throws -> T {
        try await db.raw("SAVEPOINT stockroom_nested").run()
        let hooksBefore = hooks.withLockedValue { $0.count }
        let result: T
        do {
            result = try await body(self)
        } catch {
            try await db.raw("ROLLBACK TO stockroom_nested").run()
            try await db.raw("RELEASE stockroom_nested").run()
            // What the undone part queued to announce is dropped with it.
            hooks.withLockedValue { $0.removeSubrange(hooksBefore...) }
            throw error
        }
        try await db.raw("RELEASE stockroom_nested").run()
        return result
    }

    /// Once the transaction has committed: what it queued to do then, in order.
    func runAfterCommitHooks() async {
        for hook in hooks.withLockedValue({ $0 }) {
            await hook()
        }
    }
}

import NIOConcurrencyHelpers
import SQLKit

/// The SQLite writer with group commit. Writes take the writer in turn, as before; but when a write finishes and
/// others are waiting, it hands the writer on with its transaction still open, and the last write of the group
/// commits for all of them — one durable COMMIT (one fsync) for up to `maxGroup` writes. A write alone commits at
/// once: the group is whoever happened to be waiting, so there is no timer and no added latency when the shop is
/// quiet.
///
/// Each write runs in its own SAVEPOINT: a write that fails (a 409, a 404, any error) is rolled back alone and
/// answers its own error at once; the others in its group are untouched. A write that succeeded is answered only
/// after the COMMIT that holds it has returned (`synchronous = FULL`: it is on disk), and its after-commit hooks
/// (events) run then, once per write. If the COMMIT fails, every write of the group answers that error and none of
/// them happened. Work that needs the writer to itself (migrations) waits for the open group to commit.
final class GroupCommit: Sendable {
    static let maxGroup = 64
    let db: SQLiteDirectDatabase

    private struct Waiter {
        let continuation: CheckedContinuation<Bool, Never>
        /// Needs the writer with no transaction open (migrations, shutdown).
        let alone: Bool
    }

    private struct State {
        var busy = false
        var closed = false
        var waiting: [Waiter] = []
        var open: Group?
        var writes = 0
        var commits = 0
    }

    /// Writes and others waiting for the writer now (for tests that line writes up).
    var waitingCount: Int { state.withLockedValue { $0.waiting.count } }

    private let state = NIOLockedValueBox(State())

    init(db: SQLiteDirectDatabase) {
        self.db = db
    }

    /// Runs `body` as one write of a group; `acquired` is called once the writer is this write's.
    func write<T>(owner: AnyObject, acquired: () -> Void = {}, _ body: (Transaction) async throws -> T) async throws -> T {
        try await take(alone: false)
        acquired()
        let group: Group
        do {
            group = try await joinOrBegin()
        } catch {
            handOver()
            throw error
        }
        let transaction = Transaction(db: db, engine: .sqlite, owner: owner)
        let value: T
        do {
            try await db.raw("SAVEPOINT stockroom_write").run()
            do {
                value = try await transaction.current(body)
                try await db.raw("RELEASE stockroom_write").run()
            } catch {
                try await db.raw("ROLLBACK TO stockroom_write").run()
                try await db.raw("RELEASE stockroom_write").run()
                throw SavepointUndone(error: error)
            }
        } catch let undone as SavepointUndone {
            finishTurn(group)
            // A refusal may rest on what earlier writes of the group did: it stands only if their COMMIT does.
            try await group.committed()
            throw undone.error
        } catch {
            // The savepoint itself failed (SQLite may have rolled the whole transaction back on an I/O error):
            // nothing of this group can be trusted to commit.
            try? await db.raw("ROLLBACK").run()
            endGroup(group, .failure(error))
            handOver()
            throw error
        }
        finishTurn(group)
        try await group.committed()
        await transaction.runAfterCommitHooks()
        return value
    }

    /// Writes run and COMMITs made so far: their ratio is the mean group size.
    var counts: (writes: Int, commits: Int) {
        state.withLockedValue { ($0.writes, $0.commits) }
    }

    /// Runs `body` with the writer to itself and no transaction open.
    func alone<T>(_ body: (SQLiteDirectDatabase) async throws -> T) async throws -> T {
        try await take(alone: true)
        defer { handOver() }
        return try await body(db)
    }

    /// Waits for every write already queued, then closes the connection; later writes fail at once.
    func close() async {
        guard (try? await take(alone: true)) != nil else { return }
        state.withLockedValue { $0.closed = true }
        db.connection.close()
        // Whoever queued behind the close is told the writer is gone.
        let left = state.withLockedValue { state in
            defer { state.waiting = [] }
            return state.waiting
        }
        for waiter in left { waiter.continuation.resume(returning: false) }
    }

    // MARK: - Turns

    /// Waits for the writer. False from a waiter means the writer closed meanwhile.
    private func take(alone: Bool) async throws {
        let granted = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let now: Bool? = state.withLockedValue { state in
                if state.closed { return false }
                if !state.busy {
                    state.busy = true
                    return true
                }
                state.waiting.append(Waiter(continuation: continuation, alone: alone))
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
        // 21: SQLITE_MISUSE, as SQLite answers a call on a closed connection.
        guard granted else { throw SQLiteStatementError(code: 21, message: "the database is closed") }
    }

    /// Gives the writer to the next waiting write, or frees it.
    private func handOver() {
        let next: Waiter? = state.withLockedValue { state in
            guard !state.waiting.isEmpty else {
                state.busy = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.continuation.resume(returning: true)
    }

    /// The open group, or a new one with its BEGIN.
    private func joinOrBegin() async throws -> Group {
        if let group = state.withLockedValue({ state -> Group? in
            state.writes += 1
            return state.open
        }) {
            group.members += 1
            return group
        }
        try await db.raw("BEGIN IMMEDIATE").run()
        let group = Group()
        state.withLockedValue { $0.open = group }
        return group
    }

    /// After a write's savepoint: the writer goes on to the next write with the group still open, or — when nobody
    /// waits, the group is full or the next needs the writer alone — the group commits first.
    private func finishTurn(_ group: Group) {
        let keepOpen = state.withLockedValue { state in
            guard let next = state.waiting.first else { return false }
            return !next.alone && group.members < Self.maxGroup
        }
        if keepOpen {
            handOver()
            return
        }
        // COMMIT runs on this task; it is one statement and the writer is ours until it returns.
        let result: Result<Void, any Error>
        do {
            try db.connection.execute("COMMIT", []) { _ in }
            result = .success(())
        } catch {
            _ = try? db.connection.execute("ROLLBACK", []) { _ in }
            result = .failure(error)
        }
        state.withLockedValue { $0.commits += 1 }
        endGroup(group, result)
        handOver()
    }

    private func endGroup(_ group: Group, _ result: Result<Void, any Error>) {
        state.withLockedValue { if $0.open === group { $0.open = nil } }
        group.end(result)
    }

    /// The error a write's own body threw, after its savepoint was rolled back.
    private struct SavepointUndone: Error {
        let error: any Error
    }

    /// One transaction shared by a group of writes: their count, and their wait for its COMMIT.
    private final class Group: @unchecked Sendable {
        private let lock = NIOLock()
        private var result: Result<Void, any Error>?
        private var waiters: [CheckedContinuation<Void, any Error>] = []
        /// Only the writer's owner changes it.
        var members = 1

        func committed() async throws {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let known: Result<Void, any Error>? = lock.withLock {
                    if result == nil { waiters.append(continuation) }
                    return result
                }
                if let known { continuation.resume(with: known) }
            }
        }

        func end(_ outcome: Result<Void, any Error>) {
            let waiting: [CheckedContinuation<Void, any Error>] = lock.withLock {
                guard result == nil else { return [] }
                result = outcome
                defer { waiters = [] }
                return waiters
            }
            for waiter in waiting { waiter.resume(with: outcome) }
        }
    }
}

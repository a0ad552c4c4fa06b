import Foundation

/// SQLite's checkpoints — copying the write-ahead log back into the database file, and that file's fsync — made on a
/// connection and thread of their own, not by the writer. Left to SQLite, the writer's `COMMIT` that takes the log
/// past 1,000 pages makes the checkpoint itself, and every write waiting behind it waits for it too: a sixth of the
/// Zipf checkouts' sales a second (BENCHMARKS.md, eighth sitting). The writer's automatic checkpoints are turned off
/// (`wal_autocheckpoint = 0`) and this one checkpoints every `interval` while commits happen; `PASSIVE` never waits
/// for the writer or a reader, and what it cannot copy now (frames a reader still needs) it copies next time.
final class WALCheckpointer: @unchecked Sendable {
    static let interval = DispatchTimeInterval.milliseconds(100)
    private let connection: SQLiteDirectConnection
    private let queue = DispatchQueue(label: "stockroom.wal-checkpoint")
    private let timer: DispatchSourceTimer
    /// Only touched on `queue`.
    private var checkpointedAt: Int?
    private var closed = false

    /// `commits` says how many COMMITs the writer has made (a checkpoint runs only after new ones).
    init(path: String, commits: @escaping @Sendable () -> Int) throws {
        connection = try SQLiteDirectConnection(path: path, create: false)
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + Self.interval, repeating: Self.interval)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            let now = commits()
            guard !closed, now != checkpointedAt else { return }
            checkpointedAt = now
            // Refused now (the log locked by a restore, say), it is tried again at the next tick.
            try? connection.execute("PRAGMA wal_checkpoint(PASSIVE)", []) { _ in }
        }
        timer.resume()
    }

    deinit {
        timer.cancel()
        if !closed { connection.close() }
    }

    /// Stops checkpointing (waiting for one under way) and closes the connection; the writer's own close checkpoints
    /// what is left.
    func close() {
        queue.sync {
            guard !closed else { return }
            closed = true
            timer.cancel()
            connection.close()
        }
    }
}

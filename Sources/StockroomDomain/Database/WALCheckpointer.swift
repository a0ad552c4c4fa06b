import Foundation
import Logging

/// SQLite's checkpoints — copying the write-ahead log back into the database file, and that file's fsync — made on a
/// connection and thread of their own, not by the writer. Left to SQLite, the writer's `COMMIT` that takes the log
/// past 1,000 pages makes the checkpoint itself, and every write waiting behind it waits for it too (BENCHMARKS.md,
/// eighth sitting). The writer checkpoints only past `writerBackstop` pages — should this one stall — and this one
/// checkpoints every `interval` after any commit (the writer's, a migration's, another process's: SQLite's
/// `data_version`), and again until a checkpoint has copied the whole log. `PASSIVE` never waits for the writer or a
/// reader; what it cannot copy now (frames a reader still needs) it copies at a later tick.
final class WALCheckpointer: @unchecked Sendable {
    static let interval = DispatchTimeInterval.milliseconds(100)
    /// The writer's own automatic checkpoint (`wal_autocheckpoint`), in pages: far past what this one leaves.
    static let writerBackstop = 10_000
    private let connection: SQLiteDirectConnection
    private let logger: Logger
    private let queue = DispatchQueue(label: "stockroom.wal-checkpoint")
    private let timer: DispatchSourceTimer
    /// Only touched on `queue`: the last checkpoint copied the whole log, and nothing committed since.
    private var caughtUp = false
    private var failures = 0
    private var closed = false

    init(path: String, logger: Logger) throws {
        connection = try SQLiteDirectConnection(path: path, create: false)
        self.logger = logger
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + Self.interval, repeating: Self.interval)
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
    }

    deinit {
        timer.cancel()
        if !closed { connection.close() }
    }

    private func tick() {
        guard !closed else { return }
        do {
            if try connection.committedSinceAsked() { caughtUp = false }
            guard !caughtUp else { return }
            var result: (busy: Int, log: Int, copied: Int)?
            try connection.execute("PRAGMA wal_checkpoint(PASSIVE)", []) { row in
                if let busy = try? row.decode(column: "busy", as: Int.self), let log = try? row.decode(column: "log", as: Int.self),
                    let copied = try? row.decode(column: "checkpointed", as: Int.self)
                {
                    result = (busy, log, copied)
                }
            }
            caughtUp = result.map { $0.busy == 0 && $0.log == $0.copied } ?? false
            failures = 0
        } catch {
            // Tried again at the next tick; said once a run of failures, not ten times a second.
            failures += 1
            if failures == 1 { logger.warning("WAL checkpoint failed; retrying", metadata: ["error": "\(error)"]) }
        }
    }

    /// Stops checkpointing (waiting for one under way) and closes the connection. Called after the writer has
    /// closed; the last connection to close (a reader) checkpoints what is left.
    func close() {
        queue.sync {
            guard !closed else { return }
            closed = true
            timer.cancel()
            connection.close()
        }
    }
}

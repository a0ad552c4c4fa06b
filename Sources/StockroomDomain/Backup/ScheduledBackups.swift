import Foundation
import Logging
import ServiceLifecycle

/// Backs the SQLite database up into `STOCKROOM_BACKUP_DIR` every `STOCKROOM_BACKUP_EVERY_HOURS`, keeping the newest
/// `STOCKROOM_BACKUP_KEEP`, so a shop without an administrator is covered. A backup is due when the newest one in
/// the directory is older than the interval — so a restart neither resets the clock nor takes an extra one, and a
/// server that was off for a week backs up as soon as it starts. Each backup is `SQLiteBackup`'s (verified before
/// it is named); older ones are pruned only after a new one stands. Runs beside the server, never on a request's
/// task; a failure is logged as an error and tried again within 15 minutes, and the shop keeps selling.
public struct ScheduledBackups: Service {
    let database: String
    let folder: BackupFolder
    let interval: Duration
    let keep: Int
    let logger: Logger
    /// Ends once the server has migrated (and on a first start created) the database: services start beside the
    /// server's own preparations, and a backup of a database half made would fail its checks.
    private let ready: AsyncStream<Void>
    private let readiness: AsyncStream<Void>.Continuation

    public init(database: String, directory: String, interval: Duration, keep: Int, logger: Logger) {
        self.database = database
        self.folder = BackupFolder(directory: directory, database: database)
        self.interval = interval
        self.keep = keep
        self.logger = logger
        (ready, readiness) = AsyncStream.makeStream()
    }

    /// Called by the server once its database is migrated and bootstrapped.
    public func databaseIsReady() {
        readiness.finish()
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in ready {}
            guard !Task.isCancelled else { return }
            let every = interval.formatted(.units(allowed: [.hours, .minutes, .seconds], width: .abbreviated))
            logger.info("Scheduled backups: every \(every) into \(folder.directory), keeping \(keep)")
            var warned: [String] = []
            while !Task.isCancelled {
                let now = Date.now
                if let future = try? folder.fromTheFuture(now: now), future != warned {
                    warned = future
                    if !future.isEmpty {
                        logger.warning(
                            "Backups named after a time still to come are left out of the schedule and never pruned: \(future.joined(separator: ", "))"
                        )
                    }
                }
                let wait = (try? dueIn(now: now)) ?? .zero
                if wait > .zero {
                    // In steps of at most ten minutes: a changed clock or a suspended machine is noticed soon.
                    try? await Task.sleep(for: min(wait, .seconds(600)))
                    continue
                }
                if await !backUp() {
                    try? await Task.sleep(for: min(interval, .seconds(900)))
                }
            }
        }
    }

    /// How long until the next backup is due (zero or less: now). Backups from the future do not count: one such
    /// file would otherwise put the next backup off until its date.
    func dueIn(now: Date = .now) throws -> Duration {
        guard let newest = try folder.backups().last(where: { $0.takenAt <= now })?.takenAt else { return .zero }
        let due = newest.addingTimeInterval(Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18)
        return .milliseconds(Int64(due.timeIntervalSince(now) * 1000))
    }

    /// Takes one backup and prunes; true when the backup stands (a failed prune is logged apart: the backup is good).
    func backUp(now: Date = .now) async -> Bool {
        let summary: DatabaseFileCheck.Summary
        do {
            try FileManager.default.createDirectory(atPath: folder.directory, withIntermediateDirectories: true)
            folder.removeAbandonedCopies(now: now)
            summary = try await SQLiteBackup(source: database).write(to: folder.path(at: now))
        } catch  where Task.isCancelled {
            logger.info("Scheduled backup stopped by the shutdown; nothing was written")
            return false
        } catch {
            logger.error("Scheduled backup failed: \(error); trying again in at most 15 minutes")
            return false
        }
        do {
            let removed = try folder.prune(keeping: keep, now: now, written: summary.path)
            logger.notice("Backup written and verified: \(summary)\(removed.isEmpty ? "" : "; removed \(removed.count) older")")
        } catch {
            logger.notice("Backup written and verified: \(summary)")
            logger.error("Removing older backups failed: \(error); more than \(keep) are kept until the next backup prunes them")
        }
        return true
    }
}

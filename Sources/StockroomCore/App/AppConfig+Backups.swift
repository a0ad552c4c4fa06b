import Foundation
import Logging

extension AppConfig {
    /// Hours may be fractional (0.5 is every 30 minutes); the floor, 36 seconds, is there for tests and trials.
    static let backupHoursExpected = "hours from 0.01 to 720 (0.5 is every 30 minutes)"

    static func backupHours(_ text: String) -> Double? {
        Double(text).flatMap { $0.isFinite && (0.01...720).contains($0) ? $0 : nil }
    }

    /// A schedule without a directory would silently back up nothing.
    func backupSettingProblems(_ values: [String: String]) -> [String] {
        guard backupDirectory == nil else { return [] }
        return ["STOCKROOM_BACKUP_EVERY_HOURS", "STOCKROOM_BACKUP_KEEP"].filter { values[$0] != nil }.map {
            "\($0) is set but STOCKROOM_BACKUP_DIR is not: expected STOCKROOM_BACKUP_DIR too, the directory the backups go to"
        }
    }

    /// How often scheduled backups are taken.
    public var backupInterval: Duration { .milliseconds(Int64((backupEveryHours * 3_600_000).rounded())) }
}

extension AppConfig {
    /// The scheduled backups this configuration asks for, if any; PostgreSQL has its own tools, so there the setting
    /// is ignored with a warning.
    public func scheduledBackups(logger: Logger) -> ScheduledBackups? {
        guard let backupDirectory else { return nil }
        guard case .sqlite(let path) = database else {
            logger.warning("STOCKROOM_BACKUP_DIR is ignored on PostgreSQL: back it up with pg_dump (README, \"Back up and restore\")")
            return nil
        }
        return ScheduledBackups(database: path, directory: backupDirectory, interval: backupInterval, keep: backupKeep, logger: logger)
    }
}

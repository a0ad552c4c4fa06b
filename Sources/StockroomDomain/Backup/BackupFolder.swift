import Crypto
import Foundation

/// The scheduled backups' directory: one file per backup, named after the database, a tag of the database's full
/// path and the UTC time it was taken (`stockroom-3f9a1c2e-20261207T013000Z.sqlite` for `/srv/shop/stockroom.sqlite`),
/// so the names sort by age and the newest tells when the next one is due. The tag keeps two shops whose databases
/// share a file name apart when they share a directory: each sees, and prunes, only its own backups. Only files named
/// that way are ever pruned; anything else there is left alone.
public struct BackupFolder: Sendable {
    public let directory: String
    /// The database's file name without its extension, and the tag of its full path: every name starts with this.
    public let prefix: String

    /// `database` is the live database's path (symbolic links followed, so every name of one file finds one tag).
    public init(directory: String, database: String) {
        self.directory = directory
        let stem = URL(filePath: database).deletingPathExtension().lastPathComponent
        self.prefix = "\(stem)-\(Self.tag(ServingLock.resolved(database)))-"
    }

    public func path(at date: Date) -> String {
        URL(filePath: directory).appending(path: "\(prefix)\(Self.timestamp(date)).sqlite").path
    }

    /// The backups there, oldest first, with the time each was taken.
    public func backups() throws -> [(path: String, takenAt: Date)] {
        try FileManager.default.contentsOfDirectory(atPath: directory).compactMap { name -> (String, Date)? in
            guard name.hasPrefix(prefix), name.hasSuffix(".sqlite") else { return nil }
            let stamp = name.dropFirst(prefix.count).dropLast(".sqlite".count)
            guard let date = Self.date(String(stamp)) else { return nil }
            return (URL(filePath: directory).appending(path: name).path, date)
        }.sorted { $0.1 < $1.1 }
    }

    /// Backups named after a time still to come (the clock was wrong when they were taken, or a file was copied in):
    /// they neither tell when the next backup is due nor count among those kept, or one such file would stop the
    /// schedule and a few would have every new backup pruned at once.
    func fromTheFuture(now: Date = .now) throws -> [String] {
        try backups().filter { $0.takenAt > now }.map(\.path)
    }

    /// Removes all but the newest `keep` backups taken by `now`, never `written` (the backup just taken); answers the
    /// paths removed. Backups from the future are left alone.
    @discardableResult
    func prune(keeping keep: Int, now: Date = .now, written: String? = nil) throws -> [String] {
        let old = try backups().filter { $0.takenAt <= now && $0.path != written }.map(\.path).dropLast(max(0, keep - (written == nil ? 0 : 1)))
        for path in old { try FileManager.default.removeItem(atPath: path) }
        return Array(old)
    }

    /// Hidden partial copies a backup left when its process died mid-copy (`DurableFiles.removeAbandoned`).
    func removeAbandonedCopies(now: Date = .now) {
        DurableFiles.removeAbandoned(in: directory, named: prefix, purpose: "partial", now: now)
    }

    /// Eight hex digits of the SHA-256 of the database's full path: short, and the same on every start.
    static func tag(_ resolvedPath: String) -> String {
        SHA256.hash(data: Data(resolvedPath.utf8)).prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// `20261207T013000Z`: UTC, sortable, and safe in a file name on every system.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(style)
    }

    static func date(_ timestamp: String) -> Date? {
        guard timestamp.count == 16 else { return nil }
        return try? Date(timestamp, strategy: style)
    }

    private static let style = Date.ISO8601FormatStyle(
        dateSeparator: .omitted, dateTimeSeparator: .standard, timeSeparator: .omitted, timeZone: TimeZone(identifier: "UTC")!)
}

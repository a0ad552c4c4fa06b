import Foundation

/// The scheduled backups' directory: one file per backup, named after the database and the UTC time it was taken
/// (`stockroom-20261207T013000Z.sqlite` for `stockroom.sqlite`), so the names sort by age and the newest tells
/// when the next one is due. Only files named that way are ever pruned; anything else there is left alone.
public struct BackupFolder: Sendable {
    public let directory: String
    /// The database's file name without its extension.
    public let stem: String

    public init(directory: String, database: String) {
        self.directory = directory
        self.stem = URL(filePath: database).deletingPathExtension().lastPathComponent
    }

    public func path(at date: Date) -> String {
        URL(filePath: directory).appending(path: "\(stem)-\(Self.timestamp(date)).sqlite").path
    }

    /// The backups there, oldest first, with the time each was taken.
    public func backups() throws -> [(path: String, takenAt: Date)] {
        try FileManager.default.contentsOfDirectory(atPath: directory).compactMap { name -> (String, Date)? in
            guard name.hasPrefix(stem + "-"), name.hasSuffix(".sqlite") else { return nil }
            let stamp = name.dropFirst(stem.count + 1).dropLast(".sqlite".count)
            guard let date = Self.date(String(stamp)) else { return nil }
            return (URL(filePath: directory).appending(path: name).path, date)
        }.sorted { $0.1 < $1.1 }
    }

    /// Removes all but the newest `keep` backups; answers the paths removed.
    @discardableResult
    public func prune(keeping keep: Int) throws -> [String] {
        let old = try backups().dropLast(keep).map(\.path)
        for path in old { try FileManager.default.removeItem(atPath: path) }
        return old
    }

    /// Hidden partial copies a backup left when its process died mid-copy, more than a day old (a younger one may
    /// belong to a `stockroom backup` writing into the same directory now).
    public func removeAbandonedCopies(now: Date = .now) {
        let files = FileManager.default
        for name in (try? files.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(".\(stem)-") && name.contains(".partial-") {
            let path = URL(filePath: directory).appending(path: name).path
            if let modified = (try? files.attributesOfItem(atPath: path))?[.modificationDate] as? Date, now.timeIntervalSince(modified) > 86_400 {
                try? files.removeItem(atPath: path)
            }
        }
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

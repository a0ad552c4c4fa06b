import Foundation
import NIOConcurrencyHelpers

/// How far a confirmed import has got, for the import page's progress bar (`GET /api/import/products/{id}/progress`).
///
/// Kept in memory on the node running the import, not in `product_imports`: the import is one transaction (all
/// rows or none), and a row written inside it is invisible to other readers until it commits — while on SQLite a
/// second writer would wait for that same transaction. So progress cannot be read from the database without
/// splitting the import into several transactions, which would give up its all-or-nothing. With several nodes, a
/// poll that reaches another node finds nothing (404) and the page keeps waiting for the confirm's own answer.
public struct ImportProgress: Sendable, Encodable, Equatable {
    public enum Status: String, Sendable, Encodable {
        /// The file is being read with the chosen mapping.
        case reading
        /// Rows are being written; `rows_done` of `rows`.
        case importing
        /// Committed.
        case done
        /// Rolled back: nothing was imported (the confirm's answer says why).
        case failed
    }

    public var id: Int64
    public var status: Status
    var rowsDone: Int
    public var rows: Int
    /// Whole percent, rounded down: 100 only once every row is written.
    public var percent: Int { rows == 0 ? (status == .done ? 100 : 0) : rowsDone * 100 / rows }

    enum CodingKeys: String, CodingKey {
        case id, status, rows, percent
        case rowsDone = "rows_done"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(status, forKey: .status)
        try container.encode(rowsDone, forKey: .rowsDone)
        try container.encode(rows, forKey: .rows)
        try container.encode(percent, forKey: .percent)
    }
}

/// The imports of this node and how far each has got, by company, person and upload; finished ones are kept a few
/// minutes so that a last poll still reads 100 %.
final class ImportProgressBoard: Sendable {
    struct Key: Hashable {
        let companyID: Int64, userID: Int64, importID: Int64
    }
    static let kept: TimeInterval = 600
    private let entries = NIOLockedValueBox([Key: (progress: ImportProgress, changed: Date)]())

    func set(_ key: Key, _ status: ImportProgress.Status, done: Int, rows: Int) {
        let now = Date.now
        entries.withLockedValue { entries in
            if status == .reading { entries = entries.filter { now.timeIntervalSince($0.value.changed) < Self.kept } }
            entries[key] = (ImportProgress(id: key.importID, status: status, rowsDone: done, rows: rows), now)
        }
    }

    func fail(_ key: Key) {
        entries.withLockedValue { entries in
            guard var entry = entries[key] else { return }
            entry.progress.status = .failed
            entry.changed = .now
            entries[key] = entry
        }
    }

    func progress(_ key: Key) -> ImportProgress? {
        entries.withLockedValue { $0[key]?.progress }
    }
}

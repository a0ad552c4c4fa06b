import Foundation
import Logging
import Synchronization

/// The last lines this node logged, kept in memory for `GET /api/debug/logs`: an owner can see what went wrong
/// without a shell on the server. A fixed number of lines (the oldest go first), so memory stays bounded whatever
/// is logged. Lines are stored as logged and redacted when read (`LogRedaction`), so logging stays cheap.
public final class RecentLog: Sendable {
    public struct Line: Sendable {
        public let time: Date
        public let level: Logger.Level
        public let message: String
        public let metadata: [String: String]

        /// The company whose request wrote the line (`company_id` metadata); nil for the server's own lines.
        var companyID: Int64? { metadata["company_id"].flatMap { Int64($0) } }
    }

    public static let defaultCapacity = 2000
    public let capacity: Int
    private let ring: Mutex<(lines: [Line], next: Int)>

    public init(capacity: Int = RecentLog.defaultCapacity) {
        self.capacity = max(1, capacity)
        ring = Mutex(([], 0))
    }

    func append(_ line: Line) {
        ring.withLock { ring in
            if ring.lines.count < capacity {
                ring.lines.append(line)
            } else {
                ring.lines[ring.next] = line
            }
            ring.next = (ring.next + 1) % capacity
        }
    }

    /// Every kept line, oldest first.
    public func lines() -> [Line] {
        ring.withLock { ring in
            ring.lines.count < capacity ? ring.lines : Array(ring.lines[ring.next...] + ring.lines[..<ring.next])
        }
    }

    /// A log handler that writes to the console (standard error, as swift-log does by default, through
    /// `ConsoleLog`'s batches) and keeps the line here.
    public func handler(label: String, format: LogFormat = .text) -> any LogHandler {
        MultiplexLogHandler([ConsoleLogHandler(label: label, format: format), KeepingHandler(log: self)])
    }

    private struct KeepingHandler: LogHandler {
        let log: RecentLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            log.append(
                Line(
                    time: Date(), level: event.level, message: event.message.description,
                    metadata: event.metadata(over: metadata).mapValues { $0.description }))
        }
    }
}

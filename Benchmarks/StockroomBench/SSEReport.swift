import Foundation
import NIOCore

/// The result of one `sse` run, printed as a table with its context below.
struct SSEReport {
    var streams: Int
    var opened: Int
    var openSeconds: Double
    var recorded: StreamRecorder.Snapshot
    var rssBeforeKiB: Int
    var rssOpenKiB: Int
    var rssEndKiB: Int
    var engine: String
    var rate: Int
    var duration: Int
    /// CPU and peak memory of the streams' node while the events were sent, and of the sending node when it is another.
    var streamsNode: ServerUsage.Phase
    var senderNode: ServerUsage.Phase?

    func print() {
        let milliseconds = recorded.latencies.map { Double($0.latency.nanoseconds) / 1_000_000 }.sorted()
        let errors = recorded.errors.values.reduce(0, +)
        let perStream = opened > 0 ? Double(rssOpenKiB - rssBeforeKiB) / Double(opened) : 0
        let header = [
            "streams", "events sent", "events received", "p50 ms", "p99 ms", "max ms",
            "server RSS before", "server RSS after", "KiB per stream", "errors", "server CPU %", "server peak MiB", "db CPU %",
        ]
        let row = [
            "\(opened)", "\(recorded.sent)", "\(recorded.received)",
            BenchTable.number(BenchTable.percentile(milliseconds, 0.50)), BenchTable.number(BenchTable.percentile(milliseconds, 0.99)),
            BenchTable.number(milliseconds.last), Self.megabytes(rssBeforeKiB), Self.megabytes(rssOpenKiB),
            BenchTable.number(perStream), "\(errors)", String(format: "%.0f", streamsNode.cpuPercent),
            BenchTable.number(Double(streamsNode.peakKiB) / 1024), streamsNode.databaseCPUPercent.map { String(format: "%.0f", $0) } ?? "",
        ]
        BenchTable(header, [row]).print()
        Swift.print(
            """

            engine \(engine); \(streams) streams requested, \(opened) opened (each got its init) in \(String(format: "%.1f", openSeconds)) s; \
            \(rate) events/s for \(duration) s, \(recorded.accepted) accepted (201); server RSS after the events \(Self.megabytes(rssEndKiB)).
            Latency: from just before the POST /api/notifications/create is written to the arrival of the `update` that lists \
            the notification, both on the bench's monotonic clock. CPU and peak memory: the streams' node while events were sent.
            """)
        if let senderNode {
            Swift.print(
                String(
                    format: "Two nodes: the streams on one, every notification created through the other (CPU %.0f %%, peak %.1f MiB).",
                    senderNode.cpuPercent, Double(senderNode.peakKiB) / 1024))
        }
        for (kind, count) in recorded.errors.sorted(by: { $0.key < $1.key }) {
            Swift.print("  error ×\(count): \(kind)")
        }
    }

    /// `sequence,sent_at_ms,latency_ms` per received notification, in send order, to see when slow ones happened.
    func writeLatencies(to path: String) throws {
        let lines = recorded.latencies.sorted { $0.sequence < $1.sequence }.map { sample in
            let sentAt = Double(sample.sequence) * 1000 / Double(rate)
            return String(format: "%d,%.1f,%.3f", sample.sequence, sentAt, Double(sample.latency.nanoseconds) / 1_000_000)
        }
        let text = (["sequence,sent_at_ms,latency_ms"] + lines).joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func megabytes(_ kibibytes: Int) -> String {
        String(format: "%.1f MiB", Double(kibibytes) / 1024)
    }
}

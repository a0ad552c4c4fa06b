import Foundation
import NIOHTTP1

/// Latency and failures per kind of request, shared by the tasks of a run. A status outside 2xx, or no answer at
/// all, is an error — unless the scenario says that status is an expected refusal (a sale past the stock).
final class LatencyRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var latencies: [String: [Double]] = [:]
    private var errors: [String: Int] = [:]
    private var refusals: [String: Int] = [:]
    private var succeeded: [String: Int] = [:]
    private let refusal: @Sendable (HTTPResponseStatus) -> Bool

    init(refusal: @escaping @Sendable (HTTPResponseStatus) -> Bool = { _ in false }) {
        self.refusal = refusal
    }

    func record(_ kind: String, _ elapsed: Duration, status: HTTPResponseStatus?) {
        lock.withLock {
            latencies[kind, default: []].append(elapsed / .milliseconds(1))
            guard let status else {
                errors["\(kind) connection", default: 0] += 1
                return
            }
            if (200..<300).contains(status.code) {
                succeeded[kind, default: 0] += 1
                return
            }
            if refusal(status) { refusals[kind, default: 0] += 1 } else { errors["\(kind) \(status.code)", default: 0] += 1 }
        }
    }

    /// Adds this recorder's successful answers to `other`'s (a scenario's running total over its phases).
    func copySuccesses(into other: LatencyRecorder) {
        let counts = lock.withLock { succeeded }
        other.lock.withLock { other.succeeded.merge(counts, uniquingKeysWith: +) }
    }

    var kinds: [String] { lock.withLock { latencies.keys.sorted() } }

    /// Requests, errors, refusals and sorted latencies of the given kinds (all of them when nil).
    func summary(_ kinds: [String]? = nil) -> Summary {
        lock.withLock {
            let chosen = kinds ?? Array(latencies.keys)
            let failed = errors.filter { key, _ in chosen.contains { key.hasPrefix($0 + " ") } }
            return Summary(
                latencies: chosen.flatMap { latencies[$0] ?? [] }.sorted(), errors: failed.values.reduce(0, +),
                refusals: chosen.map { refusals[$0] ?? 0 }.reduce(0, +), succeeded: chosen.map { succeeded[$0] ?? 0 }.reduce(0, +),
                errorKinds: failed.map { "\($0.key) ×\($0.value)" }.sorted())
        }
    }

    struct Summary {
        let latencies: [Double]
        let errors: Int
        let refusals: Int
        let succeeded: Int
        let errorKinds: [String]

        var count: Int { latencies.count }
        func percentile(_ fraction: Double) -> Double? { BenchTable.percentile(latencies, fraction) }
    }
}

/// The table every load scenario prints: one row per phase or kind of request, with what the server used.
struct LoadTable {
    static let header = ["phase", "requests", "req/s", "p50 ms", "p99 ms", "p999 ms", "errors", "server CPU %", "server peak MiB", "db CPU %"]

    private(set) var rows: [[String]] = []

    mutating func add(_ name: String, _ summary: LatencyRecorder.Summary, seconds: Double, usage: ServerUsage.Phase?) {
        rows.append([
            name, String(summary.count), BenchTable.number(seconds > 0 ? Double(summary.count) / seconds : nil),
            BenchTable.number(summary.percentile(0.5)), BenchTable.number(summary.percentile(0.99)),
            BenchTable.number(summary.percentile(0.999)), String(summary.errors),
            usage.map { String(format: "%.0f", $0.cpuPercent) } ?? "", usage.map { BenchTable.number(Double($0.peakKiB) / 1024) } ?? "",
            usage?.databaseCPUPercent.map { String(format: "%.0f", $0) } ?? "",
        ])
    }

    func print() {
        Swift.print("")
        BenchTable(Self.header, rows).print()
    }
}

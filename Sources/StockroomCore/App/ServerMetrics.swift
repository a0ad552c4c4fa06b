import Foundation
import Prometheus

/// This application's Prometheus metrics. Each application owns its registry (no process-wide bootstrap), so
/// two applications in one process — the tests, two nodes — never mix their numbers.
///
/// Request counts and latencies are recorded as requests finish; live values that other parts already keep
/// (open streams, events, database work) are read when `/metrics` is scraped, so they cost nothing until then.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
    ]

    public init() {}

    /// One finished request. `route` is the matched route's pattern (`/api/products/{id}`), never the raw path,
    /// so the number of series stays bounded whatever clients send.
    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("method", method), ("status", String(status))]).increment()
        registry.makeDurationHistogram(
            descriptor: Self.requestDuration, labels: [("route", route), ("method", method)], buckets: Self.latencyBuckets
        )
        .record(duration)
    }

    // Computed: the descriptor type is not Sendable, so it cannot be a stored static.
    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "stockroom", subsystem: "http", metricName: "requests", unitName: "total",
            helpText: "Requests answered, by route pattern, method and status.")
    }

    static var requestDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "stockroom", subsystem: "http", metricName: "request_duration", unitName: "seconds",
            helpText: "Time to the response head (for a live stream, to open it), by route pattern and method.")
    }

    /// The text exposition: the registry's series, then the values read now.
    func exposition(events: EventHub, streams: NotificationStreams, database: any DatabaseClient) -> String {
        var text = registry.emitToString()
        var sample = Exposition()
        let counters = events.counters
        sample.add("stockroom_sse_open_streams", .gauge, "Live notification streams open on this node.", [([], Double(streams.openCount))])
        sample.add(
            "stockroom_events_raised_total", .counter, "Domain events raised on this node, by event.",
            counters.raised.sorted { $0.key < $1.key }.map { ([("event", $0.key)], Double($0.value)) })
        sample.add(
            "stockroom_events_delivered_total", .counter, "Events handed to this node's subscribers, local or relayed.",
            [([], Double(counters.delivered))])
        sample.add(
            "stockroom_events_dropped_total", .counter, "Deliveries dropped because a subscriber fell behind.",
            [([], Double(counters.dropped))])
        sample.add(
            "stockroom_sales_total", .counter, "Sales by outcome: completed, edited (or voided), refused.",
            [
                ([("outcome", "completed")], Double(counters.raised["sale_completed", default: 0])),
                ([("outcome", "edited")], Double(counters.raised["sale_edited", default: 0])),
                ([("outcome", "refused")], Double(counters.raised["sale_failed", default: 0])),
            ])
        sample.add(
            "stockroom_stock_writes_total", .counter, "Committed stock changes (ledger movements), by kind.",
            MovementKind.allCases.map { ([("kind", $0.rawValue)], Double(counters.stockWrites[$0, default: 0])) })
        let usage = database.usage.snapshot()
        let works = DatabaseUsage.Work.allCases
        let engine = ("engine", database.engine.rawValue)
        func each(_ value: (DatabaseUsage.Counts) -> Double) -> [([(String, String)], Double)] {
            works.map { ([engine, ("work", $0.rawValue)], value(usage[$0] ?? .init())) }
        }
        sample.add(
            "stockroom_db_pool_size", .gauge, "Connections each kind of database work can hold at once.",
            works.map { ([engine, ("work", $0.rawValue)], Double(database.usage.poolSize[$0] ?? 0)) })
        sample.add("stockroom_db_waiting", .gauge, "Database work waiting for a connection.", each { Double($0.waiting) })
        sample.add("stockroom_db_in_use", .gauge, "Database work holding a connection.", each { Double($0.inUse) })
        sample.add("stockroom_db_completed_total", .counter, "Database work finished.", each { Double($0.completed) })
        sample.add("stockroom_db_failed_total", .counter, "Database work that ended in an error.", each { Double($0.failed) })
        sample.add("stockroom_db_seconds_total", .counter, "Time spent in database work, waiting included.", each { $0.seconds })
        let kept = database.usage.keptAnswers
        sample.add(
            "stockroom_report_answers_total", .counter, "Report answers (stats, metrics) served as kept since the last commit, or worked out.",
            [([engine, ("result", "kept")], Double(kept.hits)), ([engine, ("result", "computed")], Double(kept.misses))])
        text += sample.text
        return text
    }
}

/// Metric families written out in the Prometheus text format (version 0.0.4).
struct Exposition {
    enum Kind: String { case counter, gauge }
    private(set) var text = ""

    mutating func add(_ name: String, _ kind: Kind, _ help: String, _ samples: [([(String, String)], Double)]) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(kind.rawValue)\n"
        for (labels, value) in samples {
            let rendered = labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
            text += "\(name)\(rendered) \(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value))\n"
        }
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}

import ArgumentParser
import ChildProcesses
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import StockroomCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `stockroom-bench metrics`: a year of sales (a million lines by default), then how long the report endpoints
/// take on a separate release server, beside what the same question costs without the rollups.
struct ReportBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Seed a year of sales, then time GET /api/metrics, /api/stats and /api/never-sold.",
        discussion: """
            Seeds a fresh database in SQL (products, stock in every store, sales with 1–4 lines over --days days), \
            builds the report rollups the way a server start does (timed), starts `stockroom serve` (built beside this \
            executable) and requests each report --runs times in a row as the owner, printing p50/p99/max.
            """)

    @OptionGroup var database: BenchDatabaseOptions

    @Option(help: "Sales to seed (2.5 lines each on average).")
    var sales = 400_000

    @Option(help: "Products in the catalog.")
    var products = 1_000

    @Option(help: "Stores the sales are spread over.")
    var stores = 4

    @Option(help: "Days the sales are spread over, ending now.")
    var days = 365

    @Option(help: "Requests per report.")
    var runs = 20

    @Option(help: "The business time zone (reports cut days and hours on its clock).")
    var timeZone = "Europe/Madrid"

    func validate() throws {
        try database.validate()
        guard sales >= 1, products >= 1, stores >= 1, days >= 1, runs >= 1 else {
            throw ValidationError("--sales, --products, --stores, --days and --runs must be at least 1")
        }
    }

    func run() async throws {
        let bench = try await database.prepare(["STOCKROOM_TIMEZONE": timeZone])
        defer { bench.remove() }
        let (logger, config) = (bench.logger, bench.config)
        let (seed, storeIDs, lines, seeded, naive, rebuilt) = try await bench.withClient { client in
            let start = ContinuousClock.now
            let seed = try await BenchSeed.create(client, vendors: 0, logger: logger)
            let companyID = try await client.read {
                try await $0.raw("SELECT MIN(id) AS id FROM companies").first(decodingColumn: "id", as: Int64.self)!
            }
            let (storeIDs, lines) = try await ReportSeed(companyID: companyID, stores: stores, products: products, sales: sales, days: days)
                .insert(client)
            try await BenchSeed.settle(client)
            let seeded = ContinuousClock.now - start
            let naive = try await Self.naiveTopProducts(client, companyID: companyID, days: days)
            let rebuildStart = ContinuousClock.now
            try await SalesRollup(clock: LocalClock(timeZone: config.timeZone)).prepare(client, logger: logger)
            return (seed, storeIDs, lines, seeded, naive, ContinuousClock.now - rebuildStart)
        }
        print(
            "Seeded \(sales) sales, \(lines) lines, \(products) products in \(stores) stores over \(days) days in \(seconds(seeded)) (\(config.databaseDescription))."
        )
        print("Rollups built from the sales in \(seconds(rebuilt)); top products straight from the sale lines (no rollups): \(milliseconds(naive)).")

        // The reports are kept until the next commit (`KeptAnswers`, SQLite): the timed runs below each follow a commit
        // made by this process on the same database, so each is worked out; the throughput phase then asks without
        // one between, as dashboards refreshing in a quiet hour do.
        try await bench.withClient { client in
            // A real change in a table of the bench's own: an UPDATE that writes a row as it was leaves SQLite's
            // `data_version` where it was, so answers stayed kept (the fifth sitting's "worked out" runs were not).
            try await client.withTransaction { try await $0.db.raw("CREATE TABLE bench_touch (n BIGINT NOT NULL)").run() }
            try await client.withTransaction { try await $0.db.raw("INSERT INTO bench_touch (n) VALUES (0)").run() }
            let touch: @Sendable () async throws -> Void = {
                try await client.withTransaction { try await $0.db.raw("UPDATE bench_touch SET n = n + 1").run() }
            }
            try await bench.serve { server in
                let base = "http://127.0.0.1:\(server.port)"
                var rows: [[String]] = []
                for path in [
                    "/api/metrics?period=365", "/api/metrics?period=365&store_id=\(storeIDs[0])", "/api/metrics?period=30",
                    "/api/stats", "/api/never-sold",
                ] {
                    rows.append(try await Self.time(base + path, token: seed.owner.token, runs: runs, before: touch).row(path))
                }
                print("")
                print("Each request after a commit (worked out):")
                BenchTable(["request", "runs", "p50 ms", "p99 ms", "max ms", "bytes"], rows).print()
                try await Self.throughput(server, token: seed.owner.token, paths: ["/api/stats", "/api/metrics?period=30"])
                let memory = server.residentKiB()
                await server.terminate()
                print("\nServer RSS after the runs: \(memory.map { "\($0 / 1024) MiB" } ?? "n/a")")
            }
        }
    }

    /// Each path from `connections` keep-alive connections for `duration` seconds, nothing committed meanwhile.
    static func throughput(_ server: ServerProcess, token: String, paths: [String], connections: Int = 16, duration: Int = 8) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        var table = LoadTable()
        for path in paths {
            let clients = (0..<connections).map { _ in
                RequestClient(host: "127.0.0.1", port: server.port, token: token, group: group, maxConnections: 1)
            }
            let (recorder, usage) = await ClosedLoop.measure(clients, server: server, for: .seconds(duration)) { _, _ in
                BenchRequest(kind: path, method: .GET, path: path)
            }
            for client in clients { await client.close() }
            table.add(path, recorder.summary(), seconds: usage.seconds, usage: usage)
        }
        print("\nThroughput, \(connections) connections, \(duration) s each, nothing committed meanwhile (answers kept on SQLite):")
        table.print()
        try await group.shutdownGracefully()
    }

    /// The best sellers of the period computed from every sale line, as a report without rollups would.
    static func naiveTopProducts(_ database: any DatabaseClient, companyID: Int64, days: Int) async throws -> Duration {
        let since = Date.now.unixMilliseconds - Int64(days) * LocalClock.millisecondsPerDay
        let start = ContinuousClock.now
        _ = try await database.read { db in
            try await db.raw(
                """
                SELECT l.product_id, SUM(l.quantity) AS units, SUM(l.line_total_cents) AS revenue
                FROM sales s JOIN sale_lines l ON l.sale_id = s.id
                WHERE s.company_id = \(bind: companyID) AND s.status = 'completed' AND s.created_at >= \(bind: since)
                GROUP BY l.product_id ORDER BY revenue DESC LIMIT 10
                """
            ).all()
        }
        return ContinuousClock.now - start
    }

    /// `runs` requests one after another (after two to warm up), each after `before`; any answer but 200 stops the
    /// benchmark.
    static func time(_ address: String, token: String, runs: Int, before: () async throws -> Void) async throws -> Timings {
        var request = URLRequest(url: URL(string: address)!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        var timings = Timings()
        for run in 0..<(runs + 2) {
            try await before()
            let start = ContinuousClock.now
            let (body, response) = try await URLSession.shared.data(for: request)
            let elapsed = ContinuousClock.now - start
            guard (response as? HTTPURLResponse)?.statusCode == 200 else {
                throw ServerProcess.Failure(description: "\(address) answered \(String(decoding: body, as: UTF8.self))")
            }
            if run >= 2 { timings.add(elapsed, bytes: body.count) }
        }
        return timings
    }
}

/// Latencies of repeated requests.
struct Timings {
    private(set) var milliseconds: [Double] = []
    private(set) var bytes = 0

    mutating func add(_ elapsed: Duration, bytes: Int) {
        milliseconds.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        self.bytes = bytes
    }

    func row(_ label: String) -> [String] {
        let sorted = milliseconds.sorted()
        return [
            label, String(sorted.count), BenchTable.number(BenchTable.percentile(sorted, 0.5)),
            BenchTable.number(BenchTable.percentile(sorted, 0.99)),
            BenchTable.number(sorted.last), String(bytes),
        ]
    }
}

func seconds(_ duration: Duration) -> String {
    String(format: "%.1f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
}

func milliseconds(_ duration: Duration) -> String {
    String(format: "%.0f ms", Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
}

import ArgumentParser
import ChildProcesses
import Foundation
import Logging
import StockroomCore

/// Where a scenario keeps its data: a fresh SQLite file in a scratch directory, or a fresh PostgreSQL database —
/// on a private cluster the bench starts itself (fsync on, as a shop would run it) unless --database-url names one.
struct BenchDatabaseOptions: ParsableArguments {
    enum Engine: String, ExpressibleByArgument {
        case sqlite, postgres
    }

    @Option(help: "sqlite (a fresh temporary file) or postgres (a fresh database on a private cluster, or --database-url).")
    var engine = Engine.sqlite

    @Option(help: "postgres://… of an empty database the bench may fill, instead of its own cluster (with --engine postgres).")
    var databaseURL: String?

    func validate() throws {
        if engine == .sqlite, databaseURL != nil { throw ValidationError("--database-url is for --engine postgres; SQLite uses a fresh file") }
    }

    /// A scratch directory and a fresh database in it (SQLite) or on the cluster (PostgreSQL).
    /// Raises the descriptor limit first: every connection and stream is a socket, on both sides.
    func prepare(_ environment: [String: String] = [:]) async throws -> BenchDatabase {
        _ = SystemLimits.raiseOpenFiles()
        return try await BenchDatabase.prepare(engine, databaseURL: databaseURL, environment)
    }
}

/// A scenario's database, its scratch directory (the server's working directory and log), and the server's settings.
struct BenchDatabase {
    let directory: URL
    let environment: [String: String]
    let config: AppConfig
    let logger: Logger
    /// The bench's own PostgreSQL cluster's main process, whose CPU (with its backends') the tables show.
    let postmaster: pid_t?

    /// The bench's own cluster, started on first use and stopped when the bench exits.
    static let cluster = PostgresCluster(fsync: true)

    static func prepare(
        _ engine: BenchDatabaseOptions.Engine, databaseURL: String? = nil, _ environment: [String: String] = [:]
    ) async throws -> BenchDatabase {
        let directory = FileManager.default.temporaryDirectory.appending(path: "stockroom-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url: String
        switch engine {
        case .sqlite: url = "sqlite://" + directory.appending(path: "bench.sqlite").path
        case .postgres: url = if let databaseURL { databaseURL } else { try await cluster.makeDatabase() }
        }
        var logger = Logger(label: "stockroom-bench")
        // PostgresNIO warns when the first query races the client's start (`whileRunning` starts both at once).
        logger.logLevel = .error
        // Request logs off: the server's own logging is not what is measured.
        let environment = environment.merging(["STOCKROOM_DATABASE_URL": url, "STOCKROOM_LOG_LEVEL": "warning"]) { _, own in own }
        let postmaster = engine == .postgres && databaseURL == nil ? try await cluster.postmasterPID() : nil
        return BenchDatabase(
            directory: directory, environment: environment, config: try AppConfig.load(environment: environment, envFile: nil), logger: logger,
            postmaster: postmaster)
    }

    /// Runs `body` with a database client of its own, started before and stopped after.
    func withClient<T: Sendable>(_ body: (any DatabaseClient) async throws -> T) async throws -> T {
        let client = try await config.makeDatabase(logger: logger)
        return try await client.whileRunning { try await body(client) }
    }

    /// The shop most scenarios start from: `tills` vendors with API tokens and `products` products with a million
    /// of each in `stores` stores (`BenchSeed.stock`), announced on the console. Returns the store ids, the tills' first.
    func seedShop(tills: Int, products: Int, stores: Int) async throws -> (seed: BenchSeed, stores: [Int64]) {
        let started = ContinuousClock.now
        let shop = try await withClient { client in
            let seed = try await BenchSeed.create(client, vendors: tills, logger: logger)
            return (seed, try await BenchSeed.stock(client, products: products, stores: stores))
        }
        print(
            String(
                format: "Seeded %d tills and %d products in %@ in %.1f s (%@).", tills, products, stores == 1 ? "1 store" : "\(stores) stores",
                (ContinuousClock.now - started) / .seconds(1), config.databaseDescription))
        return shop
    }

    /// Starts `stockroom serve` on this database, waits until it is ready, runs `body`, and stops it. A second
    /// node on the same database needs a log of its own (`logName`).
    func serve<T>(logName: String = "server.log", _ body: (ServerProcess) async throws -> T) async throws -> T {
        try await ServerProcess.serving(environment, in: directory, logName: logName, postmaster: postmaster) { server in
            try await server.waitUntilReady()
            return try await body(server)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A plain-text table with right-aligned numbers.
struct BenchTable {
    let header: [String]
    let rows: [[String]]

    init(_ header: [String], _ rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    func print() {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        Swift.print(line(header))
        Swift.print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for row in rows { Swift.print(line(row)) }
    }

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    static func number(_ value: Double?) -> String {
        value.map { String(format: "%.1f", $0) } ?? "-"
    }
}

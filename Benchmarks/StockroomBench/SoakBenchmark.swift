import ArgumentParser
import ChildProcesses
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import SQLKit
import StockroomCore

/// `stockroom-bench soak`: minutes of mixed traffic at a fixed arrival rate — catalog reads, sales, transfers,
/// with notification streams open — then whether anything failed, how latency held, whether the server's memory
/// grew, and whether the books still balance.
struct SoakBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Sustained mixed traffic (reads, sales, transfers, open streams) at a fixed rate; errors, latency, memory over time.",
        discussion: """
            Seeds a fresh database (an owner, --tills vendors with API tokens, two stores, --products products with ample \
            stock), starts `stockroom serve` (built beside this executable), opens one notification stream per vendor, \
            then sends --rate requests a second for --duration seconds: 70 % catalog reads (lists, searches, lookups), \
            20 % sales of 1–3 lines, 10 % transfers between the stores. Samples the server's RSS every 10 s and checks \
            the stock ledger at the end.
            """)

    @OptionGroup var database: BenchDatabaseOptions

    @Option(help: "Requests per second.")
    var rate = 200

    @Option(help: "Seconds of traffic.")
    var duration = 300

    @Option(help: "Vendors (tills), each with an open notification stream.")
    var tills = 64

    @Option(help: "Products in the catalog.")
    var products = 500

    enum Kind: String, CaseIterable { case read, sale, transfer }

    func validate() throws {
        try database.validate()
        guard rate >= 1, duration >= 10, tills >= 1, products >= 10 else {
            throw ValidationError("--rate ≥ 1, --duration ≥ 10, --tills ≥ 1 and --products ≥ 10")
        }
    }

    func run() async throws {
        _ = SystemLimits.raiseOpenFiles()
        let directory = try BenchDatabaseOptions.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = database.url(in: directory)
        var logger = Logger(label: "stockroom-bench")
        logger.logLevel = .error
        let config = try AppConfig.load(environment: ["STOCKROOM_DATABASE_URL": url], envFile: nil)
        let client = try await config.makeDatabase(logger: logger)
        let (seed, stores) = try await client.whileRunning {
            let seed = try await BenchSeed.create(client, vendors: tills, logger: logger)
            return (seed, try await Self.stock(client, products: products))
        }
        print("Seeded \(tills) tills and \(products) products in 2 stores (\(config.databaseDescription)).")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        try await ServerProcess.serving(["STOCKROOM_DATABASE_URL": url, "STOCKROOM_LOG_LEVEL": "warning"], in: directory) { server in
            try await ReportBenchmark.waitUntilReady("http://127.0.0.1:\(server.port)", server: server)
            let recorder = StreamRecorder()
            var streams: [any Channel] = []
            for vendor in seed.vendors {
                streams.append(try await SSEStreamHandler.open(token: vendor.token, host: "127.0.0.1", port: server.port, group: group, recorder: recorder).get())
            }
            let run = try await Traffic(server: server, seed: seed, stores: stores, products: products, group: group, rate: rate, duration: duration).drive()
            let streamState = recorder.snapshot
            recorder.beginClosing()
            for stream in streams { stream.close(promise: nil) }
            let status = await server.terminate()
            try await group.shutdownGracefully()  // on a failure the process ends with its threads
            // A client of its own: the seeding one has been shut down.
            let books = try await config.makeDatabase(logger: logger)
            let ledger = try await books.whileRunning { try await books.read { try await LedgerCheck().mismatches($0) } }
            run.print(streams: streamState.inits, streamFailures: streamState.failedStreams, ledgerMismatches: ledger.count, exitStatus: status)
        }
    }

    /// A second store and `products` products with a million of each in both stores, opening stock in the ledger.
    static func stock(_ database: any DatabaseClient, products: Int) async throws -> [Int64] {
        try await database.withTransaction { transaction in
            let db = transaction.db
            let identity = IdentityRepository()
            let companyID = try await db.raw("SELECT MIN(id) AS id FROM companies").first(decodingColumn: "id", as: Int64.self)!
            let first = try await identity.firstStore(companyID: companyID, db)!.id
            let second = try await identity.insertStore(companyID: companyID, name: "Second", db).id
            let now = Date.now.unixMilliseconds
            try await db.raw("""
                WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < \(bind: products))
                INSERT INTO products (company_id, barcode, name, price_cents, cost_cents, created_at, updated_at)
                SELECT \(bind: companyID), 'SOAK' || n, 'Soak product ' || n, 100 + n % 900, 50 + n % 400, \(bind: now), \(bind: now) FROM seq
                """).run()
            try await db.raw("""
                INSERT INTO stock_levels (store_id, product_id, in_stock, min_stock, updated_at)
                SELECT st.id, p.id, 1000000, 5, \(bind: now) FROM stores st CROSS JOIN products p
                WHERE st.company_id = \(bind: companyID) AND p.company_id = \(bind: companyID)
                """).run()
            try await db.raw("""
                INSERT INTO stock_movements (company_id, store_id, product_id, kind, delta, stock_after, created_at)
                SELECT \(bind: companyID), store_id, product_id, 'opening', in_stock, in_stock, \(bind: now) FROM stock_levels
                """).run()
            return [first, second]
        }
    }
}

/// The traffic itself: requests on schedule (never waiting for earlier answers), latency per kind, RSS every 10 s.
struct Traffic {
    let server: ServerProcess
    let seed: BenchSeed
    let stores: [Int64]
    let products: Int
    let group: any EventLoopGroup
    let rate: Int
    let duration: Int

    final class Results: @unchecked Sendable {
        let lock = NSLock()
        var latencies: [SoakBenchmark.Kind: [Double]] = [:]
        var errors: [String: Int] = [:]
        var memory: [(second: Int, kibibytes: Int)] = []

        func record(_ kind: SoakBenchmark.Kind, _ elapsed: Duration, status: HTTPResponseStatus?) {
            lock.withLock {
                latencies[kind, default: []].append(elapsed / .milliseconds(1))
                if let status, !(200..<300).contains(status.code) { errors["\(kind.rawValue) \(status.code)", default: 0] += 1 }
                if status == nil { errors["\(kind.rawValue) connection", default: 0] += 1 }
            }
        }
    }

    func drive() async throws -> Results {
        let results = Results()
        let tills = seed.vendors.prefix(16).map { RequestClient(host: "127.0.0.1", port: server.port, token: $0.token, group: group) }
        let owner = RequestClient(host: "127.0.0.1", port: server.port, token: seed.owner.token, group: group)
        let interval = Duration.seconds(1) / rate
        let start = ContinuousClock.now
        results.memory.append((0, server.residentKiB() ?? 0))
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                for second in stride(from: 10, through: duration, by: 10) {
                    try? await Task.sleep(until: start + .seconds(second), clock: .continuous)
                    let rss = server.residentKiB() ?? 0
                    results.lock.withLock { results.memory.append((second, rss)) }
                }
            }
            for sequence in 0..<(rate * duration) {
                try? await Task.sleep(until: start + interval * sequence, clock: .continuous)
                let till = tills[sequence % tills.count]
                let roll = sequence % 10
                let product = 1 + (sequence * 7_919) % products
                tasks.addTask {
                    let (kind, client, method, path, body): (SoakBenchmark.Kind, RequestClient, HTTPMethod, String, String?) = switch roll {
                    case 0: (.transfer, owner, .POST, "/api/store-inventory/transfer",
                             #"{"productId": \#(product), "fromStoreId": \#(stores[sequence % 2]), "toStoreId": \#(stores[(sequence + 1) % 2]), "quantity": 1}"#)
                    case 1, 2: (.sale, till, .POST, "/api/sales/bulk",
                                #"{"items": [\#((0...(sequence % 3)).map { #"{"item_id": \#(1 + (product + $0 * 13) % products), "quantity": 1}"# }.joined(separator: ","))]}"#)
                    case 3: (.read, till, .GET, "/api/products?search=\(product)&limit=20", nil)
                    case 4: (.read, till, .GET, "/api/items?q=SOAK\(product)", nil)
                    case 5: (.read, till, .GET, "/api/products/\(product)", nil)
                    default: (.read, till, .GET, "/api/products?page=\(1 + sequence % 10)&limit=50", nil)
                    }
                    let sent = ContinuousClock.now
                    let status = try? await client.send(method, path, json: body)
                    results.record(kind, ContinuousClock.now - sent, status: status)
                }
            }
        }
        for client in tills { await client.close() }
        await owner.close()
        return results
    }
}

extension Traffic.Results {
    func print(streams: Int, streamFailures: Int, ledgerMismatches: Int, exitStatus: Int32) {
        var rows: [[String]] = []
        for kind in SoakBenchmark.Kind.allCases {
            let sorted = (latencies[kind] ?? []).sorted()
            let failed = errors.filter { $0.key.hasPrefix(kind.rawValue) }.values.reduce(0, +)
            rows.append([kind.rawValue, String(sorted.count), String(failed), BenchTable.number(SSEReport.percentile(sorted, 0.5)),
                         BenchTable.number(SSEReport.percentile(sorted, 0.99)), BenchTable.number(SSEReport.percentile(sorted, 0.999))])
        }
        Swift.print("")
        BenchTable(["requests", "count", "errors", "p50 ms", "p99 ms", "p999 ms"], rows).print()
        Swift.print("\nServer RSS (MiB) every 10 s: " + memory.map { String(format: "%.0f", Double($0.kibibytes) / 1024) }.joined(separator: " "))
        if let settled = memory.first(where: { $0.second >= 60 }) ?? memory.dropFirst().first, let last = memory.last {
            Swift.print(String(format: "Growth from %d s to %d s: %+.1f MiB", settled.second, last.second, Double(last.kibibytes - settled.kibibytes) / 1024))
        }
        Swift.print("Streams open: \(streams), dropped: \(streamFailures). Errors: \(errors.isEmpty ? "none" : errors.map { "\($0.key) ×\($0.value)" }.sorted().joined(separator: ", ")).")
        Swift.print("Ledger mismatches after the run: \(ledgerMismatches). Server exit after SIGTERM: \(exitStatus).")
    }
}

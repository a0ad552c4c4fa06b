import ArgumentParser
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import SQLKit
import StockroomCore

/// `stockroom-bench checkout`: tills selling flat out — all on one hot product, then spread over the catalog as
/// real baskets are (Zipf) — and afterwards proof that nothing was oversold: a product sold out under the same
/// crowd stops at exactly zero, and every acknowledged sale is in the books and the ledger.
struct CheckoutBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkout",
        abstract: "Checkout throughput on one hot product and a Zipf spread over the catalog, then an oversell check.",
        discussion: """
            Seeds --products products with a million units each in one store and --tills vendors with API tokens, starts \
            `stockroom serve`; each till is a keep-alive connection that sells one unit (POST /api/sales/bulk) as soon \
            as its last sale is answered. First the shop opens: 4 s of Zipf sales, not measured, then the database's \
            statistics gathered as autovacuum would have by then. Phase 1: every till sells product 1 (one stock row, the worst contention). \
            Phase 2: each sale picks a product by Zipf (s = 1) over the catalog. Each runs --duration seconds after 2 s \
            of warm-up. Then product 1 is set to --sell-out units (PATCH /api/store-inventory/stock) and every till \
            buys one unit at a time until refused: exactly --sell-out sales must succeed and the stock end at 0. Last, \
            in the database: no stock below zero, the ledger balances, and the units in sale lines equal the units \
            the server acknowledged.
            """)

    @OptionGroup var database: BenchDatabaseOptions

    @Option(help: "Products in the catalog (the Zipf spread).")
    var products = 1_000

    @Option(help: "Concurrent tills, one keep-alive connection and one vendor each.")
    var tills = 64

    @Option(help: "Seconds measured per phase (after 2 s of warm-up).")
    var duration = 20

    @Option(help: "Units of product 1 put on the shelf for the sell-out.")
    var sellOut = 500

    @Option(help: "Lines per sale in the basket phase (distinct products drawn by Zipf, one unit each).")
    var lines = 5

    @Flag(help: "Each sale carries an Idempotency-Key of its own, as the web till sends every charge.")
    var keyed = false

    func validate() throws {
        try database.validate()
        guard products >= 2, tills >= 1, duration >= 1, sellOut >= 1, (1...min(products, 200)).contains(lines) else {
            throw ValidationError("--products ≥ 2; --tills, --duration and --sell-out ≥ 1; --lines from 1 to the products (at most 200)")
        }
    }

    func run() async throws {
        let bench = try await database.prepare()
        defer { bench.remove() }
        let (seed, stores) = try await bench.seedShop(tills: tills, products: products, stores: 1)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let acknowledged = LatencyRecorder()  // every one-unit sale answered 2xx in any phase, warm-ups included
        let acknowledgedBaskets = LatencyRecorder()  // the same for the `lines`-unit sales
        let (table, soldOut) = try await bench.serve { server in
            let clients = seed.vendors.map { RequestClient(host: "127.0.0.1", port: server.port, token: $0.token, group: group, maxConnections: 1) }
            var table = LoadTable()
            let zipf = Zipf(count: products)
            // The shop has been open a while before the phases: a stretch of sales (not measured), then the
            // statistics autovacuum would have gathered by then. On a database minutes old, PostgreSQL checks a sale
            // line's sale with the plan it made for the empty `sales` table — a walk of the whole table per line,
            // kept for the connection's life until the table is analyzed (BENCHMARKS.md, issue #18).
            let opening = await ClosedLoop.measure(clients, server: server, for: .seconds(2), warmUpRecorder: acknowledged) { worker, iteration in
                Self.sale(of: zipf.pick(worker: worker, iteration: iteration), keyed: keyed)
            }
            opening.0.copySuccesses(into: acknowledged)
            try await bench.withClient { try await BenchSeed.settle($0) }
            let hot = await ClosedLoop.measure(clients, server: server, for: .seconds(duration), warmUpRecorder: acknowledged) { [keyed] _, _ in
                Self.sale(of: 1, keyed: keyed)
            }
            table.add("hot product", hot.0.summary(), seconds: hot.1.seconds, usage: hot.1)
            let spread = await ClosedLoop.measure(clients, server: server, for: .seconds(duration), warmUpRecorder: acknowledged) {
                worker, iteration in
                Self.sale(of: zipf.pick(worker: worker, iteration: iteration), keyed: keyed)
            }
            table.add("Zipf over \(products)", spread.0.summary(), seconds: spread.1.seconds, usage: spread.1)
            for phase in [hot.0, spread.0] { phase.copySuccesses(into: acknowledged) }
            // baskets: each sale `lines` distinct products by Zipf (its warm-up counted apart: a sale is `lines` units)
            let baskets = await ClosedLoop.measure(clients, server: server, for: .seconds(duration), warmUpRecorder: acknowledgedBaskets) {
                worker, iteration in
                Self.basket(zipf, lines: lines, keyed: keyed, worker: worker, iteration: iteration)
            }
            table.add("Zipf, \(lines)-line sales", baskets.0.summary(), seconds: baskets.1.seconds, usage: baskets.1)
            baskets.0.copySuccesses(into: acknowledgedBaskets)

            let owner = RequestClient(host: "127.0.0.1", port: server.port, token: seed.owner.token, group: group)
            let shelved = try await owner.send(
                .PATCH, "/api/store-inventory/stock",
                json: """
                    {"productId": 1, "storeId": \(stores[0]), "stock": \(sellOut), "reason": "Bench sell-out"}
                    """)
            guard shelved == .ok else { throw ServerProcess.Failure(description: "setting the sell-out stock answered \(shelved.code)") }
            let sellOut = try await Self.sellOut(clients, keyed: keyed, server: server)
            table.add("sell-out of \(self.sellOut)", sellOut.recorder.summary(), seconds: sellOut.usage.seconds, usage: sellOut.usage)
            sellOut.recorder.copySuccesses(into: acknowledged)
            for client in clients + [owner] { await client.close() }
            return (table, sellOut.recorder.summary())
        }
        try await group.shutdownGracefully()
        table.print()

        let books = try await bench.withClient { client in
            try await client.read { db in
                let negative =
                    try await db.raw("SELECT COUNT(*) AS n FROM stock_levels WHERE in_stock < 0").first(decodingColumn: "n", as: Int64.self) ?? -1
                let hotLeft =
                    try await db.raw("SELECT in_stock FROM stock_levels WHERE product_id = 1").first(decodingColumn: "in_stock", as: Int64.self) ?? -1
                let units =
                    try await db.raw("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) AS n FROM sale_lines").first(
                        decodingColumn: "n", as: Int64.self) ?? -1
                return (negative, hotLeft, units, try await LedgerRepository().mismatches(db).count)
            }
        }
        let acknowledgedUnits = acknowledged.summary().succeeded + lines * acknowledgedBaskets.summary().succeeded
        let oversold = soldOut.succeeded != sellOut || books.1 != 0 || books.0 != 0 || books.3 != 0 || books.2 != Int64(acknowledgedUnits)
        print(
            """

            Sell-out: \(soldOut.succeeded) of \(sellOut) units sold, \(soldOut.refusals) refused (409), product 1 left at \(books.1).
            Books: \(books.0) stock rows below zero, \(books.3) ledger mismatches; \(books.2) units in sale lines, \
            \(acknowledgedUnits) acknowledged by the server (warm-ups included).
            Oversell check: \(oversold ? "FAILED" : "passed").
            """)
        let errors = acknowledged.summary().errorKinds
        if !errors.isEmpty { print("Errors: " + errors.joined(separator: ", ")) }
        if oversold { throw ExitCode.failure }
    }

    /// A sale of `lines` distinct products, one unit each, drawn by Zipf.
    static func basket(_ zipf: Zipf, lines: Int, keyed: Bool, worker: Int, iteration: Int) -> BenchRequest {
        var picked: [Int] = []
        var draw = 0
        while picked.count < lines {
            // (after many repeats, the smallest product not taken yet: the loop always ends)
            let product =
                draw < 64 * lines
                ? zipf.pick(worker: worker, iteration: iteration &* 1_000 &+ draw) : (1...).first { !picked.contains($0) }!
            if !picked.contains(product) { picked.append(product) }
            draw += 1
        }
        let items = picked.map { #"{"item_id": \#($0), "quantity": 1}"# }.joined(separator: ", ")
        return BenchRequest(kind: "sale", method: .POST, path: "/api/sales/bulk", body: #"{"items": [\#(items)]}"#, idempotencyKey: key(keyed))
    }

    static func sale(of product: Int, keyed: Bool) -> BenchRequest {
        BenchRequest(
            kind: "sale", method: .POST, path: "/api/sales/bulk", body: #"{"items": [{"item_id": \#(product), "quantity": 1}]}"#,
            idempotencyKey: key(keyed))
    }

    /// A new key for each sale (`--keyed`), none otherwise.
    static func key(_ keyed: Bool) -> String? {
        keyed ? UUID().uuidString : nil
    }

    /// Every till buys one unit of product 1 at a time until the server refuses (409: not enough stock).
    static func sellOut(
        _ clients: [RequestClient], keyed: Bool, server: ServerProcess
    ) async throws -> (recorder: LatencyRecorder, usage: ServerUsage.Phase) {
        let recorder = LatencyRecorder { $0 == .conflict }
        let usage = ServerUsage(server)
        let giveUp = ContinuousClock.now + .seconds(120)
        await withTaskGroup(of: Void.self) { tills in
            for client in clients {
                tills.addTask {
                    while ContinuousClock.now < giveUp {
                        let sent = ContinuousClock.now
                        let request = sale(of: 1, keyed: keyed)
                        let status = try? await client.send(.POST, request.path, json: request.body, idempotencyKey: request.idempotencyKey)
                        recorder.record("sale", ContinuousClock.now - sent, status: status)
                        if status.map({ !(200..<300).contains($0.code) }) ?? true { return }
                    }
                }
            }
        }
        return (recorder, usage.end())
    }
}

/// Product numbers 1…count drawn by Zipf's law (s = 1): product k is chosen in proportion to 1/k, as a few best
/// sellers make most of a shop's sales. Deterministic per worker and iteration, so runs repeat.
struct Zipf: Sendable {
    private let cumulative: [Double]

    init(count: Int) {
        var running = 0.0
        cumulative = (1...count).map { rank in
            running += 1 / Double(rank)
            return running
        }
    }

    func pick(worker: Int, iteration: Int) -> Int {
        // SplitMix64 of (worker, iteration): a uniform number in [0, 1) without shared generator state.
        var z = UInt64(truncatingIfNeeded: worker) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: iteration) &+ 0x632B_E59B_D9B4_E019
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let target = Double(z >> 11) / Double(1 << 53) * cumulative[cumulative.count - 1]
        var (low, high) = (0, cumulative.count - 1)
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low + 1
    }
}

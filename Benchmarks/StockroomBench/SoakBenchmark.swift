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
            the stock ledger at the end. Fails (exit 1) on any error, a stream that dropped or erred, a ledger \
            mismatch, or memory that grew more than --max-growth MiB from the first minute to the end.
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

    @Option(help: "MiB the server's memory may grow from 60 s (or the second sample) to the end before the run fails.")
    var maxGrowth = 16.0

    func validate() throws {
        try database.validate()
        guard rate >= 1, duration >= 10, tills >= 1, products >= 10 else {
            throw ValidationError("--rate ≥ 1, --duration ≥ 10, --tills ≥ 1 and --products ≥ 10")
        }
    }

    func run() async throws {
        let bench = try await database.prepare()
        defer { bench.remove() }
        let (latencies, memory, phase, streams) = try await Traffic.withShop(bench, tills: tills, products: products) { traffic, streams in
            let latencies = LatencyRecorder()
            let memory = MemorySamples()
            let usage = ServerUsage(traffic.server)
            async let sampling: Void = memory.sample(traffic.server, every: 10, for: duration, from: .now)
            await traffic.drive(rate: rate, duration: duration, recorder: latencies)
            await sampling
            return (latencies, memory, usage.end(), streams.snapshot)
        }
        let ledger = try await bench.withClient { books in try await books.read { try await LedgerRepository().mismatches($0) } }
        var table = LoadTable()
        for kind in Traffic.Kind.allCases { table.add(kind.rawValue, latencies.summary([kind.rawValue]), seconds: Double(duration), usage: nil) }
        table.add("all", latencies.summary(), seconds: Double(duration), usage: phase)
        table.print()
        memory.print()
        let errors = latencies.summary().errorKinds
        let streamErrors = streams.errors.map { "\($0.key) ×\($0.value)" }.sorted()
        print(
            "Streams open: \(streams.inits), dropped: \(streams.failedStreams), stream errors: "
                + (streamErrors.isEmpty ? "none" : streamErrors.joined(separator: ", ")) + ".")
        print("Errors: \(errors.isEmpty ? "none" : errors.joined(separator: ", ")).")
        print("Ledger mismatches after the run (the server stopped): \(ledger.count).")
        // The verdict: a soak that only printed its troubles would pass whatever happened.
        var failures: [String] = []
        if !errors.isEmpty { failures.append("\(errors.count) kinds of request errors") }
        if streams.failedStreams > 0 || !streamErrors.isEmpty { failures.append("streams dropped or erred") }
        if streams.inits < tills { failures.append("only \(streams.inits) of \(tills) streams opened") }
        if !ledger.isEmpty { failures.append("\(ledger.count) ledger mismatches") }
        if let growth = memory.growthMiB, growth > maxGrowth {
            failures.append(String(format: "memory grew %.1f MiB (limit %.0f)", growth, maxGrowth))
        }
        print(failures.isEmpty ? "Soak passed." : "Soak FAILED: " + failures.joined(separator: "; ") + ".")
        if !failures.isEmpty { throw ExitCode.failure }
    }
}

/// Realistic traffic at a fixed arrival rate: requests leave on schedule whether or not earlier ones have been
/// answered (an open loop, as customers arrive), and latency counts from the scheduled time, so a server that falls
/// behind is charged for the queue it builds. 70 % catalog reads (lists, searches, lookups), 20 % sales of 1–3
/// lines, 10 % transfers of one unit between two stores.
struct Traffic {
    let server: ServerProcess
    let seed: BenchSeed
    let stores: [Int64]
    let products: Int
    let group: any EventLoopGroup

    enum Kind: String, CaseIterable { case read, sale, transfer }

    /// The shop the soak and the stepped scenario drive: two stores, seeded and served, with one open notification
    /// stream per till, as the tills' browsers keep them. `body` gets the traffic and what the streams saw; the streams
    /// close after it, then the server stops.
    static func withShop<T>(
        _ bench: BenchDatabase, tills: Int, products: Int, _ body: (Traffic, StreamRecorder) async throws -> T
    ) async throws -> T {
        let (seed, stores) = try await bench.seedShop(tills: tills, products: products, stores: 2)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let result = try await bench.serve { server in
            let recorder = StreamRecorder()
            var streams: [any Channel] = []
            for vendor in seed.vendors {
                streams.append(
                    try await SSEStreamHandler.open(token: vendor.token, host: "127.0.0.1", port: server.port, group: group, recorder: recorder).get()
                )
            }
            let result = try await body(Traffic(server: server, seed: seed, stores: stores, products: products, group: group), recorder)
            recorder.beginClosing()
            for stream in streams { stream.close(promise: nil) }
            return result
        }
        try await group.shutdownGracefully()  // on a failure the process ends with its threads
        return result
    }

    /// `rate` requests a second for `duration` seconds; returns once every one has been answered.
    func drive(rate: Int, duration: Int, recorder: LatencyRecorder) async {
        // At most 16 connections per till (and for the owner): past capacity requests queue in the bench.
        let tills = seed.vendors.prefix(16).map {
            RequestClient(host: "127.0.0.1", port: server.port, token: $0.token, group: group, maxConnections: 16)
        }
        let owner = RequestClient(host: "127.0.0.1", port: server.port, token: seed.owner.token, group: group, maxConnections: 16)
        let interval = Duration.seconds(1) / rate
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { tasks in
            for sequence in 0..<(rate * duration) {
                let scheduled = start + interval * sequence
                try? await Task.sleep(until: scheduled, clock: .continuous)
                let till = tills[sequence % tills.count]
                let request = next(sequence)
                tasks.addTask {
                    let status = try? await (request.kind == Kind.transfer.rawValue ? owner : till).send(
                        request.method, request.path, json: request.body)
                    recorder.record(request.kind, ContinuousClock.now - scheduled, status: status)
                }
            }
        }
        for client in tills { await client.close() }
        await owner.close()
    }

    /// The `sequence`-th request of the mix; products spread over the catalog by a large prime stride.
    private func next(_ sequence: Int) -> BenchRequest {
        let product = 1 + (sequence * 7_919) % products
        return switch sequence % 10 {
        case 0:
            BenchRequest(
                kind: Kind.transfer.rawValue, method: .POST, path: "/api/store-inventory/transfer",
                body:
                    #"{"productId": \#(product), "fromStoreId": \#(stores[sequence % 2]), "toStoreId": \#(stores[(sequence + 1) % 2]), "quantity": 1}"#
            )
        case 1, 2:
            BenchRequest(
                kind: Kind.sale.rawValue, method: .POST, path: "/api/sales/bulk",
                body:
                    #"{"items": [\#((0...(sequence % 3)).map { #"{"item_id": \#(1 + (product + $0 * 13) % products), "quantity": 1}"# }.joined(separator: ","))]}"#
            )
        case 3: BenchRequest(kind: Kind.read.rawValue, method: .GET, path: "/api/products?search=\(product)&limit=20")
        case 4: BenchRequest(kind: Kind.read.rawValue, method: .GET, path: "/api/items?q=SOAK\(product)")
        case 5: BenchRequest(kind: Kind.read.rawValue, method: .GET, path: "/api/products/\(product)")
        default: BenchRequest(kind: Kind.read.rawValue, method: .GET, path: "/api/products?page=\(1 + sequence % 10)&limit=50")
        }
    }
}

/// The server's resident memory sampled at a fixed interval, to see whether it grows under a steady load.
final class MemorySamples: @unchecked Sendable {
    private let lock = NSLock()
    private var samples: [(second: Int, kibibytes: Int)] = []

    func sample(_ server: ServerProcess, every interval: Int, for duration: Int, from start: ContinuousClock.Instant) async {
        for second in stride(from: 0, through: duration, by: interval) {
            try? await Task.sleep(until: start + .seconds(second), clock: .continuous)
            let rss = server.residentKiB() ?? 0
            lock.withLock { samples.append((second, rss)) }
        }
    }

    /// From the first sample at or after 60 s (start-up and warm-up done), else the second, to the last.
    private var settledAndLast: (settled: (second: Int, kibibytes: Int), last: (second: Int, kibibytes: Int))? {
        let memory = lock.withLock { samples }
        guard let settled = memory.first(where: { $0.second >= 60 }) ?? memory.dropFirst().first, let last = memory.last else { return nil }
        return (settled, last)
    }

    var growthMiB: Double? {
        settledAndLast.map { Double($0.last.kibibytes - $0.settled.kibibytes) / 1024 }
    }

    func print() {
        let memory = lock.withLock { samples }
        Swift.print("\nServer RSS (MiB) every 10 s: " + memory.map { String(format: "%.0f", Double($0.kibibytes) / 1024) }.joined(separator: " "))
        if let (settled, last) = settledAndLast, let growth = growthMiB {
            Swift.print(String(format: "Growth from %d s to %d s: %+.1f MiB", settled.second, last.second, growth))
        }
    }
}

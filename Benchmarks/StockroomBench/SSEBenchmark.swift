import ArgumentParser
import ChildProcesses
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import StockroomCore

/// `stockroom-bench sse`: many open notification streams on one server, and how fast an event reaches them.
struct SSEBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sse",
        abstract: "Open N notification streams against a separate server process, then send notifications at a fixed rate.",
        discussion: """
            Seeds a fresh database (one company, one store, N vendors each with an API token), starts `stockroom serve` \
            (built beside this executable) on a free loopback port, opens one stream per vendor, measures the server's \
            RSS before and after, then sends `POST /api/notifications/create` to random vendors at --rate for --duration \
            seconds and times each `update` from the request's send time.
            """)

    @Option(help: "Streams to open, one per seeded user.")
    var streams = 10_000

    @Option(help: "Notifications sent per second.")
    var rate = 100

    @Option(help: "Seconds to send notifications for.")
    var duration = 20

    @OptionGroup var database: BenchDatabaseOptions

    @Option(help: "Write every latency (CSV: sequence, send time from the first event, latency) to this file.")
    var latenciesCSV: String?

    @Option(help: "Server processes on the database: 2 (PostgreSQL only) opens the streams on one and creates the notifications through the other.")
    var nodes = 1

    @Option(help: "Streams being opened at once (the rest wait), so the server's accept backlog never overflows.")
    var openWindow = 200

    func validate() throws {
        try database.validate()
        guard streams >= 1, rate >= 1, duration >= 1, openWindow >= 1 else {
            throw ValidationError("--streams, --rate, --duration and --open-window must be at least 1")
        }
        guard nodes == 1 || nodes == 2 && database.engine == .postgres else {
            throw ValidationError("--nodes is 1, or 2 with --engine postgres (nodes share events through PostgreSQL)")
        }
    }

    func run() async throws {
        let descriptors = SystemLimits.raiseOpenFiles()
        if descriptors < streams + 100 {
            throw ValidationError("open-file limit \(descriptors) is too low for \(streams) streams (raise `ulimit -n`)")
        }
        let bench = try await database.prepare()
        defer { bench.remove() }
        let seedStart = ContinuousClock.now
        let seed = try await bench.withClient { try await BenchSeed.create($0, vendors: streams, logger: bench.logger) }
        let seeded = (ContinuousClock.now - seedStart) / .seconds(1)
        print("Seeded \(streams) users with tokens in \(String(format: "%.1f", seeded)) s (\(bench.config.databaseDescription)).")

        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        do {
            let report = try await bench.serve { streamsNode in
                guard nodes == 2 else {
                    return try await SSERun(server: streamsNode, sender: streamsNode, seed: seed, group: group, options: self).measure()
                }
                // The streams on one node, the notifications created through the other: every event crosses nodes.
                return try await bench.serve(logName: "sender.log") { sender in
                    try await SSERun(server: streamsNode, sender: sender, seed: seed, group: group, options: self).measure()
                }
            }
            try await group.shutdownGracefully()
            report.print()
            if let latenciesCSV { try report.writeLatencies(to: latenciesCSV) }
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }
}

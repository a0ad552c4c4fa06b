import ChildProcesses
import ArgumentParser
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

    @Option(help: "Streams being opened at once (the rest wait), so the server's accept backlog never overflows.")
    var openWindow = 200

    func validate() throws {
        try database.validate()
        guard streams >= 1, rate >= 1, duration >= 1, openWindow >= 1 else {
            throw ValidationError("--streams, --rate, --duration and --open-window must be at least 1")
        }
    }

    func run() async throws {
        let descriptors = SystemLimits.raiseOpenFiles()
        if descriptors < streams + 100 {
            throw ValidationError("open-file limit \(descriptors) is too low for \(streams) streams (raise `ulimit -n`)")
        }
        let directory = try BenchDatabaseOptions.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = database.url(in: directory)

        var logger = Logger(label: "stockroom-bench")
        // PostgresNIO warns when the first query races the client's start (`whileRunning` starts both at once).
        logger.logLevel = .error
        let config = try AppConfig.load(environment: ["STOCKROOM_DATABASE_URL": url], envFile: nil)
        let seedStart = ContinuousClock.now
        let client = try await config.makeDatabase(logger: logger)
        let seed = try await client.whileRunning { try await BenchSeed.create(client, vendors: streams, logger: logger) }
        let seeded = (ContinuousClock.now - seedStart) / .seconds(1)
        print("Seeded \(streams) users with tokens in \(String(format: "%.1f", seeded)) s (\(config.databaseDescription)).")

        // Request logs off: the server's own logging is not what is measured.
        let server = try ServerProcess(
            port: Processes.freeLoopbackPort(), environment: ["STOCKROOM_DATABASE_URL": url, "STOCKROOM_LOG_LEVEL": "warning"],
            directory: directory.path, logPath: directory.appending(path: "server.log").path)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        do {
            let report = try await SSERun(server: server, seed: seed, group: group, options: self).measure()
            let status = await server.terminate()
            try await group.shutdownGracefully()
            report.print()
            if let latenciesCSV { try report.writeLatencies(to: latenciesCSV) }
            if status != 0 { print("server exited with \(status) after SIGTERM:\n\(server.output)") }
        } catch {
            await server.terminate()
            try? await group.shutdownGracefully()
            print("server output:\n\(server.output)")
            throw error
        }
    }
}

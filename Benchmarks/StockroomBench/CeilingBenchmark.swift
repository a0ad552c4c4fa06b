import ArgumentParser
import ChildProcesses
import Foundation
import Hummingbird
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// `stockroom-bench ceiling`: what this machine can do at all, measured the way the scenarios measure Stockroom,
/// so their numbers can be read as a fraction of it — a minimal Hummingbird server's requests per second under the
/// same client, Stockroom's own `GET /api/health` beside it (what the request pipeline costs before any work),
/// and the disk's rate of durable writes (what a committed sale costs at the least).
struct CeilingBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ceiling",
        abstract: "The machine's limits: a hello-world Hummingbird server's req/s, and the disk's fsync rate.",
        discussion: """
            Starts a minimal Hummingbird server (GET /hello answers "Hello, world!") as its own process and drives it \
            with the catalog scenario's client (--connections keep-alive connections, each sending its next request as \
            soon as the last is answered) for --duration seconds; then the release stockroom server on a fresh SQLite \
            file the same way with GET /api/health (no sign-in, no database), printed as a share of hello world. Then writes 8 KiB and calls fdatasync in a loop for \
            --fsync-seconds in the temporary directory (one writer: unbatched, as one SQLite commit), and runs \
            PostgreSQL's pg_test_fsync when it is installed.
            """)

    @Option(help: "Concurrent connections, as in the catalog scenario.")
    var connections = 64

    @Option(help: "Seconds of hello-world load (after 2 s of warm-up).")
    var duration = 20

    @Option(help: "Seconds of durable writes.")
    var fsyncSeconds = 5

    func validate() throws {
        guard connections >= 1, duration >= 1, fsyncSeconds >= 1 else { throw ValidationError("every option must be at least 1") }
    }

    func run() async throws {
        _ = SystemLimits.raiseOpenFiles()
        let directory = FileManager.default.temporaryDirectory.appending(path: "stockroom-ceiling-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let port = Processes.freeLoopbackPort()
        let hello = try RunningProcess(
            ServerProcess.benchExecutable(), ["hello-server", "--port", String(port)], environment: [:],
            logPath: directory.appending(path: "hello.log").path)
        let server = ServerProcess(process: hello, port: port)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        var table = LoadTable()
        var helloRate = 0.0
        do {
            try await server.waitUntilReady(path: "/hello")
            let clients = (0..<connections).map { _ in RequestClient(host: "127.0.0.1", port: port, token: nil, group: group, maxConnections: 1) }
            let (recorder, usage) = await ClosedLoop.measure(clients, server: server, for: .seconds(duration)) { _, _ in
                BenchRequest(kind: "hello", method: .GET, path: "/hello")
            }
            let summary = recorder.summary()
            table.add("hello world", summary, seconds: usage.seconds, usage: usage)
            helloRate = Double(summary.count) / max(usage.seconds, 0.001)
            for client in clients { await client.close() }
            await server.terminate()
        } catch {
            await server.terminate()
            print("hello-world server output:\n\(server.output)")
            throw error
        }
        let bench = try await BenchDatabase.prepare(.sqlite)
        defer { bench.remove() }
        // As the other scenarios run it (request logs off: STOCKROOM_LOG_LEVEL=warning), then at the default level,
        // where every request writes its log line.
        var health: (LatencyRecorder.Summary, ServerUsage.Phase)?
        for (name, level) in [("stockroom /api/health", "warning"), ("… with request logs (info)", "info")] {
            let environment = bench.environment.merging(["STOCKROOM_LOG_LEVEL": level]) { _, chosen in chosen }
            let measured = try await ServerProcess.serving(environment, in: bench.directory, logName: "health-\(level).log") { server in
                try await server.waitUntilReady()
                let clients = (0..<connections).map { _ in
                    RequestClient(host: "127.0.0.1", port: server.port, token: nil, group: group, maxConnections: 1)
                }
                let (recorder, usage) = await ClosedLoop.measure(clients, server: server, for: .seconds(duration)) { _, _ in
                    BenchRequest(kind: "health", method: .GET, path: "/api/health")
                }
                for client in clients { await client.close() }
                return (recorder.summary(), usage)
            }
            table.add(name, measured.0, seconds: measured.1.seconds, usage: measured.1)
            if health == nil { health = measured }
        }
        guard let health else { return }
        try await group.shutdownGracefully()
        table.print()
        let healthRate = Double(health.0.count) / max(health.1.seconds, 0.001)
        if helloRate > 0 { print(String(format: "\n/api/health: %.1f %% of hello world in this run.", healthRate / helloRate * 100)) }

        let rate = try Self.fdatasyncRate(in: directory, for: fsyncSeconds)
        print(
            String(
                format: "\nDisk: %.0f durable 8 KiB writes a second (write + fdatasync, one writer, %d s, in %@).", rate, fsyncSeconds, directory.path
            ))
        if let bin = PostgresCluster.findBinDirectory()?.appending(path: "pg_test_fsync"), FileManager.default.isExecutableFile(atPath: bin.path) {
            // Two seconds for each of its ~19 tests; only the first group is what a commit does.
            let output = try await ChildProcess.run(bin.path, ["-s", "2", "-f", directory.appending(path: "pg_test_fsync.out").path])
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            let first = lines.drop { !$0.contains("one 8kB write") }.prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            print("\npg_test_fsync -s 2 (\(bin.path)):\n" + first.joined(separator: "\n"))
        }
    }

    /// Durable 8 KiB writes per second at one place in one file, as a database's log write at commit.
    static func fdatasyncRate(in directory: URL, for seconds: Int) throws -> Double {
        let path = directory.appending(path: "fsync.probe").path
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard file >= 0 else { throw ProcessFailure(description: "cannot create \(path)") }
        defer {
            close(file)
            unlink(path)
        }
        let block = [UInt8](repeating: 0x5A, count: 8192)
        let end = ContinuousClock.now + .seconds(seconds)
        let start = ContinuousClock.now
        var writes = 0
        while ContinuousClock.now < end {
            guard pwrite(file, block, block.count, 0) == block.count, fdatasync(file) == 0 else {
                throw ProcessFailure(description: "write or fdatasync failed: \(String(cString: strerror(errno)))")
            }
            writes += 1
        }
        return Double(writes) / ((ContinuousClock.now - start) / .seconds(1))
    }
}

/// `stockroom-bench hello-server --port N` (hidden): the smallest Hummingbird application, for the ceiling.
struct HelloServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hello-server", shouldDisplay: false)

    @Option var port: Int

    func run() async throws {
        let router = Router()
        router.get("hello") { _, _ in "Hello, world!" }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }
}

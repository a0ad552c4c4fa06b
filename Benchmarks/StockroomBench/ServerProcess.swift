import ChildProcesses
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The server under test as a separate OS process: the `stockroom` executable built beside this one, so that the
/// server's memory, descriptors and CPU are its own and the bench's clients are not counted in them.
final class ServerProcess: Sendable {
    typealias Failure = ProcessFailure

    let process: RunningProcess
    let port: Int
    /// The PostgreSQL cluster's main process when the bench started the cluster (its CPU is the database's).
    let postmaster: pid_t?
    var pid: pid_t { process.pid }
    var logPath: String { process.logPath }

    /// This bench's own executable.
    static func benchExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The `stockroom` executable in the directory of the running bench (both are products of one build). `swift run
    /// stockroom-bench` builds only the bench, so when the bench runs from a package's build folder the server is
    /// built (or found up to date) first, with the same configuration: one command runs a scenario on a fresh clone.
    static let executable = Task { try await findOrBuild() }

    private static func findOrBuild() async throws -> String {
        let bench = URL(filePath: benchExecutable())
        let path = bench.deletingLastPathComponent().appending(path: "stockroom").path
        if let package = packageRoot(of: bench) {
            let configuration = bench.deletingLastPathComponent().lastPathComponent == "debug" ? "debug" : "release"
            print("Building the server: swift build -c \(configuration) --product stockroom")
            try await ChildProcess.run(
                "/usr/bin/env", ["swift", "build", "--package-path", package.path, "-c", configuration, "--product", "stockroom"])
        }
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(description: "no stockroom executable at \(path): build it with `swift build -c release --product stockroom`")
        }
        return path
    }

    /// The package whose `.build` folder holds `executable`, if it is in one.
    private static func packageRoot(of executable: URL) -> URL? {
        var directory = executable.deletingLastPathComponent()
        while directory.pathComponents.count > 1 {
            if directory.lastPathComponent == ".build" {
                let package = directory.deletingLastPathComponent()
                return FileManager.default.fileExists(atPath: package.appending(path: "Package.swift").path) ? package : nil
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// Starts `stockroom serve` on `port` with `environment` (over this process's, minus its `STOCKROOM_*`
    /// settings), in `directory` (so no stray `.env` is read), with its output in `logPath`.
    init(port: Int, environment: [String: String], directory: String, logPath: String, postmaster: pid_t? = nil) async throws {
        var environment = environment
        environment["STOCKROOM_HOST"] = "127.0.0.1"
        environment["STOCKROOM_PORT"] = String(port)
        process = try RunningProcess(await Self.executable.value, ["serve"], environment: environment, directory: directory, logPath: logPath)
        self.port = port
        self.postmaster = postmaster
    }

    /// Another server the bench started (the hello-world of the ceiling), watched and stopped the same way.
    init(process: RunningProcess, port: Int) {
        self.process = process
        self.port = port
        postmaster = nil
    }

    /// Nil while the server runs; its exit status (128 + signal) once reaped.
    var exitStatus: Int32? { process.exitStatus }

    var output: String { process.output }

    /// SIGTERM (a graceful shutdown), SIGKILL after `giveUpAfter`; returns once the server is reaped.
    @discardableResult
    func terminate(giveUpAfter: Duration = .seconds(30)) async -> Int32 {
        await process.terminate(giveUpAfter: giveUpAfter)
    }

    /// The server's resident memory in KiB.
    func residentKiB() -> Int? { process.residentKiB() }

    /// Returns once `/api/health/ready` answers 200 (migrations done, database reachable); throws if the server
    /// exits first or is not ready within two minutes.
    func waitUntilReady(path: String = "/api/health/ready") async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        let address = URL(string: "http://127.0.0.1:\(port)\(path)")!
        while ContinuousClock.now < deadline {
            if let status = exitStatus { throw Failure(description: "the server exited with \(status) at start:\n\(output)") }
            if let (_, response) = try? await URLSession.shared.data(from: address), (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "the server was not ready after 120 s:\n\(output)")
    }

    /// Starts `stockroom serve` on a free port with `environment`, in `directory` (its output in `logName` there),
    /// runs `body`, and stops the server however `body` ends (a body may stop it itself first, for its exit status);
    /// when `body` throws, the server's output is printed before the error goes on.
    static func serving<T>(
        _ environment: [String: String], in directory: URL, logName: String = "server.log", postmaster: pid_t? = nil,
        _ body: (ServerProcess) async throws -> T
    ) async throws -> T {
        let server = try await ServerProcess(
            port: Processes.freeLoopbackPort(), environment: environment, directory: directory.path,
            logPath: directory.appending(path: logName).path, postmaster: postmaster)
        do {
            let result = try await body(server)
            let status = await server.terminate()
            if status != 0 { print("The server exited with \(status) after SIGTERM:\n\(server.output.suffix(4_000))") }
            return result
        } catch {
            await server.terminate()
            print("server output:\n\(server.output.suffix(8_000))")
            throw error
        }
    }
}

enum SystemLimits {
    /// Raises the soft descriptor limit to the hard one: every open stream is a socket, on both sides. The server,
    /// spawned afterwards, inherits the raised limit.
    static func raiseOpenFiles() -> Int {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(limit.rlim_cur)
    }
}

import ChildProcesses
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The server under test as a separate OS process: the `stockroom` executable built beside this one, so that the
/// server's memory, descriptors and CPU are its own and the bench's clients are not counted in them.
final class ServerProcess: Sendable {
    typealias Failure = ProcessFailure

    let process: RunningProcess
    let port: Int
    var pid: pid_t { process.pid }
    var logPath: String { process.logPath }

    /// The `stockroom` executable in the directory of the running bench (both are products of one build).
    static func executable() throws -> String {
        let bench = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let path = URL(filePath: bench).deletingLastPathComponent().appending(path: "stockroom").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(description: "no stockroom executable at \(path): build it with `swift build -c release --product stockroom`")
        }
        return path
    }

    /// Starts `stockroom serve` on `port` with `environment` (over this process's, minus its `STOCKROOM_*`
    /// settings), in `directory` (so no stray `.env` is read), with its output in `logPath`.
    init(port: Int, environment: [String: String], directory: String, logPath: String) throws {
        var environment = environment
        environment["STOCKROOM_HOST"] = "127.0.0.1"
        environment["STOCKROOM_PORT"] = String(port)
        process = try RunningProcess(Self.executable(), ["serve"], environment: environment, directory: directory, logPath: logPath)
        self.port = port
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

    /// Starts `stockroom serve` on a free port with `environment`, in `directory` (its log there), runs `body`, and
    /// stops the server however `body` ends (a body may stop it itself first, for its exit status); when `body`
    /// throws, the server's output is printed before the error goes on.
    static func serving<T>(
        _ environment: [String: String], in directory: URL, _ body: (ServerProcess) async throws -> T
    ) async throws -> T {
        let server = try ServerProcess(
            port: Processes.freeLoopbackPort(), environment: environment, directory: directory.path,
            logPath: directory.appending(path: "server.log").path)
        do {
            let result = try await body(server)
            await server.terminate()
            return result
        } catch {
            await server.terminate()
            print("server output:\n\(server.output)")
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

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The server under test as a separate OS process: the `stockroom` executable built beside this one, so that the
/// server's memory, descriptors and CPU are its own and the bench's clients are not counted in them.
final class ServerProcess: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let pid: pid_t
    let port: Int
    let logPath: String
    private let lock = NSLock()
    private var status: Int32?

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
    /// settings), in `directory` (so no stray `.env` is read), with its output in `logPath`. posix_spawn, not
    /// Foundation's Process, which has left children unreaped on Linux.
    init(port: Int, environment: [String: String], directory: String, logPath: String) throws {
        let executable = try Self.executable()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // In glibc since 2.29, but not imported by Swift's Glibc module.
        if let addChdir = dlsym(nil, "posix_spawn_file_actions_addchdir_np") {
            typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
            _ = unsafeBitCast(addChdir, to: AddChdir.self)(&actions, directory)
        }
        var merged = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("STOCKROOM_") }
        merged.merge(environment) { _, given in given }
        merged["STOCKROOM_HOST"] = "127.0.0.1"
        merged["STOCKROOM_PORT"] = String(port)
        var cEnvironment = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        let arguments: [String] = [executable, "serve"]
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, &cArguments, &cEnvironment)
        guard spawned == 0 else { throw Failure(description: "cannot start \(executable): \(String(cString: strerror(spawned)))") }
        self.pid = pid
        self.port = port
        self.logPath = logPath
        Thread { [self] in waitForExit() }.start()
    }

    /// Nil while the server runs; its exit status (128 + signal) once reaped.
    var exitStatus: Int32? { lock.withLock { status } }

    var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// SIGTERM (a graceful shutdown), SIGKILL after `giveUpAfter`; returns once the server is reaped.
    @discardableResult
    func terminate(giveUpAfter: Duration = .seconds(30)) async -> Int32 {
        send(SIGTERM)
        let deadline = ContinuousClock.now + giveUpAfter
        while exitStatus == nil, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        send(SIGKILL)
        while exitStatus == nil { try? await Task.sleep(for: .milliseconds(20)) }
        return exitStatus!
    }

    /// The server's resident memory in KiB, from /proc/<pid>/status.
    func residentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    /// Signals only an unreaped child: a reaped pid may already name another process.
    private func send(_ signal: Int32) {
        lock.withLock { if status == nil { _ = kill(pid, signal) } }
    }

    private func waitForExit() {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1, errno == EINTR {}
        lock.withLock {
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1, errno == EINTR {}
            status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
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

    /// A loopback port nobody listens on right now (the kernel's choice for a bound, unused socket).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

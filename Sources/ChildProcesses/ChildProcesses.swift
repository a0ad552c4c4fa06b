import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Child processes for the tests and the benchmarks (never the server itself): posix_spawn and waitpid, because
/// Foundation's `Process` left children unreaped here (`pg_ctl start` became a zombie and never returned).
/// Output always goes to a log file, never a pipe, so a chatty child cannot block on a pipe nobody reads.
public struct ProcessFailure: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) {
        self.description = description
    }
}

public enum Processes {
    /// Starts `argv` with stdin from /dev/null and stdout and stderr into `logPath`, with `environment` (this
    /// process's own when nil), in `directory` when given; the caller reaps it.
    public static func spawn(_ argv: [String], environment: [String: String]? = nil, directory: String? = nil, logPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let directory {
            // glibc has it since 2.29 but Swift's Glibc module does not import it; without it a server child reads
            // the `.env` of the test's working directory.
            guard let addChdir = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else {
                throw ProcessFailure(description: "posix_spawn_file_actions_addchdir_np is missing from this libc")
            }
            typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
            _ = unsafeBitCast(addChdir, to: AddChdir.self)(&actions, directory)
        }
        // A child starts with no signal blocked and every signal at its default: the spawning thread may block
        // some (pg_test_fsync, which stops each test with SIGALRM, then looped forever) and NIO ignores SIGPIPE.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { for pointer in cArguments + (cEnvironment ?? []) { free(pointer) } }
        var pid: pid_t = 0
        let spawned =
            if cEnvironment != nil {
                posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, &cEnvironment!)
            } else {
                posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, environ)
            }
        guard spawned == 0 else { throw ProcessFailure(description: "cannot start \(argv[0]): \(String(cString: strerror(spawned)))") }
        return pid
    }

    /// A TCP socket connected to 127.0.0.1:`port` (the caller closes it); fails when nobody listens there.
    public static func connectLoopback(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw ProcessFailure(description: "cannot connect to 127.0.0.1:\(port)")
        }
        return fd
    }

    /// A loopback port nobody listens on right now (the kernel's choice for a bound, then closed, socket).
    public static func freeLoopbackPort() -> Int {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A long-running child (a server): a thread of its own waits for the exit; `terminate()` sends SIGTERM, then
/// SIGKILL if the child has not gone after `giveUpAfter`, and always reaps it.
public final class RunningProcess: @unchecked Sendable {
    public let pid: pid_t
    public let logPath: String
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `executable` with `environment` over this process's own (minus its `STOCKROOM_*` settings, so the
    /// child reads only what it is given), in `directory` when given.
    public init(_ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil, logPath: String) throws {
        var merged = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("STOCKROOM_") }
        merged.merge(environment) { _, given in given }
        let pid = try Processes.spawn([executable] + arguments, environment: merged, directory: directory, logPath: logPath)
        self.pid = pid
        self.logPath = logPath
        Self.register(pid)
        Thread { [self] in waitForExit() }.start()
    }

    /// The exit status once the child has ended (128 + signal when a signal ended it); nil while it runs.
    public var exitStatus: Int32? { lock.withLock { status } }

    /// Everything the child wrote so far.
    public var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(no output at \(logPath))" }

    /// Asks the child to stop (SIGTERM: a graceful shutdown), kills it if it is still there after `giveUpAfter`,
    /// and returns its exit status once reaped.
    @discardableResult
    public func terminate(giveUpAfter: Duration = .seconds(15)) async -> Int32 {
        send(SIGTERM)
        let deadline = ContinuousClock.now + giveUpAfter
        while exitStatus == nil, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        send(SIGKILL)
        while exitStatus == nil { try? await Task.sleep(for: .milliseconds(20)) }
        return exitStatus!
    }

    /// The child's resident memory in KiB, from /proc/<pid>/status.
    public func residentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    /// Signals only a child not yet reaped: after `waitpid` its pid may already belong to another process.
    private func send(_ signal: Int32) {
        lock.withLock { if status == nil { _ = kill(pid, signal) } }
    }

    private func waitForExit() {
        // Wait without reaping first, then reap under the lock: `send` can then never hit a recycled pid.
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1, errno == EINTR {}
        Self.unregister(pid)
        lock.withLock {
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1, errno == EINTR {}
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as functions.
            status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        }
    }

    // Children still running when the test process exits (a test that threw past its cleanup, a crash in a
    // test body) are killed then, so no server outlives the run holding ports and database connections.
    nonisolated(unsafe) private static var running = Set<pid_t>()
    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var atExitInstalled = false

    private static func register(_ pid: pid_t) {
        registryLock.withLock {
            running.insert(pid)
            guard !atExitInstalled else { return }
            atExitInstalled = true
            atexit { RunningProcess.registryLock.withLock { for pid in RunningProcess.running { kill(pid, SIGKILL) } } }
        }
    }

    private static func unregister(_ pid: pid_t) {
        registryLock.withLock { _ = running.remove(pid) }
    }
}

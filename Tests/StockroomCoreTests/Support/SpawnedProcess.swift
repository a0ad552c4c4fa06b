import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A long-running child (a server) started with posix_spawn, like `ChildProcess` and for the same reason
/// (Foundation's `Process` left children unreaped here): output goes to a log file, not a pipe, so a chatty child
/// can never block on a full pipe nobody reads. A thread of its own waits for the exit; `terminate()` sends SIGTERM,
/// then SIGKILL if the child has not gone after `giveUpAfter`, and always reaps it.
final class SpawnedProcess: @unchecked Sendable {
    let pid: pid_t
    let logPath: String
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `executable` with `environment` over the test's own (minus its `STOCKROOM_*` settings, so the child
    /// reads only what the test gives it), in `directory` when given.
    init(_ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil, logPath: String) throws {
        var merged = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("STOCKROOM_") }
        merged.merge(environment) { _, given in given }
        let pid = try ChildProcess.spawn([executable] + arguments, environment: merged, directory: directory, logPath: logPath)
        self.pid = pid
        self.logPath = logPath
        Self.register(pid)
        Thread { [self] in waitForExit() }.start()
    }

    /// The exit status once the child has ended (128 + signal when a signal ended it); nil while it runs.
    var exitStatus: Int32? { lock.withLock { status } }

    /// Everything the child wrote so far.
    var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(no output at \(logPath))" }

    /// Asks the child to stop (SIGTERM: a graceful shutdown), kills it if it is still there after `giveUpAfter`,
    /// and returns its exit status once reaped.
    @discardableResult
    func terminate(giveUpAfter: Duration = .seconds(15)) async -> Int32 {
        send(SIGTERM)
        let deadline = ContinuousClock.now + giveUpAfter
        while exitStatus == nil, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        send(SIGKILL)
        while exitStatus == nil { try? await Task.sleep(for: .milliseconds(20)) }
        return exitStatus!
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
            atexit { SpawnedProcess.registryLock.withLock { SpawnedProcess.running.forEach { _ = kill($0, SIGKILL) } } }
        }
    }

    private static func unregister(_ pid: pid_t) {
        registryLock.withLock { _ = running.remove(pid) }
    }
}

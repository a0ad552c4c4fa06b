import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a helper program to completion with posix_spawn and waitpid. Foundation's `Process` left `pg_ctl start`
/// as an unreaped zombie here and never returned, so the tests and the benchmarks spawn and reap children themselves.
public enum ChildProcess {
    public typealias Failure = ProcessFailure

    /// Runs `executable` (as `user` through runuser when given) with output captured in a file — not a pipe,
    /// because `pg_ctl start` leaves the server holding inherited descriptors open. Waits on its own thread so no
    /// cooperative thread blocks; throws with the output when the exit status is not 0.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], as user: String? = nil) async throws -> String {
        let argv = user.map { ["/usr/sbin/runuser", "-u", $0, "--", executable] + arguments } ?? [executable] + arguments
        let logPath = FileManager.default.temporaryDirectory.appending(path: "stockroom-child-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            Thread {
                continuation.resume(with: Result { try spawnAndWait(argv, logPath: logPath) })
            }.start()
        }
        let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw Failure(description: "\(URL(filePath: executable).lastPathComponent) exited with \(status): \(output)")
        }
        return output
    }

    private static func spawnAndWait(_ argv: [String], logPath: String) throws -> Int32 {
        let pid = try Processes.spawn(argv, logPath: logPath)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw Failure(description: "waitpid failed: \(String(cString: strerror(errno)))") }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

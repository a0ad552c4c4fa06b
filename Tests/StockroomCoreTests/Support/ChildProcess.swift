import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a helper program to completion with posix_spawn and waitpid. Foundation's `Process` left `pg_ctl start`
/// as an unreaped zombie here and never returned, so the test helpers spawn and reap children themselves.
enum ChildProcess {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `executable` (as `user` through runuser when given) with output captured in a file — not a pipe,
    /// because `pg_ctl start` leaves the server holding inherited descriptors open. Waits on its own thread so no
    /// cooperative thread blocks; throws with the output when the exit status is not 0.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], as user: String? = nil) async throws -> String {
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
        let pid = try spawn(argv, logPath: logPath)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw Failure(description: "waitpid failed: \(String(cString: strerror(errno)))") }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Starts `argv` with stdin from /dev/null and stdout and stderr into `logPath`, with `environment` (this
    /// process's own when nil), in `directory` when given; the caller reaps it.
    static func spawn(_ argv: [String], environment: [String: String]? = nil, directory: String? = nil, logPath: String) throws -> pid_t {
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
                throw Failure(description: "posix_spawn_file_actions_addchdir_np is missing from this libc")
            }
            typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
            _ = unsafeBitCast(addChdir, to: AddChdir.self)(&actions, directory)
        }
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { (cArguments + (cEnvironment ?? [])).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = if cEnvironment != nil {
            posix_spawn(&pid, argv[0], &actions, nil, &cArguments, &cEnvironment!)
        } else {
            posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        }
        guard spawned == 0 else { throw Failure(description: "cannot start \(argv[0]): \(String(cString: strerror(spawned)))") }
        return pid
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Tells a restore that a server or a command is using the SQLite file, and them that a restore is replacing it: a
/// lock file beside the database (`NAME.server-lock`), held with `flock` — shared by every open database client
/// (`SQLiteDatabaseClient`: the server and `migrate`, `import`, `check`, `create-*`) and every `stockroom backup` for
/// as long as they use the file, exclusive by a restore. The kernel lets go of it when its process ends, however it ends (SIGKILL
/// and power cuts included), so there is no stale pid file to refuse a restore after a crash. The file itself
/// stays; it holds nothing.
public final class ServingLock: Sendable {
    let lockFile: String
    private let descriptor: Int32

    private init(lockFile: String, descriptor: Int32) {
        self.lockFile = lockFile
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Lets go before the process ends (it also goes when this object does, or the process).
    public func release() {
        flock(descriptor, LOCK_UN)
    }

    /// The lock file for the database at `path` (symbolic links followed, so every name of one file finds one lock).
    static func lockFile(for path: String) -> String {
        resolved(path) + ".server-lock"
    }

    /// `path` absolute, with symbolic links followed.
    static func resolved(_ path: String) -> String {
        URL(filePath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// A server's or a command's hold on the database, kept until the returned lock is released; throws
    /// `restoreUnderway` when a restore holds it. Taken before the file is opened, so nothing uses a file a restore
    /// swaps away.
    public static func serving(_ path: String) throws -> ServingLock {
        try take(path, operation: LOCK_SH) { BackupError.restoreUnderway(path: path, lockFile: $0) }
    }

    /// A restore's hold: no server runs on the database while it is kept; throws `serverRunning` when one does.
    static func restoring(_ path: String) throws -> ServingLock {
        try take(path, operation: LOCK_EX) { BackupError.serverRunning(path: path, lockFile: $0) }
    }

    private static func take(_ path: String, operation: Int32, busy: (String) -> BackupError) throws -> ServingLock {
        let lockFile = lockFile(for: path)
        let descriptor = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw DurableFiles.failure("open", lockFile) }
        guard flock(descriptor, operation | LOCK_NB) == 0 else {
            let reason = errno
            close(descriptor)
            if reason == EWOULDBLOCK { throw busy(lockFile) }
            throw BackupError.fileSystem("flock \(lockFile): \(String(cString: strerror(reason)))")
        }
        return ServingLock(lockFile: lockFile, descriptor: descriptor)
    }
}

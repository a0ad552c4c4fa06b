import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Where the first owner's generated password goes, so that it never reaches a log: under a service manager standard
/// output is the journal, which many people and backups can read. On an interactive terminal it is shown there, once;
/// otherwise it is written to a file only the server's own account can read, and the log says where.
public enum FirstPassword: Sendable, Equatable {
    case terminal
    case file(URL)

    public static let fileName = "first-owner-password"

    /// The terminal when standard output is one; else a file beside the SQLite database (the service's data directory),
    /// or in the working directory for PostgreSQL.
    public static func destination(for config: AppConfig, standardOutputIsTerminal: Bool = isatty(STDOUT_FILENO) == 1) -> FirstPassword {
        if standardOutputIsTerminal { return .terminal }
        let directory =
            switch config.database {
            case .sqlite(let path): URL(filePath: path).deletingLastPathComponent()
            case .postgres: URL(filePath: FileManager.default.currentDirectoryPath)
            }
        return .file(directory.appending(path: fileName).standardizedFileURL)
    }

    /// Before anything is created: a password that could not be handed over would lock the owner out for good.
    func checkWritable() throws {
        guard case .file(let url) = self else { return }
        let directory = url.deletingLastPathComponent().path
        guard access(directory, W_OK) == 0 else {
            throw ConfigError(problems: [
                "the first owner's password would be written to \(url.path), but \(directory) is not writable; "
                    + "make it writable or set STOCKROOM_ADMIN_PASSWORD"
            ])
        }
    }

    /// Hands the password over; the log gets the account and, for a file, its path, never the password.
    func deliver(_ password: String, username: String, logger: Logger) throws {
        switch self {
        case .terminal:
            print(
                """

                ┌ Stockroom first start ─────────────────────────────────────────
                │ Sign in as '\(username)' with password: \(password)
                │ It is shown only this once; change it after signing in.
                └────────────────────────────────────────────────────────────────

                """)
            // The operator needs this now, not at shutdown (nil flushes every stream).
            fflush(nil)
        case .file(let url):
            try Self.writePrivately("username: \(username)\npassword: \(password)\n", to: url)
            logger.notice(
                """
                The first owner's password is in \(url.path) (readable only by this account): sign in as '\(username)', \
                change the password, then delete the file
                """)
        }
    }

    /// Created with mode 0600 from the start (never briefly readable by others), replacing a file left by an
    /// earlier first start, and never following a link planted in its place.
    static func writePrivately(_ text: String, to url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("open", url) }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else { throw failure("chmod", url) }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == bytes.count, fsync(descriptor) == 0 else {
            throw failure("write", url)
        }
    }

    private static func failure(_ step: String, _ url: URL) -> Failure {
        Failure(description: "could not \(step) \(url.path) for the first owner's password: \(String(cString: strerror(errno)))")
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }
}

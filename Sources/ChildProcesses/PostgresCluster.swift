import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A private PostgreSQL cluster: initdb + pg_ctl from the installed server binaries, in a temporary directory, on a
/// random loopback port. Started on first use; each caller gets a fresh database. Stopped when the process exits.
/// The tests share one without fsync (`shared`); the benchmarks start one with fsync, as a shop would run it.
///
/// Missing binaries fail loudly: the PostgreSQL suite must run, never silently skip.
public actor PostgresCluster {
    public static let shared = PostgresCluster(fsync: false)

    struct Running: Sendable {
        let binDirectory: URL
        let dataDirectory: URL
        let port: Int
        let runAs: String?
    }

    private let fsync: Bool
    /// Started once; concurrent first callers await the same start (the actor is re-entrant across awaits).
    private var starting: Task<Running, any Error>?

    public init(fsync: Bool) {
        self.fsync = fsync
    }

    /// A new empty database on the cluster, as a `postgres://` URL, or with `throughSocket` as a `postgres+uds://`
    /// URL to the cluster's Unix socket.
    public func makeDatabase(throughSocket: Bool = false) async throws -> String {
        if starting == nil { starting = Task { [fsync] in try await Self.start(fsync: fsync) } }
        let cluster = try await starting!.value
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
        try await ChildProcess.run(
            cluster.binDirectory.appending(path: "createdb").path,
            ["-h", "127.0.0.1", "-p", String(cluster.port), "-U", "stockroom", name], as: cluster.runAs)
        guard throughSocket else { return "postgres://stockroom@127.0.0.1:\(cluster.port)/\(name)?sslmode=disable" }
        let socket = cluster.dataDirectory.deletingLastPathComponent().appending(path: ".s.PGSQL.\(cluster.port)")
        return "postgres+uds://stockroom@localhost\(socket.path)#\(name)"
    }

    /// The cluster's main server process (its backends are its children), once started.
    public func postmasterPID() async throws -> Int32? {
        guard let cluster = try await starting?.value,
            let text = try? String(contentsOf: cluster.dataDirectory.appending(path: "postmaster.pid"), encoding: .utf8)
        else { return nil }
        return text.split(separator: "\n").first.flatMap { Int32($0) }
    }

    /// The server binaries' directory (`pg_test_fsync` and friends live there too): `STOCKROOM_PG_BIN` when set,
    /// else Debian's versioned folders, newest first, then the usual places on other systems.
    public static func findBinDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        searchedBinDirectories(environment: environment).map { URL(filePath: $0) }.first {
            FileManager.default.isExecutableFile(atPath: $0.appending(path: "initdb").path)
                && FileManager.default.isExecutableFile(atPath: $0.appending(path: "pg_ctl").path)
        }
    }

    static func searchedBinDirectories(environment: [String: String]) -> [String] {
        if let configured = environment["STOCKROOM_PG_BIN"], !configured.isEmpty { return [configured] }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
            + [
                "/usr/local/pgsql/bin", "/usr/local/bin", "/usr/bin", "/opt/homebrew/bin", "/opt/homebrew/opt/postgresql@15/bin",
                "/usr/local/opt/postgresql@15/bin",
            ]
    }

    /// What a developer without PostgreSQL reads when a test needs it: the tool, where it was looked for, how to get it.
    public static func missingBinariesMessage(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        """
        PostgreSQL's server programs (initdb, pg_ctl) were not found in \(searchedBinDirectories(environment: environment).joined(separator: ", ")). \
        Install them (Debian/Ubuntu: sudo apt-get install postgresql; Fedora: sudo dnf install postgresql-server; \
        macOS: brew install postgresql@15), or set STOCKROOM_PG_BIN to the folder that holds initdb and pg_ctl.
        """
    }

    private static func start(fsync: Bool) async throws -> Running {
        guard let bin = findBinDirectory() else {
            throw ProcessFailure(description: missingBinariesMessage())
        }
        // initdb refuses to run as root; the Debian package's `postgres` account runs it instead.
        let runAs: String? = getuid() == 0 ? "postgres" : nil
        let directory = FileManager.default.temporaryDirectory.appending(path: "stockroom-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if let runAs { try await ChildProcess.run("/bin/chown", [runAs, directory.path]) }
        let data = directory.appending(path: "data")
        try await ChildProcess.run(
            bin.appending(path: "initdb").path,
            ["-D", data.path, "-U", "stockroom", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"], as: runAs)
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = Processes.freeLoopbackPort()
            do {
                try await ChildProcess.run(
                    bin.appending(path: "pg_ctl").path,
                    [
                        "-D", data.path, "-l", directory.appending(path: "server.log").path, "-w", "-t", "60", "start",
                        "-o",
                        "-p \(port) -c listen_addresses=127.0.0.1 -k \(directory.path) -c fsync=\(fsync ? "on" : "off") -c max_connections=1000",
                    ], as: runAs)
                let cluster = Running(binDirectory: bin, dataDirectory: data, port: port, runAs: runAs)
                stopAtExit(cluster)
                print("PostgreSQL cluster (fsync \(fsync ? "on" : "off")) running on 127.0.0.1:\(port) from \(bin.path)")
                return cluster
            } catch {
                lastError = error
            }
        }
        throw lastError!
    }

    nonisolated(unsafe) private static var clustersToStop: [Running] = []
    private static let stopLock = NSLock()

    private static func stopAtExit(_ cluster: Running) {
        stopLock.withLock {
            clustersToStop.append(cluster)
            guard clustersToStop.count == 1 else { return }
            atexit {
                // At exit there is no concurrency runtime to wait on: a plain blocking call stops each server.
                for cluster in PostgresCluster.stopLock.withLock({ PostgresCluster.clustersToStop }) {
                    let pgCtl = cluster.binDirectory.appending(path: "pg_ctl").path
                    let command =
                        (cluster.runAs.map { "/usr/sbin/runuser -u \($0) -- " } ?? "")
                        + "\(pgCtl) -D '\(cluster.dataDirectory.path)' -m immediate stop >/dev/null 2>&1"
                    _ = system(command)
                    try? FileManager.default.removeItem(at: cluster.dataDirectory.deletingLastPathComponent())
                }
            }
        }
    }
}

import ChildProcesses
import Foundation
import Testing

/// A private PostgreSQL cluster for the test process: initdb + pg_ctl from the installed server binaries, in a
/// temporary directory, on a random loopback port. Started once, on first use; each test gets a fresh database.
/// Stopped when the test process exits.
///
/// Missing binaries fail the test loudly: the PostgreSQL suite must run, never silently skip.
actor PostgresCluster {
    static let shared = PostgresCluster()

    struct Running: Sendable {
        let binDirectory: URL
        let dataDirectory: URL
        let port: Int
        let runAs: String?
    }

    /// Started once; concurrent first callers await the same start (the actor is re-entrant across awaits).
    private var starting: Task<Running, any Error>?

    /// A new empty database on the cluster, as a `postgres://` URL.
    func makeDatabase() async throws -> String {
        if starting == nil { starting = Task { try await Self.start() } }
        let cluster = try await starting!.value
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
        try await ChildProcess.run(
            cluster.binDirectory.appending(path: "createdb").path,
            ["-h", "127.0.0.1", "-p", String(cluster.port), "-U", "stockroom", name], as: cluster.runAs)
        return "postgres://stockroom@127.0.0.1:\(cluster.port)/\(name)?sslmode=disable"
    }

    private static func start() async throws -> Running {
        guard let bin = findBinDirectory() else {
            throw ClusterError("PostgreSQL server binaries (initdb, pg_ctl) not found; install the 'postgresql' package")
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
                try await ChildProcess.run(bin.appending(path: "pg_ctl").path, [
                    "-D", data.path, "-l", directory.appending(path: "server.log").path, "-w", "-t", "60", "start",
                    "-o", "-p \(port) -c listen_addresses=127.0.0.1 -k \(directory.path) -c fsync=off -c max_connections=300",
                ], as: runAs)
                let cluster = Running(binDirectory: bin, dataDirectory: data, port: port, runAs: runAs)
                stopAtExit(cluster)
                print("PostgreSQL test cluster running on 127.0.0.1:\(port) from \(bin.path)")
                return cluster
            } catch {
                lastError = error
            }
        }
        throw lastError!
    }

    static func findBinDirectory() -> URL? {
        let fileManager = FileManager.default
        let versions = (try? fileManager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let candidates = versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
            + ["/usr/local/pgsql/bin", "/usr/local/bin", "/usr/bin"]
        return candidates.map { URL(filePath: $0) }.first {
            fileManager.isExecutableFile(atPath: $0.appending(path: "initdb").path)
                && fileManager.isExecutableFile(atPath: $0.appending(path: "pg_ctl").path)
        }
    }


    nonisolated(unsafe) private static var clusterToStop: Running?

    private static func stopAtExit(_ cluster: Running) {
        clusterToStop = cluster
        atexit {
            guard let cluster = PostgresCluster.clusterToStop else { return }
            // At exit there is no concurrency runtime to wait on: a plain blocking call stops the server.
            let pgCtl = cluster.binDirectory.appending(path: "pg_ctl").path
            let command = (cluster.runAs.map { "/usr/sbin/runuser -u \($0) -- " } ?? "")
                + "\(pgCtl) -D '\(cluster.dataDirectory.path)' -m immediate stop >/dev/null 2>&1"
            _ = system(command)
            try? FileManager.default.removeItem(at: cluster.dataDirectory.deletingLastPathComponent())
        }
    }
}

struct ClusterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import ChildProcesses
import Foundation

/// A database of its own for a test that runs real `stockroom serve` processes — a file in `directory` for SQLite
/// (so a restarted process finds it again), a fresh database on the test cluster for PostgreSQL — and the
/// environment that starts a node on it.
struct NodeDatabase: Sendable {
    let url: String
    let environment: [String: String]

    static func make(_ engine: Engine, in directory: URL, name: String) async throws -> NodeDatabase {
        let url =
            switch engine {
            case .sqlite: "sqlite://" + directory.appending(path: "\(name).sqlite").path
            case .postgres: try await PostgresCluster.shared.makeDatabase()
            }
        return NodeDatabase(
            url: url,
            environment: [
                "STOCKROOM_DATABASE_URL": url, "STOCKROOM_BCRYPT_COST": "4", "STOCKROOM_ADMIN_PASSWORD": TestDatabase.ownerPassword,
                "STOCKROOM_LOG_LEVEL": "warning",
            ])
    }

    /// A new directory under the system's temporary one.
    static func directory(_ prefix: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appending(path: "\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}

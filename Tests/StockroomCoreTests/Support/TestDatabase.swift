import ChildProcesses
import Foundation
import Logging
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The engines every database-layer test runs on.
enum Engine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// A fresh, empty database for one test: a new SQLite file in its own temporary directory, or a new database on
/// the shared test PostgreSQL cluster.
struct TestDatabase {
    static func url(_ engine: Engine) async throws -> String {
        switch engine {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appending(path: "stockroom-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return "sqlite://" + directory.appending(path: "stockroom.sqlite").path
        case .postgres:
            return try await PostgresCluster.shared.makeDatabase()
        }
    }

    /// A configuration for tests: the given engine, a fast bcrypt cost and a known owner password.
    static func config(_ engine: Engine, _ extra: [String: String] = [:]) async throws -> AppConfig {
        var values = [
            "STOCKROOM_DATABASE_URL": try await url(engine),
            "STOCKROOM_BCRYPT_COST": "4",
            "STOCKROOM_ADMIN_PASSWORD": TestDatabase.ownerPassword,
            "STOCKROOM_LOG_LEVEL": "warning",
            "STOCKROOM_PORT": "8080",
            // Unset, both follow the machine (its zone, its locale's currency): tests pin them to stay the same anywhere.
            "STOCKROOM_TIMEZONE": "UTC",
            "STOCKROOM_CURRENCY": "EUR",
            // Dozens of PostgreSQL tests run at once on one cluster, each app with its own pool: at the default 20 the
            // cluster neared its connection limit (384 of 500 in one run), and a relay or pool that cannot connect
            // there hangs its test. Eight still lets concurrent transactions race.
            "STOCKROOM_DB_POOL_SIZE": String(postgresPoolSize),
        ]
        values.merge(extra) { _, new in new }
        return try AppConfig(values: values)
    }

    static let ownerPassword = "owner-password-1"
    static let postgresPoolSize = 8

    /// Opens the engine's database client and runs `body` while its connections are open.
    static func withClient<T: Sendable>(
        _ engine: Engine, config: AppConfig? = nil, _ body: (any DatabaseClient) async throws -> T
    ) async throws -> T {
        let configuration = if let config { config } else { try await Self.config(engine) }
        let database = try await configuration.makeDatabase(logger: Logger(label: "test"))
        return try await database.whileRunning { try await body(database) }
    }
}

/// A test's own setup went wrong (a seed request refused, a tool missing): the message says what.
struct ClusterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

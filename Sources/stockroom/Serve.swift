import ArgumentParser
import Hummingbird
import StockroomCore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the server (migrating the database and creating the first owner when needed).")

    func run() async throws {
        let config = try loadConfig()
        // Held while the server runs, so `stockroom restore` never swaps the file under it (SQLite only); taken here,
        // before anything starts, for a refusal with exit 2 (the database client takes its own as well).
        var lock: ServingLock?
        if case .sqlite(let path) = config.database {
            try await reportingBackupErrors { lock = try ServingLock.serving(path) }
        }
        defer { lock?.release() }
        do {
            let app = try await buildApplication(config: config)
            try await app.runService()
        } catch {
            // In the log and its format (a collector reading JSON gets the reason as JSON too), through the same
            // batched console as the server's own lines (the throwaway RecentLog), so it is written after them.
            config.makeLogger(keepingIn: RecentLog(capacity: 1)).critical("Stockroom stopped: \(error)")
            throw ExitCode(1)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

    func run() async throws {
        let config = try loadConfig()
        let logger = config.makeLogger()
        let database = try await reportingBackupErrors { try await config.makeDatabase(logger: logger) }
        let applied = try await database.whileRunning { try await Migrator(logger: logger).migrate(database) }
        print(applied.isEmpty ? "Database is up to date." : "Applied migrations \(applied.map(String.init).joined(separator: ", ")).")
    }
}

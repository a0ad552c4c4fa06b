import Logging

extension AppConfig {
    /// Opens the configured database (creating the SQLite file when missing); it still needs `run()`.
    public func makeDatabase(logger: Logger) async throws -> any DatabaseClient {
        switch database {
        case .sqlite(let path):
            return try await SQLiteDatabaseClient.open(path: path, readers: sqliteReaders, logger: logger)
        case .postgres(let url):
            return PostgresDatabaseClient(configuration: url.clientConfiguration(poolSize: postgresPoolSize), logger: logger)
        }
    }

    /// The database as a log line: never with its password.
    public var databaseDescription: String {
        switch database {
        case .sqlite(let path): "sqlite \(path)"
        case .postgres(let url): url.redacted
        }
    }

    /// The console logger at the configured level; with `recent`, it also keeps its last lines there.
    public func makeLogger(label: String = "stockroom", keepingIn recent: RecentLog? = nil) -> Logger {
        var logger =
            if let recent {
                Logger(label: label) { [logFormat] in recent.handler(label: $0, format: logFormat) }
            } else if logFormat == .json {
                Logger(label: label) { ConsoleLogHandler(label: $0, format: .json) }
            } else {
                Logger(label: label)
            }
        logger.logLevel = logLevel
        return logger
    }
}

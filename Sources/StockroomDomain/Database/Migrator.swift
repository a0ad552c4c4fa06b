import Foundation
import Logging
import SQLKit

/// Applies pending migrations in order, each in its own transaction, recording them in `schema_migrations`.
/// Runs under the database's migration lock, so nodes starting together migrate once.
public struct Migrator: Sendable {
    let migrations: [Migration]
    let logger: Logger

    public init(migrations: [Migration] = Migration.all, logger: Logger) {
        self.migrations = migrations
        self.logger = logger
    }

    /// Brings the schema up to date and returns the ids it applied (empty when there was nothing to do).
    @discardableResult
    public func migrate(_ database: some DatabaseClient) async throws -> [Int] {
        try await database.withMigrationLock { db in
            try await db.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    id BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """
            ).run()
            let applied = Set(try await db.raw("SELECT id FROM schema_migrations").all(decodingColumn: "id", as: Int.self))
            if let newest = applied.max(), let known = migrations.map(\.id).max(), newest > known {
                throw MigrationError.databaseNewerThanBuild(databaseVersion: newest, buildVersion: known)
            }
            var done: [Int] = []
            for migration in migrations where !applied.contains(migration.id) {
                let didApply = try await Transaction.run(on: db, engine: database.engine) { transaction in
                    // Checked again inside the transaction: on SQLite the lock is BEGIN IMMEDIATE itself, so another
                    // process may have applied it since the read above.
                    let alreadyApplied =
                        try await transaction.db.raw(
                            """
                            SELECT COUNT(*) AS n FROM schema_migrations WHERE id = \(bind: migration.id)
                            """
                        ).first(decodingColumn: "n", as: Int.self) ?? 0
                    guard alreadyApplied == 0 else { return false }
                    for statement in migration.sql(for: database.engine) {
                        try await transaction.db.raw("\(unsafeRaw: statement)").run()
                    }
                    try await transaction.db.raw(
                        """
                        INSERT INTO schema_migrations (id, name, applied_at)
                        VALUES (\(bind: migration.id), \(bind: migration.name), \(bind: Date.now.unixMilliseconds))
                        """
                    ).run()
                    return true
                }
                guard didApply else { continue }
                logger.info("Applied migration \(migration.id): \(migration.name)")
                done.append(migration.id)
            }
            if database.engine == .postgres,
                try await db.raw(
                    """
                    SELECT COUNT(*) AS n FROM pg_indexes WHERE indexname = 'products_name_trigrams'
                    """
                ).first(decodingColumn: "n", as: Int.self) == 0
            {
                logger.warning("PostgreSQL has no pg_trgm here, so product search reads every product; README, \"Search\", says how to add it")
            }
            return done
        }
    }
}

enum MigrationError: Error, CustomStringConvertible {
    case databaseNewerThanBuild(databaseVersion: Int, buildVersion: Int)

    public var description: String {
        switch self {
        case .databaseNewerThanBuild(let databaseVersion, let buildVersion):
            "The database is at migration \(databaseVersion) but this build knows only up to \(buildVersion); run a newer Stockroom."
        }
    }
}

import Foundation
import Logging
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// SQLite's checkpoints are made beside the writer (`WALCheckpointer`), not by its COMMITs: the writer's own start
/// only past a backstop far above what these tests write, so the log reaches the database file only if the
/// checkpointer runs.
@Suite("SQLite checkpoints beside the writer")
struct WALCheckpointTests {
    @Test("with the writer's automatic checkpoints put off, 4 MiB written in 40 commits reach the database file while it stays open")
    func checkpointsBesideTheWriter() async throws {
        let url = try await TestDatabase.url(.sqlite)
        let path = String(url.dropFirst("sqlite://".count))
        let database = try await SQLiteDatabaseClient.open(path: path, logger: Logger(label: "test"))
        try await database.withMigrationLock { try await $0.raw("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").run() }
        let automatic = try await database.withTransaction {
            try await $0.db.raw("PRAGMA wal_autocheckpoint").first(decodingColumn: "wal_autocheckpoint", as: Int.self)
        }
        #expect(automatic == WALCheckpointer.writerBackstop)
        let before = Self.size(path)
        try await Self.fill(database)
        try await Self.expectGrowth(path, from: before)
        let rows = try await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM filler").first(decodingColumn: "n", as: Int.self) }
        #expect(rows == 4_000)
        await database.close()
    }

    @Test("a checkpoint a reader held back is finished once the reader lets go, with no commit after it")
    func finishedAfterAReader() async throws {
        let url = try await TestDatabase.url(.sqlite)
        let path = String(url.dropFirst("sqlite://".count))
        let database = try await SQLiteDatabaseClient.open(path: path, logger: Logger(label: "test"))
        try await database.withMigrationLock { try await $0.raw("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").run() }
        try await Task.sleep(for: .milliseconds(300))
        let before = Self.size(path)
        try await database.read { db in
            // A snapshot from before the rows: the checkpoint may not copy what was written after it.
            try await db.raw("BEGIN").run()
            _ = try await db.raw("SELECT COUNT(*) AS n FROM filler").first()
            try await Self.fill(database)
            try await Task.sleep(for: .milliseconds(500))
            #expect(Self.size(path) - before < 1 << 20, "copied past a reader's snapshot: grew by \(Self.size(path) - before) bytes")
            try await db.raw("COMMIT").run()
        }
        try await Self.expectGrowth(path, from: before)
        await database.close()
    }

    /// 4 MiB in 40 commits.
    static func fill(_ database: SQLiteDatabaseClient) async throws {
        for _ in 0..<40 {
            try await database.withTransaction { transaction in
                try await transaction.db.raw(
                    """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
                    INSERT INTO filler (body) SELECT hex(randomblob(512)) FROM n
                    """
                ).run()
            }
        }
    }

    static func expectGrowth(_ path: String, from before: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while size(path) - before < 3 << 20, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(size(path) - before >= 3 << 20, "the database file grew by \(size(path) - before) bytes", sourceLocation: sourceLocation)
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}

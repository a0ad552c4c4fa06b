import Foundation
import Logging
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// SQLite's group commit (`GroupCommit`): writes that wait for the writer share one COMMIT, each in a savepoint of
/// its own. In each test a first write holds the writer for a moment so that the others queue behind it and form a
/// group with it, as tills do under load.
@Suite("Group commit on SQLite", .serialized)
struct GroupCommitTests {
    struct Refused: Error {}

    /// A fresh SQLite file with a probe table, its client, and a way to open it again.
    func withProbe(_ body: (SQLiteDatabaseClient, String) async throws -> Void) async throws {
        let url = try await TestDatabase.url(.sqlite)
        let path = String(url.dropFirst("sqlite://".count))
        let database = try await SQLiteDatabaseClient.open(path: path, logger: Logger(label: "test"))
        try await database.withMigrationLock { db in
            try await db.raw("CREATE TABLE probe_parent (id INTEGER PRIMARY KEY)").run()
            try await db.raw(
                """
                CREATE TABLE probe_child (id INTEGER PRIMARY KEY,
                    parent_id INTEGER NOT NULL REFERENCES probe_parent(id) DEFERRABLE INITIALLY DEFERRED)
                """
            ).run()
        }
        try await body(database, path)
        await database.close()
    }

    /// Starts a write that holds the writer until `waiting` more writes wait for it (however slow the machine), and
    /// returns once it has the writer.
    func holdWriter(_ database: SQLiteDatabaseClient, id: Int, until waiting: Int) async throws -> Task<Void, any Error> {
        let started = AsyncStream<Void>.makeStream()
        let task = Task {
            try await database.withTransaction { transaction in
                try await transaction.db.raw("INSERT INTO probe_parent (id) VALUES (\(bind: id))").run()
                started.continuation.yield()
                try await waitForQueue(database, waiting)
            }
        }
        for await _ in started.stream { break }
        return task
    }

    /// Waits until `count` writes (or closes) are queued for the writer.
    func waitForQueue(_ database: SQLiteDatabaseClient, _ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while database.writerQueueLength < count {
            guard ContinuousClock.now < deadline else { throw ClusterError("only \(database.writerQueueLength) of \(count) writes queued") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func parents(_ database: SQLiteDatabaseClient) async throws -> Set<Int> {
        Set(try await database.read { try await $0.raw("SELECT id FROM probe_parent").all(decodingColumn: "id", as: Int.self) })
    }

    @Test("twenty writes waiting together commit together; the one that is refused is undone alone and answers its own error")
    func refusedMember() async throws {
        try await withProbe { database, _ in
            let first = try await holdWriter(database, id: 0, until: 20)
            let results = await withTaskGroup(of: (Int, String).self) { group in
                for id in 1...20 {
                    group.addTask {
                        do {
                            try await database.withTransaction { transaction in
                                try await transaction.db.raw("INSERT INTO probe_parent (id) VALUES (\(bind: id))").run()
                                if id == 7 { throw Refused() }
                            }
                            return (id, "done")
                        } catch {
                            return (id, error is Refused ? "refused" : "\(error)")
                        }
                    }
                }
                return await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
            }
            try await first.value
            #expect(results.filter { $0.value != "done" } == [7: "refused"])
            #expect(try await parents(database) == Set(0...20).subtracting([7]))
            let counts = database.groupCommitCounts
            #expect(counts.writes == 21)
            #expect(counts.commits == 1, "21 writes in \(counts.commits) commits: the waiting writes did not share one")
        }
    }

    @Test("a group whose COMMIT fails answers every member with the error, and none of them happened")
    func commitFails() async throws {
        try await withProbe { database, _ in
            let first = try await holdWriter(database, id: 0, until: 10)
            let results = await withTaskGroup(of: (Int, Bool, Bool).self) { group in
                for id in 1...10 {
                    group.addTask {
                        do {
                            try await database.withTransaction { transaction in
                                // the child of a parent that never exists: checked (deferred) only at COMMIT
                                let sql: SQLQueryString =
                                    id == 5
                                    ? "INSERT INTO probe_child (id, parent_id) VALUES (1, 999)"
                                    : "INSERT INTO probe_parent (id) VALUES (\(bind: id))"
                                try await transaction.db.raw(sql).run()
                                if id == 3 { throw Refused() }
                            }
                            return (id, true, false)
                        } catch {
                            return (id, false, error is Refused)
                        }
                    }
                }
                return await group.reduce(into: [Int: (ok: Bool, refused: Bool)]()) { $0[$1.0] = ($1.1, $1.2) }
            }
            await #expect(throws: (any Error).self) { try await first.value }
            #expect(results[5]?.ok == false)
            // a refusal made in a group whose COMMIT failed is not given as if the others had happened
            #expect(results[3]?.ok == false && results[3]?.refused == false, "\(String(describing: results[3]))")
            // what was answered is what is there: the failed group left nothing, a write answered with success is whole
            let stored = try await parents(database)
            let succeeded = Set(results.filter(\.value.ok).map(\.key))
            #expect(stored == succeeded, "stored \(stored.sorted()), answered \(succeeded.sorted())")
            #expect(!stored.contains(0), "the first write shared the failed COMMIT")
            let children = try await database.read {
                try await $0.raw("SELECT COUNT(*) AS n FROM probe_child").first(decodingColumn: "n", as: Int.self)
            }
            #expect(children == 0)
            // and the writer goes on
            try await database.withTransaction { try await $0.db.raw("INSERT INTO probe_parent (id) VALUES (100)").run() }
            #expect(try await parents(database).contains(100))
        }
    }

    @Test("shutting down while writes wait: every waiting write is committed and answered, a later one is refused, none is lost")
    func shutdownWhileWaiting() async throws {
        let url = try await TestDatabase.url(.sqlite)
        let path = String(url.dropFirst("sqlite://".count))
        let database = try await SQLiteDatabaseClient.open(path: path, logger: Logger(label: "test"))
        try await database.withMigrationLock { try await $0.raw("CREATE TABLE probe_parent (id INTEGER PRIMARY KEY)").run() }
        // the first write holds the writer until ten writes, the close and one more write are queued, in that order
        let first = try await holdWriter(database, id: 0, until: 12)
        let waiting = (1...10).map { id in
            Task { try await database.withTransaction { try await $0.db.raw("INSERT INTO probe_parent (id) VALUES (\(bind: id))").run() } }
        }
        try await waitForQueue(database, 10)
        let closing = Task { await database.close() }
        try await waitForQueue(database, 11)
        let late = Task { try await database.withTransaction { try await $0.db.raw("INSERT INTO probe_parent (id) VALUES (99)").run() } }
        try await first.value
        for write in waiting { try await write.value }
        await closing.value
        await #expect(throws: (any Error).self) { try await late.value }
        // what was acknowledged is on disk
        let reopened = try await SQLiteDatabaseClient.open(path: path, logger: Logger(label: "test"))
        #expect(try await parents(reopened) == Set(0...10))
        await reopened.close()
    }
}

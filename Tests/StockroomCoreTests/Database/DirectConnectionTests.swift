import Foundation
import Logging
import SQLKit
import SQLiteKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The SQLite connections Stockroom drives itself (`SQLiteDirectConnection`): the writer and, since issue #19, the
/// readers. Rows are decoded without `SQLiteDataDecoder` for the plain column types, so each of those must decode
/// exactly as the decoder did — values, optionals, NULLs, and the errors for a value of the wrong kind.
@Suite("SQLite connections driven directly")
struct DirectConnectionTests {
    func withDatabase(_ body: (SQLiteDatabaseClient) async throws -> Void) async throws {
        let url = try await TestDatabase.url(.sqlite)
        let database = try await SQLiteDatabaseClient.open(path: String(url.dropFirst("sqlite://".count)), logger: Logger(label: "test"))
        try await database.withMigrationLock { db in
            try await db.raw("CREATE TABLE probe (id INTEGER PRIMARY KEY, number INTEGER, flag INTEGER, ratio REAL, label TEXT)").run()
            try await db.raw("INSERT INTO probe VALUES (1, 42, 1, 2.5, 'Jamón'), (2, NULL, 0, NULL, NULL), (3, 7, 5, 3.0, '')").run()
        }
        try await body(database)
        await database.close()
    }

    /// Decodes `column` of row `id` as `type` through a reader and through `SQLiteDataDecoder`; both must agree.
    func both<D: Decodable & Equatable & Sendable>(
        _ database: SQLiteDatabaseClient, _ id: Int, _ column: String, as type: D.Type
    ) async throws -> (direct: Result<D, any Error>, decoder: Result<D, any Error>) {
        try await database.read { db in
            let row = try #require(try await db.raw("SELECT * FROM probe WHERE id = \(bind: id)").first() as? DirectRow)
            let direct = Result { try row.decode(column: column, as: D.self) }
            let data = row.values[try #require(row.columns.index[column])]
            return (direct, Result { try SQLiteDataDecoder().decode(D.self, from: data) })
        }
    }

    func expectSame<D: Decodable & Equatable & Sendable>(
        _ database: SQLiteDatabaseClient, _ id: Int, _ column: String, as type: D.Type, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let (direct, decoder) = try await both(database, id, column, as: type)
        switch (direct, decoder) {
        case (.success(let a), .success(let b)): #expect(a == b, "\(column) of row \(id) as \(D.self)", sourceLocation: sourceLocation)
        case (.failure, .failure): break
        default: Issue.record("\(column) of row \(id) as \(D.self): direct \(direct), decoder \(decoder)", sourceLocation: sourceLocation)
        }
    }

    @Test("every plain column type decodes as SQLiteDataDecoder decodes it, NULLs and mismatches included")
    func plainTypes() async throws {
        try await withDatabase { database in
            for id in 1...3 {
                for column in ["id", "number", "flag", "ratio", "label"] {
                    try await expectSame(database, id, column, as: Int64.self)
                    try await expectSame(database, id, column, as: Int64?.self)
                    try await expectSame(database, id, column, as: Int.self)
                    try await expectSame(database, id, column, as: Int?.self)
                    try await expectSame(database, id, column, as: Bool.self)
                    try await expectSame(database, id, column, as: Bool?.self)
                    try await expectSame(database, id, column, as: Double.self)
                    try await expectSame(database, id, column, as: Double?.self)
                    try await expectSame(database, id, column, as: String.self)
                    try await expectSame(database, id, column, as: String?.self)
                }
            }
            // The values themselves, not only agreement.
            let row = try await database.read { try await $0.raw("SELECT * FROM probe WHERE id = 1").first() }
            #expect(try row?.decode(column: "label", as: String.self) == "Jamón")
            #expect(try row?.decode(column: "flag", as: Bool.self) == true)
            #expect(try row?.decode(column: "ratio", as: Double.self) == 2.5)
            let empty = try await database.read { try await $0.raw("SELECT * FROM probe WHERE id = 2").first() }
            #expect(try empty?.decode(column: "number", as: Int64?.self) == nil)
            #expect(throws: (any Error).self) { try empty?.decode(column: "number", as: Int64.self) }
        }
    }

    @Test("every bound value becomes what SQLiteDataEncoder makes of it, plain types and the rest")
    func bindsAsTheEncoderMakesThem() throws {
        let values: [any Encodable & Sendable] = [
            Int64(0), Int64.max, Int64.min, -7, 42, true, false, 0.5, -1e300, "", "Jamón 🧀", "'; DROP TABLE x; --",
            Int64?.none, Int64?.some(9), String?.none, String?.some("x"), Int?.none, Int?.some(-3), Bool?.none, Bool?.some(true),
            Double?.none, Double?.some(2.25), UInt8(7), Float(1.5), ["a", "b"], ["k": 1], Date(timeIntervalSince1970: 12),
        ]
        let encoder = SQLiteDataEncoder()
        for value in values {
            #expect(try SQLiteDirectDatabase.data(value) == encoder.encode(value), "\(value)")
        }
    }

    @Test("a reader refuses to write, and reads what the writer committed")
    func readerIsReadOnly() async throws {
        try await withDatabase { database in
            await #expect(throws: SQLiteStatementError.self) {
                try await database.read { try await $0.raw("INSERT INTO probe (id) VALUES (9)").run() }
            }
            try await database.withTransaction { try await $0.db.raw("INSERT INTO probe (id, label) VALUES (4, 'new')").run() }
            let label = try await database.read {
                try await $0.raw("SELECT label FROM probe WHERE id = 4").first(decodingColumn: "label", as: String.self)
            }
            #expect(label == "new")
        }
    }

    @Test("closing waits for the reads in progress, and a read after it fails with an error")
    func closeAfterReads() async throws {
        let url = try await TestDatabase.url(.sqlite)
        let database = try await SQLiteDatabaseClient.open(path: String(url.dropFirst("sqlite://".count)), logger: Logger(label: "test"))
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        let reading = Task {
            try await database.read { db in
                startedContinuation.yield()
                try await Task.sleep(for: .milliseconds(200))
                return try await db.raw("SELECT 1 AS one").first(decodingColumn: "one", as: Int.self)
            }
        }
        for await _ in started { break }
        await database.close()
        #expect(try await reading.value == 1)
        await #expect(throws: SQLiteStatementError.self) {
            try await database.read { try await $0.raw("SELECT 1 AS one").run() }
        }
    }
}

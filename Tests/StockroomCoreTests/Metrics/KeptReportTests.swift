import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Dashboard and metrics answers are kept until the next commit (`KeptAnswers`): asked again with nothing
/// committed, the kept answer is served; after a sale, an edit, or a write by another process on the same SQLite
/// file, the answer is worked out again and shows it. PostgreSQL, where another node's commit would not be seen,
/// keeps nothing.
@Suite("Reports kept until the next commit")
struct KeptReportTests {
    @Test("stats and metrics: kept while nothing changes, fresh after a sale and after another process's write", arguments: Engine.allCases)
    func keptUntilCommit(engine: Engine) async throws {
        try await ShopWorld.run(engine, environment: ReportTests.zone) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let coffee = try await client.createProduct(as: owner, barcode: "COFFEE", name: "Coffee", quantity: 100, price: 10, cost: 4)
            let usage = world.database.usage
            func sell() async throws {
                let response = try await client.call(
                    .post, "/api/sales/bulk", as: vendor, json: #"{"items": [{"item_id": \#(coffee), "quantity": 1}]}"#)
                try #require(response.status == .created, "\(response.text)")
            }
            func stats() async throws -> [String: JSONValue] { try await client.call(.get, "/api/stats", as: owner).json() }
            func metrics() async throws -> [String: JSONValue] { try await client.call(.get, "/api/metrics?period=30", as: owner).json() }

            try await sell()
            let first = try await stats()
            #expect(first["sales_today"] == .int(1))
            let before = usage.keptAnswers
            let again = try await stats()
            #expect(again == first)
            // SQLite serves the kept answer; PostgreSQL works it out again and records nothing
            let afterRepeat = usage.keptAnswers
            #expect(afterRepeat.hits == before.hits + (engine == .sqlite ? 1 : 0))
            #expect(afterRepeat.misses == before.misses)

            // a sale commits: the next answer counts it
            try await sell()
            #expect(try await stats()["sales_today"] == .int(2))
            #expect(usage.keptAnswers.misses == afterRepeat.misses + (engine == .sqlite ? 1 : 0))

            // metrics: the same, across an edit of the products the report shows
            let sold = try await metrics()
            #expect(sold["kpis"]?["totalSales"] == .int(2))
            #expect(try await metrics() == sold)
            try await sell()
            #expect(try await metrics()["kpis"]?["totalSales"] == .int(3))

            // a write that does not go through this server (another process on the same file, a hand edit on
            // PostgreSQL): the next answer shows it too
            let costBefore = try await stats()["total_inventory_cost"]
            #expect(costBefore == .int(97 * 4))
            #expect(try await metrics()["inventory"]?["totalCost"] == .int(97 * 4))
            try await Self.writeBehindTheServer(world.database, "UPDATE products SET cost_cents = 500 WHERE id = \(coffee)")
            #expect(try await stats()["total_inventory_cost"] == .int(97 * 5))
            #expect(try await stats()["total_inventory_cost"] == .int(97 * 5))
            // the metrics' kept bytes too (`KeptBodies`)
            #expect(try await metrics()["inventory"]?["totalCost"] == .int(97 * 5))
            #expect(try await metrics()["inventory"]?["totalCost"] == .int(97 * 5))
        }
    }

    @Test("a kept answer is per company and store: another company, another store, another period are their own")
    func keptPerScope() async throws {
        try await ShopWorld.run(.sqlite) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let ownerB = try await client.signIn(world.ownerB)
            _ = try await client.createProduct(as: owner, barcode: "COFFEE", name: "Coffee", quantity: 100, price: 10, cost: 4)
            let company = try await client.call(.get, "/api/stats", as: owner).json()
            let other = try await client.call(.get, "/api/stats", as: ownerB).json()
            #expect(company["products"] == .int(1))
            #expect(other["products"] == .int(0))
            #expect(try await client.call(.get, "/api/stats", as: ownerB).json() == other)
            #expect(try await client.call(.get, "/api/stats", as: owner).json() == company)
            // the second store has no stock of it; the company as a whole has
            #expect(try await client.call(.get, "/api/stats?store_id=\(world.storeA2)", as: owner).json()["products"] == .int(0))
            #expect(try await client.call(.get, "/api/metrics?period=7", as: owner).json()["kpis"]?["totalSales"] == .int(0))
        }
    }

    @Test("a sale given to another seller moves its totals between the sellers, as a rebuild counts them", arguments: Engine.allCases)
    func sellerChanged(engine: Engine) async throws {
        // (the zone `Fixture.rebuild` cuts days in)
        try await ShopWorld.run(engine, environment: ReportTests.zone) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let coffee = try await client.createProduct(as: owner, barcode: "COFFEE", name: "Coffee", quantity: 100, price: 10, cost: 4)
            let sold = try await client.call(.post, "/api/sales/bulk", as: vendor, json: #"{"items": [{"item_id": \#(coffee), "quantity": 2}]}"#)
            try #require(sold.status == .created, "\(sold.text)")
            guard case .int(let sale)? = try sold.json()["sale_id"] else { throw ClusterError("no sale id") }
            let edited = try await client.call(
                .put, "/api/sales/\(sale)", as: owner,
                json: #"{"vendedor": "admina1", "items": [{"item_id": \#(coffee), "quantity": 3}]}"#)
            try #require(edited.status == .ok, "\(edited.text)")
            let sellers = try await client.call(.get, "/api/metrics?period=1", as: owner).json()["vendors"]
            #expect(sellers?.array.map { [$0["username"], $0["sales"], $0["revenue"]] } == [[.string("admina1"), .int(1), .int(30)]])
            let kept = try await Fixture.rollupRows(world.database)
            try await Fixture.rebuild(world.database)
            #expect(try await Fixture.rollupRows(world.database) == kept)
        }
    }

    @Test("the JSON of a kept answer is written once per edition; an answer that is not kept is written each time")
    func bodiesKeptByEdition() throws {
        let bodies = KeptBodies(limit: 2)
        func text(_ bytes: ByteBuffer) -> String { String(buffer: bytes) }
        func answer(_ value: String, _ edition: UInt64?) -> KeptAnswer<String> { KeptAnswer(value: value, edition: edition) }
        let first = try bodies.response(answer("one", 1)) { ["value": $0] }
        #expect(first.headers[.contentLength] == "15")
        #expect(first.headers[.contentType] == "application/json; charset=utf-8")
        // the same edition is the same answer: its bytes are served as kept, the writer is not asked again
        #expect(
            text(
                try bodies.bytes(answer("one", 1)) { _ -> [String: String] in
                    Issue.record("written again")
                    return [:]
                }) == #"{"value":"one"}"#)
        #expect(text(try bodies.bytes(answer("two", 2)) { ["value": $0] }) == #"{"value":"two"}"#)
        // no edition (PostgreSQL): written every time
        #expect(text(try bodies.bytes(answer("three", nil)) { ["value": $0] }) == #"{"value":"three"}"#)
        #expect(text(try bodies.bytes(answer("four", nil)) { ["value": $0] }) == #"{"value":"four"}"#)
        // past its limit the cache starts over: edition 1 is written again
        _ = try bodies.bytes(answer("five", 3)) { ["value": $0] }
        #expect(text(try bodies.bytes(answer("one again", 1)) { ["value": $0] }) == #"{"value":"one again"}"#)
    }

    /// Changes a row on a connection of its own, not the server's: another process on the SQLite file, `psql` on
    /// PostgreSQL.
    static func writeBehindTheServer(_ database: any DatabaseClient, _ sql: String) async throws {
        if let sqlite = database as? SQLiteDatabaseClient {
            let other = try SQLiteDirectConnection(path: sqlite.path)
            defer { other.close() }
            try other.execute(sql, []) { _ in }
        } else {
            try await database.withTransaction { try await $0.db.raw("\(unsafeRaw: sql)").run() }
        }
    }
}

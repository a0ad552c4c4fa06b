import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Stock counts")
struct StockCountTests {
    @Test("a count taken while the store sells posts what the shelves were short or over then; scans add, recounts set", arguments: Engine.allCases)
    func countWhileSelling(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let admin = try await client.signIn(world.adminA1)
            let vendor = try await client.signIn(world.vendorA1)
            let apples = try await client.createProduct(as: owner, barcode: "SC-1", name: "Apples", quantity: 10, storeID: world.storeA1)
            let bread = try await client.createProduct(as: owner, barcode: "SC-2", name: "Bread", quantity: 5, storeID: world.storeA1)
            let candles = try await client.createProduct(as: owner, barcode: "SC-3", name: "Candles", quantity: 3, storeID: world.storeA1)

            let opened = try await client.call(.post, "/api/stock-counts", as: admin, json: #"{"note": "Monthly"}"#)
            #expect(opened.status == .created, "\(opened.text)")
            let count = try opened.json()
            let id = try #require(count["id"]?.int)
            #expect(count["status"] == .string("open") && count["lines"]?.array.count == 3 && count["store_id"] == .int(world.storeA1))
            let again = try await client.call(.post, "/api/stock-counts", as: owner, json: #"{"store_id": \#(world.storeA1)}"#)
            #expect(try again.status == .conflict && again.json()["code"] == .string("count_open"))
            #expect(try await client.call(.post, "/api/stock-counts", as: vendor, json: "{}").status == .forbidden)

            // the vendor scans three apples, then recounts: 8 on the shelf while the system says 10
            for _ in 0..<3 {
                let scan = try await client.call(.post, "/api/stock-counts/\(id)/lines", as: vendor, json: #"{"barcode": "SC-1", "add": 1}"#)
                #expect(scan.status == .ok, "\(scan.text)")
            }
            #expect(try await line(client, id, apples, as: vendor)?["counted"] == .int(3))
            let recount = try await client.call(
                .post, "/api/stock-counts/\(id)/lines", as: vendor, json: #"{"product_id": \#(apples), "counted": 8}"#)
            #expect(try recount.json()["expected"] == .int(10) && recount.json()["difference"] == .int(-2))
            _ = try await client.call(.post, "/api/stock-counts/\(id)/lines", as: vendor, json: #"{"product_id": \#(bread), "counted": 5}"#)
            // a product outside the count found on the shelf joins it
            let dates = try await client.createProduct(as: owner, barcode: "SC-4", name: "Dates", quantity: 0, storeID: world.storeA2)
            let found = try await client.call(.post, "/api/stock-counts/\(id)/lines", as: vendor, json: #"{"barcode": "SC-4", "add": 1}"#)
            #expect(try found.status == .ok && found.json()["expected"] == .int(0) && found.json()["counted"] == .int(1), "\(found.text)")
            for (body, field) in [
                (#"{"product_id": \#(apples)}"#, "counted"), (#"{"product_id": \#(apples), "counted": -1}"#, "counted"),
                (#"{"product_id": \#(apples), "add": 0}"#, "add"),
                (#"{"product_id": \#(apples), "barcode": "SC-1", "add": 1}"#, "product_id"),
            ] {
                let refused = try await client.call(.post, "/api/stock-counts/\(id)/lines", as: vendor, json: body)
                #expect(try refused.status == .badRequest && refused.json()["field"] == .string(field), "\(body): \(refused.text)")
            }
            #expect(
                try await client.call(.post, "/api/stock-counts/\(id)/lines", as: vendor, json: #"{"barcode": "NOPE", "add": 1}"#).status == .notFound
            )

            // two apples sell after they were counted: posting takes the 2 missing off what is left (10 − 2 − 2 = 6)
            let sale = try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "SC-1", "quantity": 2}"#)
            #expect(sale.status == .created)
            #expect(try await client.call(.post, "/api/stock-counts/\(id)/post", as: vendor).status == .forbidden)
            let posted = try await client.call(.post, "/api/stock-counts/\(id)/post", as: admin)
            #expect(posted.status == .ok, "\(posted.text)")
            #expect(try posted.json()["status"] == .string("posted") && posted.json()["closed_at"] != .null)
            #expect(try await world.stock(store: world.storeA1, product: apples) == 6)
            #expect(try await world.stock(store: world.storeA1, product: bread) == 5)
            #expect(try await world.stock(store: world.storeA1, product: candles) == 3)
            #expect(try await world.stock(store: world.storeA1, product: dates) == 1)
            let lines = try posted.json()["lines"]?.array ?? []
            #expect(lines.first { $0["product_id"] == .int(apples) }?["posted_delta"] == .int(-2))
            #expect(lines.first { $0["product_id"] == .int(candles) }?["counted"] == .null)
            let movements = try await client.call(.get, "/api/stock-movements?kind=count", as: owner).json()
            #expect(movements["total"] == .int(2), "\(movements)")
            let closed = try await client.call(.post, "/api/stock-counts/\(id)/post", as: admin)
            #expect(try closed.status == .conflict && closed.json()["code"] == .string("count_closed"))
            #expect(
                try await client.call(.post, "/api/stock-counts/\(id)/lines", as: vendor, json: #"{"barcode": "SC-1", "add": 1}"#).status == .conflict
            )

            // a second count, of what matches "bread", abandoned: nothing changes
            let second = try await client.call(.post, "/api/stock-counts", as: owner, json: #"{"store_id": \#(world.storeA1), "search": "bread"}"#)
            let secondID = try #require(try second.json()["id"]?.int)
            #expect(try second.json()["lines"]?.array.map { $0["product_id"] } == [.int(bread)])
            _ = try await client.call(.post, "/api/stock-counts/\(secondID)/lines", as: admin, json: #"{"product_id": \#(bread), "counted": 0}"#)
            #expect(try await client.call(.post, "/api/stock-counts/\(secondID)/abandon", as: admin).json()["status"] == .string("abandoned"))
            #expect(try await world.stock(store: world.storeA1, product: bread) == 5)

            // the list; another store's admin and another company see nothing
            #expect(try await client.call(.get, "/api/stock-counts?status=posted", as: owner).json()["total"] == .int(1))
            #expect(try await client.call(.get, "/api/stock-counts", as: vendor).json()["total"] == .int(2))
            #expect(try await client.call(.get, "/api/stock-counts/\(id)", as: try await client.signIn(world.adminA2)).status == .notFound)
            #expect(try await client.call(.get, "/api/stock-counts/\(id)", as: try await client.signIn(world.ownerB)).status == .notFound)
            let problems = try await world.ledgerProblems()
            #expect(problems.mismatches.isEmpty && problems.negative == 0)
        }
    }

    @Test("a count posted while sales run leaves the stock the shelves held, less what sold", arguments: Engine.allCases)
    func postDuringSales(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let product = try await client.createProduct(as: owner, barcode: "SP-1", name: "Milk", quantity: 100, storeID: world.storeA1)
            let id = try #require(try await client.call(.post, "/api/stock-counts", as: owner, json: "{}").json()["id"]?.int)
            // 90 on the shelf while the system says 100
            _ = try await client.call(.post, "/api/stock-counts/\(id)/lines", as: owner, json: #"{"product_id": \#(product), "counted": 90}"#)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<21 {
                    group.addTask {
                        if index == 10 { return try await client.call(.post, "/api/stock-counts/\(id)/post", as: owner).status }
                        return try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "SP-1", "quantity": 1}"#).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 20 && statuses.contains(.ok), "\(statuses)")
            // 90 on the shelf, 20 sold: 70, whichever came first
            #expect(try await world.stock(store: world.storeA1, product: product) == 70)
            let problems = try await world.ledgerProblems()
            #expect(problems.mismatches.isEmpty && problems.negative == 0)
        }
    }

    @Test("a shortfall past what is left stops at zero, and the line says what was posted")
    func shortfallStopsAtZero() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "SZ-1", name: "Eggs", quantity: 5, storeID: world.storeA1)
            let id = try #require(try await client.call(.post, "/api/stock-counts", as: owner, json: "{}").json()["id"]?.int)
            _ = try await client.call(.post, "/api/stock-counts/\(id)/lines", as: owner, json: #"{"product_id": \#(product), "counted": 0}"#)
            // the system still sold three (the shelf was wrong, or they came from the back)
            _ = try await client.call(.post, "/api/sales", as: owner, json: #"{"barcode": "SZ-1", "quantity": 3}"#)
            let posted = try await client.call(.post, "/api/stock-counts/\(id)/post", as: owner).json()
            #expect(posted["lines"]?.array.first?["posted_delta"] == .int(-2))
            #expect(try await world.stock(store: world.storeA1, product: product) == 0)
        }
    }

    func line(_ client: some TestClientProtocol, _ countID: Int64, _ productID: Int64, as session: SignedIn) async throws -> JSONValue? {
        try await client.call(.get, "/api/stock-counts/\(countID)", as: session).json()["lines"]?.array.first { $0["product_id"] == .int(productID) }
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Stock valuation")
struct ValuationTests {
    @Test("the value at past moments equals the ledger and the cost history replayed, stores and in transit alike", arguments: Engine.allCases)
    func pastMoments(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let admin = try await client.signIn(world.adminA1)
            let tea = try await client.createProduct(as: owner, barcode: "V-1", name: "Tea", quantity: 10, price: 9, cost: 5, storeID: world.storeA1)
            let jam = try await client.createProduct(as: owner, barcode: "V-2", name: "Jam", quantity: 4, price: 6, cost: 2, storeID: world.storeA1)
            for product in [tea, jam] {
                _ = try await client.call(
                    .patch, "/api/store-inventory/stock", as: owner, json: #"{"productId": \#(product), "storeId": \#(world.storeA2), "stock": 0}"#)
            }
            var moments: [Date] = []
            moments.append(try await Self.nextSecond())

            // a receipt moves tea's average: 10 at 5.00 and 10 at 8.00
            let supplier = try await client.createSupplier(as: owner, name: "Teas")
            let order = try await client.placeOrder(
                as: owner, supplier: supplier, store: world.storeA1, lines: #"{"product_id": \#(tea), "quantity": 10, "unit_cost": 8}"#)
            _ = try await client.call(
                .post, "/api/purchase-orders/\(order["id"]!.int!)/receipts", as: owner, json: #"{"lines": [{"product_id": \#(tea), "quantity": 10}]}"#
            )
            moments.append(try await Self.nextSecond())

            // sales, and four teas sent to A2: on the road
            _ = try await client.call(
                .post, "/api/sales/bulk", as: admin, json: #"{"items": [{"item_id": \#(tea), "quantity": 3}, {"item_id": \#(jam), "quantity": 1}]}"#)
            let sent = try await client.call(
                .post, "/api/transfers", as: owner,
                json: #"{"from_store_id": \#(world.storeA1), "to_store_id": \#(world.storeA2), "lines": [{"product_id": \#(tea), "quantity": 4}]}"#)
            let transfer = try #require(try sent.json()["id"]?.int)
            moments.append(try await Self.nextSecond())

            // three arrive, one lost; jam's cost set by hand
            _ = try await client.call(
                .post, "/api/transfers/\(transfer)/receipts", as: owner,
                json: #"{"lines": [{"product_id": \#(tea), "received": 3, "lost": 1, "reason": "Dropped"}]}"#)
            _ = try await client.call(.put, "/api/products/\(jam)", as: owner, json: #"{"cost": 2.5}"#)
            moments.append(try await Self.nextSecond())

            for moment in moments {
                let at = moment.formatted(.iso8601)
                let answer = try await client.call(.get, "/api/reports/valuation?at=\(at)", as: owner)
                #expect(answer.status == .ok, "\(answer.text)")
                let body = try answer.json()
                let expected = try await Self.replayed(world, at: moment)
                let rows = (body["rows"]?.array ?? []).map {
                    "\($0["store_id"]!) \($0["product_id"]!) \($0["in_transit"]!) \($0["units"]!) \($0["value"]!)"
                }
                #expect(rows.sorted() == expected.rows.sorted(), "at \(at)")
                #expect(body["value"] == JSONValue.money(expected.total), "at \(at): \(String(describing: body["value"]))")
            }
            // at the second moment: 20 teas at 6.50 and 4 jams at 2.00 in A1
            let second = try await client.call(.get, "/api/reports/valuation?at=\(moments[1].formatted(.iso8601))", as: owner).json()
            #expect(second["value"] == .int(138))
            // at the third: 13 teas on A1's shelf, 4 on the road to A2, 3 jams
            let third = try await client.call(
                .get, "/api/reports/valuation?at=\(moments[2].formatted(.iso8601))&store_id=\(world.storeA2)", as: owner
            ).json()
            #expect(third["stores"]?.array.first?["in_transit_units"] == .int(4) && third["units"] == .int(4))
            // an admin sees their store only; a vendor nothing; a bad moment is a 400
            #expect(try await client.call(.get, "/api/reports/valuation?store_id=\(world.storeA2)", as: admin).status == .forbidden)
            #expect(try await client.call(.get, "/api/reports/valuation", as: try await client.signIn(world.vendorA1)).status == .forbidden)
            #expect(try await client.call(.get, "/api/reports/valuation?at=yesterday", as: owner).status == .badRequest)
            let csv = try await client.call(.get, "/api/export/valuation.csv?at=\(moments[1].formatted(.iso8601))", as: owner)
            #expect(csv.status == .ok && csv.text.hasPrefix("store_id,store,product_id") && csv.text.contains(",total,,24,,138"), "\(csv.text)")
        }
    }

    /// Waits past the next whole second and answers it: everything before was written up to it, nothing after.
    static func nextSecond() async throws -> Date {
        let now = Date.now.timeIntervalSince1970
        let next = (now + 0.001).rounded(.up)
        try await Task.sleep(for: .milliseconds(Int((next - now) * 1000) + 20))
        return Date(timeIntervalSince1970: next)
    }

    /// The valuation at `moment` worked out here from the rows themselves: each store's units as the sum of its
    /// movements up to then, what was on the road as minus the sum of each transfer's out and in movements, each
    /// product at its newest cost up to then.
    static func replayed(_ world: ShopWorld, at moment: Date) async throws -> (rows: [String], total: Int64) {
        let limit = moment.unixMilliseconds
        return try await world.database.read { db in
            var units: [String: Int64] = [:]
            var products: Set<Int64> = []
            for row in try await db.raw("SELECT store_id, product_id, delta, kind, reference, created_at FROM stock_movements ORDER BY id").all() {
                guard try row.decode(column: "created_at", as: Int64.self) <= limit else { continue }
                let store = try row.decode(column: "store_id", as: Int64.self)
                let product = try row.decode(column: "product_id", as: Int64.self)
                let delta = try row.decode(column: "delta", as: Int64.self)
                products.insert(product)
                units["\(store) \(product) false", default: 0] += delta
                let kind = try row.decode(column: "kind", as: String.self)
                if kind == "transfer_out" || kind == "transfer_in", let reference = try row.decode(column: "reference", as: String?.self),
                    let to = try await db.raw("SELECT to_store_id FROM transfers WHERE reference = \(bind: reference)").first(
                        decodingColumn: "to_store_id", as: Int64.self)
                {
                    units["\(to) \(product) true", default: 0] -= delta
                }
            }
            var costs: [Int64: Int64] = [:]
            for product in products {
                costs[product] =
                    try await db.raw(
                        """
                        SELECT cost_cents FROM product_cost_changes WHERE product_id = \(bind: product) AND created_at <= \(bind: limit)
                        ORDER BY created_at DESC, id DESC LIMIT 1
                        """
                    ).first(decodingColumn: "cost_cents", as: Int64.self)
            }
            var rows: [String] = []
            var total: Int64 = 0
            for (key, count) in units where count != 0 {
                let parts = key.split(separator: " ")
                let cost = costs[Int64(parts[1])!]!
                total += count * cost
                rows.append("int(\(parts[0])) int(\(parts[1])) bool(\(parts[2])) int(\(count)) \(JSONValue.money(count * cost))")
            }
            return (rows, total)
        }
    }
}

extension JSONValue {
    /// An amount in cents as the API writes it: a whole number without decimals, otherwise the decimal.
    static func money(_ cents: Int64) -> JSONValue {
        cents % 100 == 0 ? .int(cents / 100) : .double(Double(cents) / 100)
    }
}

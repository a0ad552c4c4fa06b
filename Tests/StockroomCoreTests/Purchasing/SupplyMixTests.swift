import ChildProcesses
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Every kind of stock change at once, at random, against a real server: then `stockroom check` — the command a
/// shop runs — must find every level equal to its ledger and every transfer's units in transit equal to its movements.
@Suite("The supply side all at once", .serialized)
struct SupplyMixTests {
    @Test(
        "a randomized mixed run of sales, receipts, two-step transfers with partial receipts and losses, returns and counts leaves stockroom check passing",
        arguments: Engine.allCases)
    func mixedRun(engine: Engine) async throws {
        let directory = try NodeDatabase.directory("stockroom-mix")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try await NodeDatabase.make(engine, in: directory, name: "mix")
        let (url, environment) = (database.url, database.environment)
        let seed = UInt64.random(in: 1...UInt64.max)
        let run = try await StockroomNode.withNodes(1, environment: environment) { nodes in
            let node = nodes[0]
            let owner = try await node.signIn("admin", TestDatabase.ownerPassword)
            let shop = try await SupplyCrashTests.seed(node, owner: owner)
            let me = try JSONDecoder().decode(
                JSONValue.self, from: Data(buffer: try await node.request(.get, "/api/me", cookie: owner).body ?? ByteBuffer()))
            guard case .int(let home)? = me["store_id"] else { throw ClusterError("no home store") }
            let stores = try JSONDecoder().decode(
                JSONValue.self, from: Data(buffer: try await node.request(.get, "/api/stores", cookie: owner).body ?? ByteBuffer()))
            let other = stores["data"]?.array.compactMap { $0["storeId"]?.int }.first { $0 != home } ?? home
            let mix = Mix(node: node, cookie: owner, order: shop.order, products: shop.products, stores: [home, other], transfers: [shop.transfer])
            // 40 rounds of 8 operations at once
            for round in 0..<40 {
                await withTaskGroup(of: Void.self) { group in
                    for worker in 0..<8 {
                        group.addTask {
                            var random = CrashLoad.Random(seed: seed &+ UInt64(round * 8 + worker) &* 0x9E37_79B9)
                            await mix.step(&random)
                        }
                    }
                }
            }
            return mix.summary
        }
        let outcome = run.result
        if !outcome.unexpected.isEmpty { print(run.logs.suffix(20_000)) }
        #expect(run.exitStatuses == [0], "the server stopped cleanly\n\(run.logs.suffix(3_000))")
        #expect(outcome.unexpected.isEmpty, "seed \(seed): \(outcome.unexpected.prefix(20).joined(separator: "\n"))")
        let done: [String: Int] = outcome.done
        for kind in ["sale", "receipt", "dispatch", "transfer receipt", "return", "count entry", "count posted"] {
            let succeeded = done[kind] ?? 0
            #expect(succeeded > 0, "seed \(seed): no \(kind) succeeded: \(done)")
        }
        print(
            "SupplyMix[\(engine)] seed \(seed): done \(outcome.done.sorted { $0.key < $1.key }), refused \(outcome.refused.sorted { $0.key < $1.key })"
        )

        // the shop's own command says the books balance
        let check = try await CommandRun.stockroom(["check"], environment: environment, in: directory)
        #expect(check.status == 0 && check.output.contains("✔ Every stock level matches its ledger"), "\(check)")
        // and it would say so if a transfer's line were changed behind the ledger's back
        let config = try AppConfig(values: ["STOCKROOM_DATABASE_URL": url])
        try await TestDatabase.withClient(engine, config: config) { database in
            try await database.withTransaction {
                try await $0.db.raw("UPDATE transfer_lines SET lost = lost + 1 WHERE received + lost < quantity").run()
            }
        }
        let tampered = try await CommandRun.stockroom(["check"], environment: environment, in: directory)
        #expect(tampered.status == 1 && tampered.output.contains("transfer"), "\(tampered)")
    }

    /// The random operations and what came of them.
    final class Mix: @unchecked Sendable {
        struct Summary: Sendable {
            var done: [String: Int] = [:]
            var refused: [String: Int] = [:]
            var unexpected: [String] = []
        }

        let node: StockroomNode
        let cookie: String
        let order: Int64
        let products: [Int64]
        let stores: [Int64]
        private let state: NIOLockedValueBox<(summary: Summary, transfers: [Int64], sales: [Int64], count: Int64?)>

        init(node: StockroomNode, cookie: String, order: Int64, products: [Int64], stores: [Int64], transfers: [Int64]) {
            self.node = node
            self.cookie = cookie
            self.order = order
            self.products = products
            self.stores = stores
            state = NIOLockedValueBox((Summary(), transfers, [], nil))
        }

        var summary: Summary { state.withLockedValue { $0.summary } }

        func step(_ random: inout CrashLoad.Random) async {
            let product = products[Int(random.below(UInt64(products.count)))]
            let units = 1 + Int64(random.below(4))
            let (from, to) = random.below(4) == 0 ? (stores[1], stores[0]) : (stores[0], stores[1])
            let (transfers, sales, count) = state.withLockedValue { ($0.transfers, $0.sales, $0.count) }
            switch random.below(9) {
            case 0, 1:
                await send("sale", .post, "/api/sales/bulk", #"{"items": [{"item_id": \#(product), "quantity": \#(units)}], "store_id": \#(from)}"#) {
                    json in json["sale_id"]?.int.map { id in self.state.withLockedValue { $0.sales.append(id) } }
                }
            case 2:
                await send(
                    "receipt", .post, "/api/purchase-orders/\(order)/receipts", #"{"lines": [{"product_id": \#(product), "quantity": \#(units)}]}"#)
            case 3:
                await send(
                    "dispatch", .post, "/api/transfers",
                    #"{"from_store_id": \#(from), "to_store_id": \#(to), "lines": [{"product_id": \#(product), "quantity": \#(units * 3)}]}"#
                ) { json in json["id"]?.int.map { id in self.state.withLockedValue { $0.transfers.append(id) } } }
            case 4:
                let transfer = transfers[Int(random.below(UInt64(transfers.count)))]
                let lost = random.below(4) == 0 ? 1 : 0
                await send(
                    "transfer receipt", .post, "/api/transfers/\(transfer)/receipts",
                    #"{"lines": [{"product_id": \#(product), "received": \#(units), "lost": \#(lost), "reason": "Dented"}]}"#)
            case 5 where !sales.isEmpty:
                let sale = sales[Int(random.below(UInt64(sales.count)))]
                let restock = random.below(3) != 0
                await send(
                    "return", .post, "/api/sales/\(sale)/returns",
                    #"{"items": [{"item_id": \#(product), "quantity": 1, "restock": \#(restock), "reason": "Broken"}]}"#)
            case 6, 7:
                guard let count else {
                    await send("count opened", .post, "/api/stock-counts", #"{"store_id": \#(stores[0])}"#) { json in
                        json["id"]?.int.map { id in self.state.withLockedValue { $0.count = $0.count ?? id } }
                    }
                    return
                }
                let body =
                    random.below(2) == 0
                    ? #"{"product_id": \#(product), "add": 1}"# : #"{"product_id": \#(product), "counted": \#(90_000 + Int64(random.below(20_000)))}"#
                await send("count entry", .post, "/api/stock-counts/\(count)/lines", body)
            default:
                guard let count else { return }
                await send("count posted", .post, "/api/stock-counts/\(count)/post", "{}") { _ in
                    self.state.withLockedValue { if $0.count == count { $0.count = nil } }
                }
            }
        }

        /// Sends one operation; a success runs `done`; the refusals a busy shop meets (not enough stock, more than is
        /// due or in transit, more than was sold, a product not on the sale, a count already closed or open) are
        /// counted; anything else is unexpected.
        private func send(
            _ kind: String, _ method: HTTPRequest.Method, _ path: String, _ json: String, done: (JSONValue) -> Void = { _ in }
        ) async {
            do {
                let response = try await node.request(method, path, cookie: cookie, json: json)
                let text = response.body.map { String(buffer: $0) } ?? ""
                if response.status == .ok || response.status == .created {
                    state.withLockedValue { $0.summary.done[kind, default: 0] += 1 }
                    if let json = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) { done(json) }
                    return
                }
                let expected = [
                    "insufficient_stock", "over_receipt", "return_exceeds_sale", "transfer_received", "count_closed", "count_open",
                    "is not on",
                ]
                if response.status == .conflict || response.status == .badRequest, expected.contains(where: text.contains) {
                    state.withLockedValue { $0.summary.refused[kind, default: 0] += 1 }
                } else {
                    state.withLockedValue { $0.summary.unexpected.append("\(kind) \(path) \(json) → \(response.status.code) \(text.prefix(300))") }
                }
            } catch {
                state.withLockedValue { $0.summary.unexpected.append("\(kind) \(path): \(error)") }
            }
        }
    }
}

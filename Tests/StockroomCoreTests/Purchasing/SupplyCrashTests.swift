import ChildProcesses
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// SIGKILL while goods arrive: deliveries against purchase orders and transfers taken in, each with an
/// `Idempotency-Key` as the receiving page sends it. After a restart every acknowledged receipt is there and whole,
/// nothing was received twice, and the ledger balances — what is in transit included.
@Suite("Receiving through a crash", .serialized)
struct SupplyCrashTests {
    /// A receipt as sent: where, its body and its key (a retry after the restart sends the same).
    struct Sent: Sendable {
        let path: String
        let json: String
        let key: String
        let units: Int64
    }

    /// What the stream saw.
    struct Seen: Sendable {
        var sent = 0
        var acknowledged: [(path: String, receiptID: Int64, units: Int64)] = []
        var refused = 0
        var unanswered: [Sent] = []
        var unexpected: [String] = []
    }

    @Test(
        "SIGKILL in a stream of order receipts and transfer receipts: acknowledged means present, nothing received twice, the books balance",
        arguments: Engine.allCases)
    func killWhileReceiving(engine: Engine) async throws {
        let directory = try NodeDatabase.directory("stockroom-supply-crash")
        let database = try await NodeDatabase.make(engine, in: directory, name: "crash")
        let (url, environment) = (database.url, database.environment)
        var nodes: [StockroomNode] = []
        do {
            let first = try await StockroomNode.startReady(name: "supply-crash-\(engine)-1", environment: environment)
            nodes.append(first)
            let owner = try await first.signIn("admin", TestDatabase.ownerPassword)
            let (order, transfer, products) = try await Self.seed(first, owner: owner)

            // eight receivers without pause, until 200 receipts are sent (1 s at the earliest, 20 s at the latest)
            let state = NIOLockedValueBox(Seen())
            let stopped = NIOLockedValueBox(false)
            let load = Task {
                await withTaskGroup(of: Void.self) { group in
                    for loop in 0..<8 {
                        group.addTask {
                            var random = CrashLoad.Random(seed: UInt64(loop + 1) &* 0x9E37_79B9)
                            while !stopped.withLockedValue({ $0 }) {
                                let units = 1 + Int64(random.below(3))
                                let product = products[Int(random.below(UInt64(products.count)))]
                                let sent =
                                    random.below(2) == 0
                                    ? Sent(
                                        path: "/api/purchase-orders/\(order)/receipts",
                                        json: #"{"lines": [{"product_id": \#(product), "quantity": \#(units)}]}"#, key: "po-" + UUID().uuidString,
                                        units: units)
                                    : Sent(
                                        path: "/api/transfers/\(transfer)/receipts",
                                        json: random.below(5) == 0
                                            ? #"{"lines": [{"product_id": \#(product), "received": \#(units - 1), "lost": 1, "reason": "Dented"}]}"#
                                            : #"{"lines": [{"product_id": \#(product), "received": \#(units)}]}"#,
                                        key: "tr-" + UUID().uuidString, units: units)
                                state.withLockedValue { $0.sent += 1 }
                                do {
                                    let response = try await first.request(
                                        .post, sent.path, cookie: owner, json: sent.json, headers: [Idempotency.headerName: sent.key])
                                    state.withLockedValue { Self.record(sent, response, &$0) }
                                } catch {
                                    state.withLockedValue { $0.unanswered.append(sent) }
                                }
                            }
                        }
                    }
                }
            }
            let start = ContinuousClock.now
            while true {
                try await Task.sleep(for: .milliseconds(20))
                let elapsed = ContinuousClock.now - start
                let seen = state.withLockedValue { $0 }
                if elapsed >= .seconds(20) || (!seen.acknowledged.isEmpty && elapsed >= .seconds(1) && seen.sent >= 200) { break }
            }
            stopped.withLockedValue { $0 = true }
            let killedWith = await first.kill()
            await load.value
            #expect(killedWith == 128 + SIGKILL)
            let beforeRetry = state.withLockedValue { $0 }
            // (answers cut by the kill are the only unexpected thing allowed: they are retried below)
            #expect(beforeRetry.unexpected.isEmpty, "\(beforeRetry.unexpected.prefix(10))")
            #expect(!beforeRetry.acknowledged.isEmpty)

            // the same database, a new process; every unanswered receipt sent again with its key
            let second = try await StockroomNode.startReady(name: "supply-crash-\(engine)-2", environment: environment)
            nodes.append(second)
            var retried = Seen()
            for sent in beforeRetry.unanswered {
                let response = try await second.request(.post, sent.path, cookie: owner, json: sent.json, headers: [Idempotency.headerName: sent.key])
                Self.record(sent, response, &retried)
            }
            #expect(retried.unexpected.isEmpty && retried.unanswered.isEmpty, "\(retried.unexpected.prefix(10))")
            let acknowledged = beforeRetry.acknowledged + retried.acknowledged

            // the books, read directly
            let config = try AppConfig(values: ["STOCKROOM_DATABASE_URL": url])
            try await TestDatabase.withClient(engine, config: config) { database in
                try await database.read { db in
                    // every acknowledged receipt is there, once; nothing is there that was not acknowledged
                    let orderReceipts = Set(
                        try await db.raw("SELECT id FROM purchase_receipts WHERE order_id = \(bind: order)").all(decodingColumn: "id", as: Int64.self)
                    )
                    let transferReceipts = Set(
                        try await db.raw("SELECT id FROM transfer_receipts WHERE transfer_id = \(bind: transfer)").all(
                            decodingColumn: "id", as: Int64.self))
                    let acknowledgedOrder = Set(acknowledged.filter { $0.path.contains("purchase-orders") }.map(\.receiptID))
                    let acknowledgedTransfer = Set(acknowledged.filter { $0.path.contains("transfers") }.map(\.receiptID))
                    #expect(orderReceipts == acknowledgedOrder, "order receipts \(orderReceipts.count), acknowledged \(acknowledgedOrder.count)")
                    #expect(
                        transferReceipts == acknowledgedTransfer,
                        "transfer receipts \(transferReceipts.count), acknowledged \(acknowledgedTransfer.count)")
                    // each line received what its receipts and its movements say
                    let lineReceived =
                        try await db.raw("SELECT CAST(SUM(received) AS BIGINT) AS n FROM purchase_order_lines WHERE order_id = \(bind: order)")
                        .first(decodingColumn: "n", as: Int64.self) ?? 0
                    let receiptMovements =
                        try await db.raw(
                            "SELECT CAST(COALESCE(SUM(delta), 0) AS BIGINT) AS n FROM stock_movements WHERE kind = 'receipt' AND reference = \(bind: "purchase_order:\(order)")"
                        ).first(decodingColumn: "n", as: Int64.self) ?? 0
                    let acknowledgedUnits = acknowledged.filter { $0.path.contains("purchase-orders") }.reduce(0) { $0 + $1.units }
                    #expect(lineReceived == acknowledgedUnits && receiptMovements == acknowledgedUnits)
                    #expect(try await LedgerRepository().mismatches(db).isEmpty)
                    #expect(try await LedgerRepository().transitMismatches(db).isEmpty)
                }
            }
            print(
                "SupplyCrash[\(engine)]: \(beforeRetry.sent) receipts sent, \(beforeRetry.acknowledged.count) acknowledged before the kill, \(beforeRetry.refused) refused, \(beforeRetry.unanswered.count) unanswered and retried with their keys (\(retried.acknowledged.count) acknowledged then)"
            )
            #expect(await second.process.terminate() == 0)
            for node in nodes { try? FileManager.default.removeItem(at: node.directory) }
            try? FileManager.default.removeItem(at: directory)
        } catch {
            for node in nodes { await node.process.terminate() }
            print(nodes.logs)
            throw error
        }
    }

    /// An answer: a receipt acknowledged (its id the newest of the order's or transfer's receipts in the answer,
    /// written in the same transaction), or refused because the line was already full.
    static func record(_ sent: Sent, _ response: TestClient.Response, _ seen: inout Seen) {
        let text = response.body.map { String(buffer: $0) } ?? ""
        guard response.status == .created else {
            if response.status == .conflict, text.contains("over_receipt") {
                seen.refused += 1
            } else {
                seen.unexpected.append("\(sent.path) → \(response.status.code) \(text.prefix(300))")
            }
            return
        }
        let json = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        guard case .int(let id)? = json?["receipts"]?.array.last?["id"] else {
            seen.unexpected.append("\(sent.path) acknowledged as \(text.prefix(300))")
            return
        }
        seen.acknowledged.append((sent.path, id, sent.units))
    }

    /// Three products with plenty of stock in the first store and carried by a second; a placed order for a lot of
    /// each; a transfer of a lot of each to the second store, dispatched.
    static func seed(_ node: StockroomNode, owner: String) async throws -> (order: Int64, transfer: Int64, products: [Int64]) {
        func post(_ path: String, _ json: String) async throws -> JSONValue {
            let response = try await node.request(.post, path, cookie: owner, json: json)
            guard response.status == .created || response.status == .ok else {
                throw ClusterError("\(path): \(response.status) \(response.body.map { String(buffer: $0) } ?? "")")
            }
            return try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body ?? ByteBuffer()))
        }
        guard case .int(let second)? = try await post("/api/stores", #"{"name": "Back store"}"#)["storeId"] else { throw ClusterError("no store") }
        var products: [Int64] = []
        for barcode in ["FLOUR", "SUGAR", "OIL"] {
            guard
                case .int(let id)? = try await post(
                    "/api/products", #"{"barcode": "\#(barcode)", "name": "\#(barcode.capitalized)", "quantity": 100000, "price": 2, "cost": 1}"#)[
                        "id"]
            else { throw ClusterError("no product") }
            _ = try await node.request(
                .patch, "/api/store-inventory/stock", cookie: owner, json: #"{"productId": \#(id), "storeId": \#(second), "stock": 0}"#)
            products.append(id)
        }
        guard case .int(let supplier)? = try await post("/api/suppliers", #"{"name": "Mill"}"#)["id"] else { throw ClusterError("no supplier") }
        let lines = products.map { #"{"product_id": \#($0), "quantity": 100000, "unit_cost": 1.13}"# }.joined(separator: ", ")
        guard case .int(let order)? = try await post("/api/purchase-orders", #"{"supplier_id": \#(supplier), "lines": [\#(lines)]}"#)["id"] else {
            throw ClusterError("no order")
        }
        _ = try await post("/api/purchase-orders/\(order)/order", "{}")
        let me = try JSONDecoder().decode(
            JSONValue.self, from: Data(buffer: try await node.request(.get, "/api/me", cookie: owner).body ?? ByteBuffer()))
        guard case .int(let home)? = me["store_id"] else { throw ClusterError("no home store") }
        let sent = products.map { #"{"product_id": \#($0), "quantity": 50000}"# }.joined(separator: ", ")
        guard
            case .int(let transfer)? = try await post(
                "/api/transfers", #"{"from_store_id": \#(home), "to_store_id": \#(second), "lines": [\#(sent)]}"#)["id"]
        else { throw ClusterError("no transfer") }
        return (order, transfer, products)
    }
}

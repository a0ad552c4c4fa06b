import ChildProcesses
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Crash safety")
struct CrashSafetyTests {
    @Test("a graceful stop (SIGTERM) right after a burst of sales still writes every sale's notification")
    func gracefulStopDrainsNotifications() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "stockroom-drain-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = "sqlite://" + directory.appending(path: "drain.sqlite").path
        let environment = [
            "STOCKROOM_DATABASE_URL": url, "STOCKROOM_BCRYPT_COST": "4", "STOCKROOM_ADMIN_PASSWORD": TestDatabase.ownerPassword,
            "STOCKROOM_LOG_LEVEL": "warning",
        ]
        let node = try await StockroomNode.startReady(name: "drain", environment: environment)
        let owner = try await node.signIn("admin", TestDatabase.ownerPassword)
        let product = #"{"barcode": "DRAIN", "name": "Drain", "quantity": 100000, "price": 1, "cost": 0.5}"#
        #expect(try await node.request(.post, "/api/products", cookie: owner, json: product).status == .created)
        // a burst from eight clients at once: SQLite's one writer makes the notifications queue up behind the sales
        let acknowledged = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var sold = 0
                    for _ in 0..<40 {
                        let sale = try? await node.request(.post, "/api/sales", cookie: owner, json: #"{"barcode": "DRAIN", "quantity": 1}"#)
                        if sale?.status == .created { sold += 1 }
                    }
                    return sold
                }
            }
            return await group.reduce(0, +)
        }
        let status = await node.process.terminate()
        #expect(acknowledged == 320 && status == 0, "\(acknowledged) sales acknowledged; exit \(status)\n\([node].logs.suffix(3_000))")
        let written = try await TestDatabase.withClient(.sqlite, config: try AppConfig(values: ["STOCKROOM_DATABASE_URL": url])) { database in
            try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE title = 'Sale registered'").first(decodingColumn: "n", as: Int.self)
                    ?? 0
            }
        }
        #expect(written == acknowledged, "every acknowledged sale's notification was written before the server stopped\n\([node].logs.suffix(3_000))")
    }

    // One engine after the other: each gets the machine to itself for its load, so the kill lands in a busy stream.
    @Test(
        "SIGKILL in the middle of a stream of sales and transfers: after a restart every acknowledged write is there and whole, and the books balance",
        .serialized, arguments: Engine.allCases)
    func killMidStream(engine: Engine) async throws {
        // setup: a real server on a database of its own (a file for SQLite, so the restart finds it again)
        let directory = try NodeDatabase.directory("stockroom-crash")
        let database = try await NodeDatabase.make(engine, in: directory, name: "crash")
        let (url, environment) = (database.url, database.environment)
        var nodes: [StockroomNode] = []
        do {
            let first = try await StockroomNode.startReady(name: "crash-\(engine)-1", environment: environment)
            nodes.append(first)
            let owner = try await first.signIn("admin", TestDatabase.ownerPassword)
            let (shop, seeded) = try await Self.seed(first, owner: owner)

            // act: eight clients sell and transfer without pause; once they have sent 300 requests (after 1 s at
            // the earliest, 3 s at the latest: a debug build sells about 50–100 a second) the server is killed under them
            let load = CrashLoad()
            let seed = UInt64.random(in: 1...UInt64.max)
            let loadTask = Task { await load.run(node: first, cookie: owner, shop: shop, loops: 8, seed: seed) }
            let loadStart = ContinuousClock.now
            while true {
                try await Task.sleep(for: .milliseconds(20))
                let elapsed = ContinuousClock.now - loadStart
                // On a busy machine the same 3 s may hold only a handful of answers: keep going (up to 30 s) until
                // the stream has sold, transferred and run short, so the kill lands in a stream that did all three.
                let state = load.snapshot
                let varied = !state.acknowledgedSales.isEmpty && !state.acknowledgedTransfers.isEmpty && state.refused[.sale, default: 0] > 0
                if elapsed >= .seconds(30) || (varied && (elapsed >= .seconds(3) || (elapsed >= .seconds(1) && load.sentSoFar >= 300))) { break }
            }
            load.stop()
            let killedWith = await first.kill()
            let loadTime = ContinuousClock.now - loadStart
            await loadTask.value
            let beforeRetries = load.snapshot
            #expect(killedWith == 128 + SIGKILL, "the server was killed, not stopped")
            #expect(beforeRetries.inFlightAtKill > 0, "the kill came with requests in flight")
            #expect(
                !beforeRetries.acknowledgedSales.isEmpty && !beforeRetries.acknowledgedTransfers.isEmpty
                    && beforeRetries.refused[.sale, default: 0] > 0,
                "the stream sold, transferred and ran short before the kill: \(beforeRetries.sent) sent")
            #expect(
                beforeRetries.unexpected.isEmpty,
                "answers that were neither acknowledgements nor refusals for want of stock:\n\(beforeRetries.unexpected.prefix(20).joined(separator: "\n"))"
            )

            // the same database, a new process
            let restartStart = ContinuousClock.now
            let second = try await StockroomNode.startReady(name: "crash-\(engine)-2", environment: environment)
            nodes.append(second)
            let restartTime = ContinuousClock.now - restartStart
            let config = try AppConfig(values: ["STOCKROOM_DATABASE_URL": url])
            let booksAtRestart = try await TestDatabase.withClient(engine, config: config) { database in
                try await database.read { try await CrashBooks.read($0) }
            }
            // every request that got no answer, sent again with its own key: a replay or its first effect, never
            // "still being processed"
            let retryProblems = await load.retryUnanswered(node: second, cookie: owner)
            let results = load.snapshot

            // check: the books, read directly
            let books = try await TestDatabase.withClient(engine, config: config) { database in
                try await database.read { try await CrashBooks.read($0) }
            }
            var checks = Array(books.problems(shop: shop, seeded: seeded, results: results))
            let stillUnacknowledged = books.committedWithoutAcknowledgement(results)
            checks.append(
                (
                    "every unanswered request, retried with its key, replayed its committed answer or took effect once",
                    retryProblems + results.unexpected
                        + (stillUnacknowledged.sales == 0 && stillUnacknowledged.transfers == 0
                            ? [] : ["committed without an acknowledgement after the retries: \(stillUnacknowledged)"])
                ))

            // check: through the API, with the session made before the crash
            checks.append(("the restarted server answers as before", try await Self.apiProblems(second, owner: owner, shop: shop, results: results)))
            let after = try await TestDatabase.withClient(engine, config: config) { database in
                try await database.read { try await LedgerRepository().mismatches($0) }
            }
            checks.append(("ledger balances after the new writes", after.map(\.description)))
            // "Sale registered" is written by the sale's own transaction: a kill cannot take it from an acknowledged sale
            let lacking = Set(results.acknowledgedSales.map(\.id)).subtracting(books.saleNotifications).sorted()
            checks.append(("every acknowledged sale has its \"Sale registered\"", lacking.map { "sale \($0) has none" }))

            // the summary CI shows
            let unansweredButCommitted = booksAtRestart.committedWithoutAcknowledgement(beforeRetries)
            let failed = checks.filter { !$0.1.isEmpty }
            print(
                """
                CrashSafety[\(engine)]: \(results.totalSent) requests in \(loadTime.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2)))) \
                (\(results.sent[.sale, default: 0]) sales, \(results.sent[.transfer, default: 0]) transfers, 8 clients, seed \(seed)); \
                acknowledged \(results.acknowledgedSales.count) sales, \(results.acknowledgedTransfers.count) transfers; \
                refused \(results.refused.values.reduce(0, +)) (\(results.refused[.sale, default: 0]) sales 409, \(results.refused[.transfer, default: 0]) transfers 400); \
                \(results.inFlightAtKill) in flight at the kill, \(results.unanswered.values.reduce(0, +)) unanswered, of which committed \
                \(unansweredButCommitted.sales) sales, \(unansweredButCommitted.transfers) transfers; \
                retried with their keys after the restart \(results.retried): \(results.replayed) replayed, \(results.retried - results.replayed) took effect then; \
                SIGKILL → exit \(killedWith); restart ready in \(restartTime.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2)))); \
                notifications: \(lacking.count) acknowledged sales lack "Sale registered" (written with the sale); \
                \(books.lowStockNotifications) "Low stock" for \(books.lowStockDips) dips (published after commit, lost with the process); \
                checks: \(failed.isEmpty ? "all \(checks.count) passed" : "\(checks.count - failed.count)/\(checks.count) passed, FAILED " + failed.map { "\($0.0) (\($0.1.count))" }.joined(separator: ", "))
                """)
            for (check, problems) in checks {
                #expect(problems.isEmpty, "\(check): \(problems.count) problem(s)\n\(problems.prefix(20).joined(separator: "\n"))")
            }

            // SIGTERM still stops the restarted server gracefully
            #expect(await second.process.terminate() == 0, "\(nodes.logs)")
            if failed.isEmpty && results.unexpected.isEmpty {
                for node in nodes { try? FileManager.default.removeItem(at: node.directory) }
                try? FileManager.default.removeItem(at: directory)
            } else {
                print(nodes.logs)
            }
        } catch {
            for node in nodes { await node.process.terminate() }
            print(nodes.logs)
            throw error
        }
    }

    /// A second store, six products with plenty of stock in the owner's store and one with little; returns the
    /// shop and each product's opening stock.
    static func seed(_ node: StockroomNode, owner: String) async throws -> (CrashLoad.Shop, [Int64: Int64]) {
        let created = try await node.request(.post, "/api/stores", cookie: owner, json: #"{"name": "Second store"}"#)
        guard created.status == .created, case .int(let second)? = try created.bodyJSON()["storeId"] else {
            throw ClusterError("creating a store: \(created.status) \(created.bodyText)")
        }
        let stores = try await node.request(.get, "/api/stores", cookie: owner).bodyJSON()["data"]?.array ?? []
        let ids = stores.compactMap { store -> Int64? in if case .int(let id)? = store["storeId"] { id } else { nil } }
        guard let first = ids.first(where: { $0 != second }), ids.count == 2 else { throw ClusterError("stores: \(stores)") }
        var seeded: [Int64: Int64] = [:]
        var plenty: [Int64] = []
        var scarce: Int64 = 0
        let products: [(String, Int64, String)] = [
            ("TEA", 100_000, "2.5"), ("CAKE", 100_000, "7.25"), ("JAM", 100_000, "3"), ("SOAP", 100_000, "1.99"),
            ("RICE", 100_000, "12"), ("SALT", 100_000, "0.45"), ("SAFFRON", 6, "19.9"),
        ]
        for (barcode, quantity, price) in products {
            let response = try await node.request(
                .post, "/api/products", cookie: owner,
                json: """
                    {"barcode": "\(barcode)", "name": "\(barcode.capitalized)", "quantity": \(quantity), "min_quantity": 0, "price": \(price), "cost": 1}
                    """)
            guard response.status == .created, case .int(let id)? = try response.bodyJSON()["id"] else {
                throw ClusterError("creating \(barcode): \(response.status) \(response.bodyText)")
            }
            seeded[id] = quantity
            if quantity < 1000 { scarce = id } else { plenty.append(id) }
        }
        return (CrashLoad.Shop(first: first, second: second, plenty: plenty, scarce: scarce), seeded)
    }

    /// What the restarted server gets wrong: every acknowledged sale as acknowledged (read with the session made
    /// before the crash), and a new sale and a new transfer go through.
    static func apiProblems(_ node: StockroomNode, owner: String, shop: CrashLoad.Shop, results: CrashLoad.Results) async throws -> [String] {
        var problems: [String] = []
        for sale in results.acknowledgedSales {
            let response = try await node.request(.get, "/api/sales/\(sale.id)", cookie: owner)
            guard response.status == .ok else {
                problems.append("GET /api/sales/\(sale.id): \(response.status) \(response.bodyText)")
                continue
            }
            let body = try response.bodyJSON()
            let lines = body["products"]?.array.compactMap { line -> CrashLoad.Line? in
                guard case .int(let product)? = line["product_id"], case .int(let quantity)? = line["quantity"] else { return nil }
                return CrashLoad.Line(productID: product, quantity: quantity)
            }.sorted()
            if lines != sale.lines || body["store_id"] != .int(sale.storeID) || body["status"] != .string("completed") {
                problems.append("sale \(sale.id): acknowledged \(sale.lines) in store \(sale.storeID), served \(response.bodyText)")
            }
        }
        let sold = try await node.request(
            .post, "/api/sales/bulk", cookie: owner, json: #"{"items": [{"item_id": \#(shop.plenty[0]), "quantity": 2}]}"#)
        if sold.status == .created, case .int(let id)? = try sold.bodyJSON()["sale_id"] {
            let read = try await node.request(.get, "/api/sales/\(id)", cookie: owner)
            if read.status != .ok { problems.append("the new sale \(id) reads as \(read.status) \(read.bodyText)") }
        } else {
            problems.append("a new sale: \(sold.status) \(sold.bodyText)")
        }
        let moved = try await node.request(
            .post, "/api/store-inventory/transfer", cookie: owner,
            json: """
                {"productId": \(shop.plenty[1]), "fromStoreId": \(shop.first), "toStoreId": \(shop.second), "quantity": 1}
                """)
        if moved.status != .ok { problems.append("a new transfer: \(moved.status) \(moved.bodyText)") }
        return problems
    }
}

extension TestClient.Response {
    fileprivate var bodyText: String { body.map { String(buffer: $0) } ?? "" }

    fileprivate func bodyJSON() throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(bodyText.utf8))
    }
}

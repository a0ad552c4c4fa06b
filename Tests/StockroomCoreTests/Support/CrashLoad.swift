import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// A stream of concurrent sales and transfers against a real `stockroom serve`, recording what the server
/// acknowledged, what it refused and what got no answer, until `stop()` (called just before the server is killed).
/// Every request carries an `Idempotency-Key` of its own, as a till's does, so that after the restart the requests
/// that got no answer can be sent again with it (`retryUnanswered`).
final class CrashLoad: @unchecked Sendable {
    struct Line: Hashable, Comparable, Sendable, CustomStringConvertible {
        var productID: Int64
        var quantity: Int64

        static func < (a: Line, b: Line) -> Bool { (a.productID, a.quantity) < (b.productID, b.quantity) }
        var description: String { "\(quantity)×#\(productID)" }
    }

    struct Sale: Sendable {
        var id: Int64
        var storeID: Int64
        var lines: [Line]
    }

    struct Transfer: Sendable {
        var reference: String
        var productID: Int64
        var from: Int64
        var to: Int64
        var quantity: Int64
    }

    enum Kind: String, Sendable { case sale, transfer }

    /// The shop the load runs in: two stores, products with plenty of stock in the first and one with little.
    struct Shop: Sendable {
        var first: Int64
        var second: Int64
        var plenty: [Int64]
        var scarce: Int64
    }

    /// What the load saw, once it has ended.
    struct Results: Sendable {
        var sent: [Kind: Int] = [:]
        var acknowledgedSales: [Sale] = []
        var acknowledgedTransfers: [Transfer] = []
        var refused: [Kind: Int] = [:]
        /// Requests without an answer (the connection died with the server).
        var unanswered: [Kind: Int] = [:]
        /// Requests begun and not yet answered when the load was stopped, just before the kill.
        var inFlightAtKill = 0
        /// Answers that are neither an acknowledgement nor an expected refusal, and errors before the kill.
        var unexpected: [String] = []
        /// Unanswered requests sent again after the restart with their keys, and how many of those answers were
        /// replays of an answer committed before the kill.
        var retried = 0
        var replayed = 0

        var totalSent: Int { sent.values.reduce(0, +) }
    }

    private enum Planned {
        case sale(storeID: Int64, lines: [Line])
        case transfer(productID: Int64, from: Int64, to: Int64, quantity: Int64)

        var kind: Kind {
            if case .sale = self { return .sale }
            return .transfer
        }
    }

    /// A request as sent: what it was, its key and its body (a retry sends the same).
    private struct Sent {
        let planned: Planned
        let key: String
        let path: String
        let json: String
    }

    private let lock = NSLock()
    private var stopped = false
    private var lost: [Sent] = []
    private var inFlight = 0
    private var results = Results()

    var snapshot: Results { lock.withLock { results } }
    var sentSoFar: Int { lock.withLock { results.totalSent } }

    /// No request begins after this; the requests still running are counted as in flight at the kill.
    func stop() {
        lock.withLock {
            stopped = true
            results.inFlightAtKill = inFlight
        }
    }

    /// `loops` concurrent clients, each sending one request after another (on a new connection each) until `stop()`.
    func run(node: StockroomNode, cookie: String, shop: Shop, loops: Int, seed: UInt64) async {
        await withTaskGroup(of: Void.self) { group in
            for loop in 0..<loops {
                group.addTask {
                    var random = CrashLoad.Random(seed: seed &+ UInt64(loop) &* 0x9E37_79B9)
                    while true {
                        let planned = Self.plan(shop, &random)
                        guard self.begin(planned.kind) else { return }
                        let sent = Self.request(planned)
                        do {
                            self.answered(
                                planned,
                                try await node.request(.post, sent.path, cookie: cookie, json: sent.json, headers: [Idempotency.headerName: sent.key])
                            )
                        } catch {
                            self.failed(sent, error)
                        }
                    }
                }
            }
        }
    }

    /// Sends every request that got no answer again, with its own key, to the restarted `node`: each must replay the
    /// answer committed before the kill or take effect now, once. Returns what went wrong.
    func retryUnanswered(node: StockroomNode, cookie: String) async -> [String] {
        let unanswered = lock.withLock { lost }
        var problems: [String] = []
        for sent in unanswered {
            lock.withLock {
                inFlight += 1
                results.retried += 1
            }
            do {
                let response = try await node.request(.post, sent.path, cookie: cookie, json: sent.json, headers: [Idempotency.headerName: sent.key])
                if response.headers[Idempotency.replayedHeader] == "true" { lock.withLock { results.replayed += 1 } }
                let text = response.body.map { String(buffer: $0) } ?? ""
                if text.contains("idempotency_in_progress") { problems.append("\(sent.planned) with key \(sent.key): \(text)") }
                answered(sent.planned, response)
            } catch {
                problems.append("\(sent.planned) with key \(sent.key): no answer after the restart: \(error)")
            }
        }
        return problems
    }

    private static func request(_ planned: Planned) -> Sent {
        let key = "crash-" + UUID().uuidString.lowercased()
        switch planned {
        case .sale(let storeID, let lines):
            return Sent(
                planned: planned, key: key, path: "/api/sales/bulk",
                json: """
                    {"items": [\(lines.map { #"{"item_id": \#($0.productID), "quantity": \#($0.quantity)}"# }.joined(separator: ", "))], "store_id": \(storeID)}
                    """)
        case .transfer(let productID, let from, let to, let quantity):
            return Sent(
                planned: planned, key: key, path: "/api/store-inventory/transfer",
                json: """
                    {"productId": \(productID), "fromStoreId": \(from), "toStoreId": \(to), "quantity": \(quantity)}
                    """)
        }
    }

    /// Three sales for each transfer. Sales have 1–3 distinct products (the scarce one in about a third of them),
    /// nine in ten in the first store; transfers go first → second three times in four, of the scarce product one time in four.
    private static func plan(_ shop: Shop, _ random: inout CrashLoad.Random) -> Planned {
        if random.below(4) < 3 {
            let storeID = random.below(10) == 0 ? shop.second : shop.first
            var products = shop.plenty
            if random.below(3) == 0 { products = [shop.scarce] + products.shuffled(using: &random) } else { products.shuffle(using: &random) }
            let count = 1 + Int(random.below(3))
            return .sale(storeID: storeID, lines: products.prefix(count).map { Line(productID: $0, quantity: 1 + Int64(random.below(3))) })
        }
        let product = random.below(4) == 0 ? shop.scarce : shop.plenty[Int(random.below(UInt64(shop.plenty.count)))]
        let outward = random.below(4) < 3
        return .transfer(
            productID: product, from: outward ? shop.first : shop.second, to: outward ? shop.second : shop.first,
            quantity: 1 + Int64(random.below(5)))
    }

    private func begin(_ kind: Kind) -> Bool {
        lock.withLock {
            guard !stopped else { return false }
            inFlight += 1
            results.sent[kind, default: 0] += 1
            return true
        }
    }

    private func answered(_ planned: Planned, _ response: TestClient.Response) {
        let text = response.body.map { String(buffer: $0) } ?? ""
        let json = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        lock.withLock {
            inFlight -= 1
            switch (planned, response.status.code) {
            case (.sale(let storeID, let lines), 201):
                let items =
                    json?["items"]?.array.compactMap { item -> Line? in
                        guard case .int(let product)? = item["item_id"], case .int(let quantity)? = item["quantity"] else { return nil }
                        return Line(productID: product, quantity: quantity)
                    } ?? []
                guard case .int(let id)? = json?["sale_id"], items.sorted() == lines.sorted() else {
                    results.unexpected.append("sale of \(lines) acknowledged as \(text)")
                    return
                }
                results.acknowledgedSales.append(Sale(id: id, storeID: storeID, lines: lines.sorted()))
            case (.transfer(let productID, let from, let to, let quantity), 200):
                guard case .string(let reference)? = json?["reference"], reference.hasPrefix("transfer:") else {
                    results.unexpected.append("transfer acknowledged as \(text)")
                    return
                }
                results.acknowledgedTransfers.append(Transfer(reference: reference, productID: productID, from: from, to: to, quantity: quantity))
            // refused for want of stock: sales with 409, transfers with 400
            case (.sale, 409) where text.contains("insufficient_stock"), (.transfer, 400) where text.contains("insufficient_stock"):
                results.refused[planned.kind, default: 0] += 1
            default:
                results.unexpected.append("\(planned) → \(response.status.code) \(text.prefix(300))")
            }
        }
    }

    private func failed(_ sent: Sent, _ error: any Error) {
        lock.withLock {
            inFlight -= 1
            results.unanswered[sent.planned.kind, default: 0] += 1
            lost.append(sent)
            // Before the kill every request must be answered.
            if !stopped { results.unexpected.append("\(sent.planned) got no answer before the kill: \(error)") }
        }
    }
}

extension CrashLoad {
    /// SplitMix64: a small seeded generator, so a failing run's request stream can be told apart by its seed.
    struct Random: RandomNumberGenerator {
        var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func below(_ bound: UInt64) -> UInt64 { next() % bound }
    }
}

/// The books as the database holds them after the crash, read directly (not through the server).
struct CrashBooks: Sendable {
    struct SaleRow: Sendable {
        var id, storeID, billNumber, subtotalCents, discountCents, taxCents, totalCents: Int64
        var status: String
    }

    struct LineRow: Sendable {
        var saleID, productID, quantity, lineTotalCents: Int64
    }

    struct Movement: Sendable {
        var storeID, productID, delta, stockAfter: Int64
        var kind: String
        var reference: String?
    }

    struct Level: Hashable, Sendable {
        var storeID, productID: Int64
    }

    var sales: [SaleRow] = []
    var lines: [LineRow] = []
    var movements: [Movement] = []
    var levels: [Level: Int64] = [:]
    var mismatches: [LedgerRepository.Mismatch] = []
    /// Each store's bill counter.
    var billCounters: [Int64: Int64] = [:]
    /// Totals of the hourly rollup: sales, revenue, tax and units.
    var hourly: (sales: Int64, revenueCents: Int64, taxCents: Int64, units: Int64) = (0, 0, 0, 0)
    /// Units per product in the daily and the 28-day rollups.
    var dailyUnits: [Int64: Int64] = [:]
    var blockUnits: [Int64: Int64] = [:]
    /// The sales that have their "Sale registered" notification.
    var saleNotifications: Set<Int64> = []
    /// "Low stock" notifications, one per dip to the minimum (the load has a single user to tell).
    var lowStockNotifications = 0
    /// Each level's minimum.
    var minimums: [Level: Int64] = [:]

    static func read(_ db: any SQLDatabase) async throws -> CrashBooks {
        var books = CrashBooks()
        books.sales = try await db.raw(
            """
            SELECT id, store_id, bill_number, status, subtotal_cents, discount_cents, tax_cents, total_cents FROM sales ORDER BY id
            """
        ).all().map {
            SaleRow(
                id: try $0.decode(column: "id", as: Int64.self), storeID: try $0.decode(column: "store_id", as: Int64.self),
                billNumber: try $0.decode(column: "bill_number", as: Int64.self),
                subtotalCents: try $0.decode(column: "subtotal_cents", as: Int64.self),
                discountCents: try $0.decode(column: "discount_cents", as: Int64.self),
                taxCents: try $0.decode(column: "tax_cents", as: Int64.self), totalCents: try $0.decode(column: "total_cents", as: Int64.self),
                status: try $0.decode(column: "status", as: String.self))
        }
        books.lines = try await db.raw("SELECT sale_id, product_id, quantity, line_total_cents FROM sale_lines ORDER BY id").all().map {
            LineRow(
                saleID: try $0.decode(column: "sale_id", as: Int64.self), productID: try $0.decode(column: "product_id", as: Int64.self),
                quantity: try $0.decode(column: "quantity", as: Int64.self), lineTotalCents: try $0.decode(column: "line_total_cents", as: Int64.self)
            )
        }
        books.movements = try await db.raw("SELECT store_id, product_id, kind, delta, stock_after, reference FROM stock_movements ORDER BY id").all()
            .map {
                Movement(
                    storeID: try $0.decode(column: "store_id", as: Int64.self), productID: try $0.decode(column: "product_id", as: Int64.self),
                    delta: try $0.decode(column: "delta", as: Int64.self), stockAfter: try $0.decode(column: "stock_after", as: Int64.self),
                    kind: try $0.decode(column: "kind", as: String.self),
                    reference: try $0.decode(column: "reference", as: String?.self))
            }
        for row in try await db.raw("SELECT store_id, product_id, in_stock, min_stock FROM stock_levels").all() {
            let level = Level(
                storeID: try row.decode(column: "store_id", as: Int64.self), productID: try row.decode(column: "product_id", as: Int64.self))
            books.levels[level] = try row.decode(column: "in_stock", as: Int64.self)
            books.minimums[level] = try row.decode(column: "min_stock", as: Int64.self)
        }
        books.mismatches = try await LedgerRepository().mismatches(db)
        for row in try await db.raw("SELECT store_id, last_number FROM store_bill_counters").all() {
            books.billCounters[try row.decode(column: "store_id", as: Int64.self)] = try row.decode(column: "last_number", as: Int64.self)
        }
        // PostgreSQL sums BIGINT as NUMERIC, hence the casts.
        if let row = try await db.raw(
            """
            SELECT CAST(COALESCE(SUM(sales), 0) AS BIGINT) AS sales, CAST(COALESCE(SUM(revenue_cents), 0) AS BIGINT) AS revenue,
                   CAST(COALESCE(SUM(tax_cents), 0) AS BIGINT) AS tax, CAST(COALESCE(SUM(units), 0) AS BIGINT) AS units
            FROM sales_hourly
            """
        ).first() {
            books.hourly = (
                try row.decode(column: "sales", as: Int64.self), try row.decode(column: "revenue", as: Int64.self),
                try row.decode(column: "tax", as: Int64.self), try row.decode(column: "units", as: Int64.self)
            )
        }
        for (table, keyPath) in [("product_sales_daily", \CrashBooks.dailyUnits), ("product_sales_blocks", \CrashBooks.blockUnits)] {
            for row in try await db.raw(
                """
                SELECT product_id, CAST(SUM(units) AS BIGINT) AS units FROM \(unsafeRaw: table) GROUP BY product_id
                """
            ).all() {
                books[keyPath: keyPath][try row.decode(column: "product_id", as: Int64.self)] = try row.decode(column: "units", as: Int64.self)
            }
        }
        for link in try await db.raw("SELECT action_url FROM notifications WHERE text_key = 'sale_registered'").all(
            decodingColumn: "action_url", as: String.self)
        {
            // "/sales/12" names the sale (the message names its bill number)
            if let id = link.split(separator: "/").last.flatMap({ Int64($0) }) { books.saleNotifications.insert(id) }
        }
        books.lowStockNotifications =
            try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE text_key = 'low_stock'")
            .first(decodingColumn: "n", as: Int.self) ?? 0
        return books
    }

    /// The ledger's dips to a level's minimum (a movement from above it to at or below it): each should raise one
    /// "Low stock" notification.
    var lowStockDips: Int {
        movements.filter {
            let minimum = minimums[Level(storeID: $0.storeID, productID: $0.productID), default: 0]
            return $0.stockAfter - $0.delta > minimum && $0.stockAfter <= minimum
        }.count
    }

    /// How many sales and transfers are in the books although the server never acknowledged them (requests that
    /// committed just before the kill, their answers lost).
    func committedWithoutAcknowledgement(_ results: CrashLoad.Results) -> (sales: Int, transfers: Int) {
        let sales = Set(sales.map(\.id)).subtracting(results.acknowledgedSales.map(\.id)).count
        let transfers = Set(movements.filter { $0.kind.hasPrefix("transfer_") }.compactMap(\.reference))
            .subtracting(results.acknowledgedTransfers.map(\.reference)).count
        return (sales, transfers)
    }

    /// Everything wrong with these books after the load in `results`, by check (an empty list: the check passed).
    /// `seeded` is the opening stock each product got in `shop.first`.
    func problems(shop: CrashLoad.Shop, seeded: [Int64: Int64], results: CrashLoad.Results) -> KeyValuePairs<String, [String]> {
        let linesBySale = Dictionary(grouping: lines, by: \.saleID)
        let salesByID = Dictionary(uniqueKeysWithValues: sales.map { ($0.id, $0) })
        let saleMovements = Dictionary(grouping: movements.filter { $0.kind == "sale" }, by: { $0.reference ?? "" })
        let transferMovements = Dictionary(grouping: movements.filter { $0.kind.hasPrefix("transfer_") }, by: { $0.reference ?? "" })

        // 1. every acknowledged sale is there, with the lines and quantities acknowledged
        var acknowledgedSales: [String] = []
        for sale in results.acknowledgedSales {
            guard let row = salesByID[sale.id] else {
                acknowledgedSales.append("acknowledged sale \(sale.id) is missing")
                continue
            }
            let stored = (linesBySale[sale.id] ?? []).map { CrashLoad.Line(productID: $0.productID, quantity: $0.quantity) }.sorted()
            if stored != sale.lines || row.storeID != sale.storeID || row.status != "completed" {
                acknowledgedSales.append(
                    "sale \(sale.id): acknowledged \(sale.lines) in store \(sale.storeID), stored \(stored) in store \(row.storeID) (\(row.status))")
            }
        }

        // 2. no half sale: lines, totals and the sale's ledger movements all there
        var wholeSales: [String] = []
        for sale in sales {
            let saleLines = linesBySale[sale.id] ?? []
            if saleLines.isEmpty { wholeSales.append("sale \(sale.id) has no lines") }
            let sum = saleLines.reduce(0) { $0 + $1.lineTotalCents }
            if sale.subtotalCents != sum || sale.totalCents != sale.subtotalCents - sale.discountCents + sale.taxCents {
                wholeSales.append("sale \(sale.id): subtotal \(sale.subtotalCents), total \(sale.totalCents), but its lines sum to \(sum)")
            }
            var sold: [Int64: Int64] = [:]
            for line in saleLines { sold[line.productID, default: 0] += line.quantity }
            var moved: [Int64: Int64] = [:]
            for movement in saleMovements["sale:\(sale.id)"] ?? [] {
                if movement.storeID != sale.storeID {
                    wholeSales.append("sale \(sale.id) in store \(sale.storeID) moved stock in store \(movement.storeID)")
                }
                moved[movement.productID, default: 0] -= movement.delta
            }
            if sold != moved { wholeSales.append("sale \(sale.id): lines \(sold) but sale movements \(moved)") }
        }
        for reference in saleMovements.keys
        where Int64(reference.dropFirst("sale:".count)).flatMap({ salesByID[$0] }) == nil || !reference.hasPrefix("sale:") {
            wholeSales.append("sale movements with reference '\(reference)' belong to no sale")
        }
        let unacknowledged = committedWithoutAcknowledgement(results)
        if unacknowledged.sales > results.unanswered[.sale, default: 0] {
            wholeSales.append(
                "\(unacknowledged.sales) sales were committed without an acknowledgement but only \(results.unanswered[.sale, default: 0]) went unanswered"
            )
        }

        // 3. bill numbers: each store's are 1…n with its counter at n
        var bills: [String] = []
        for (store, storeSales) in Dictionary(grouping: sales, by: \.storeID) {
            let numbers = storeSales.map(\.billNumber).sorted()
            if numbers != Array(1...Int64(numbers.count)) {
                let missing = Set(1...max(numbers.last ?? 1, Int64(numbers.count))).subtracting(numbers).sorted()
                bills.append(
                    "store \(store): \(numbers.count) sales with bill numbers up to \(numbers.last ?? 0), missing \(missing.prefix(20)), repeated \(numbers.count - Set(numbers).count)"
                )
            }
            if billCounters[store] != Int64(numbers.count) {
                bills.append("store \(store): bill counter \(billCounters[store].map(String.init) ?? "missing") after \(numbers.count) sales")
            }
        }

        // 4. transfers: both sides or none
        var transfers: [String] = []
        for (reference, sides) in transferMovements {
            let out = sides.filter { $0.kind == "transfer_out" }
            let into = sides.filter { $0.kind == "transfer_in" }
            guard out.count == 1, into.count == 1, let o = out.first, let i = into.first,
                o.productID == i.productID, o.delta == -i.delta, i.delta > 0, o.storeID != i.storeID
            else {
                transfers.append("transfer \(reference) has \(out.count) out and \(into.count) in movements: \(sides)")
                continue
            }
        }
        for transfer in results.acknowledgedTransfers {
            let sides = transferMovements[transfer.reference] ?? []
            let expected = [("transfer_out", transfer.from, -transfer.quantity), ("transfer_in", transfer.to, transfer.quantity)]
            for (kind, store, delta) in expected
            where !sides.contains(where: { $0.kind == kind && $0.storeID == store && $0.delta == delta && $0.productID == transfer.productID }) {
                transfers.append(
                    "acknowledged transfer \(transfer.reference) (\(transfer.quantity)×#\(transfer.productID) \(transfer.from)→\(transfer.to)) lacks its \(kind)"
                )
            }
        }
        if unacknowledged.transfers > results.unanswered[.transfer, default: 0] {
            transfers.append(
                "\(unacknowledged.transfers) transfers were committed without an acknowledgement but only \(results.unanswered[.transfer, default: 0]) went unanswered"
            )
        }

        // 5. the ledger balances, nothing is negative, and only the movements this load makes are there
        var ledger = mismatches.map(\.description)
        ledger += levels.filter { $0.value < 0 }.map { "store \($0.key.storeID), product \($0.key.productID): stock \($0.value)" }
        ledger += movements.filter { !["opening", "sale", "transfer_out", "transfer_in"].contains($0.kind) }.map { "unexpected movement \($0)" }
        let openings = movements.filter { $0.kind == "opening" }
        if openings.count != seeded.count || openings.contains(where: { $0.storeID != shop.first || seeded[$0.productID] != $0.delta }) {
            ledger.append("opening movements \(openings) differ from the seeded stock \(seeded)")
        }

        // 6. every level is the seeded stock, less the committed sales, plus and minus the committed transfers
        var stock: [String] = []
        var expected: [Level: Int64] = [:]
        for (product, quantity) in seeded { expected[Level(storeID: shop.first, productID: product), default: 0] += quantity }
        for line in lines {
            guard let sale = salesByID[line.saleID] else { continue }
            expected[Level(storeID: sale.storeID, productID: line.productID), default: 0] -= line.quantity
        }
        for movement in movements where movement.kind.hasPrefix("transfer_") {
            expected[Level(storeID: movement.storeID, productID: movement.productID), default: 0] += movement.delta
        }
        for level in Set(expected.keys).union(levels.keys) where expected[level, default: 0] != levels[level, default: 0] {
            stock.append(
                "store \(level.storeID), product \(level.productID): stock \(levels[level].map(String.init) ?? "missing") but the sales and transfers leave \(expected[level, default: 0])"
            )
        }

        // 7. the sales rollups agree with the sales
        var rollups: [String] = []
        let completed = sales.filter { $0.status == "completed" }
        let completedIDs = Set(completed.map(\.id))
        let units = lines.filter { completedIDs.contains($0.saleID) }
        let soldUnits = Int64(units.reduce(0) { $0 + $1.quantity })
        let wanted = (
            sales: Int64(completed.count), revenueCents: completed.reduce(0) { $0 + $1.totalCents },
            taxCents: completed.reduce(0) { $0 + $1.taxCents }, units: soldUnits
        )
        if hourly != wanted { rollups.append("hourly rollup \(hourly) but the sales sum to \(wanted)") }
        var perProduct: [Int64: Int64] = [:]
        for line in units { perProduct[line.productID, default: 0] += line.quantity }
        if dailyUnits.filter({ $0.value != 0 }) != perProduct {
            rollups.append("daily product rollup \(dailyUnits) but the lines sum to \(perProduct)")
        }
        if blockUnits.filter({ $0.value != 0 }) != perProduct {
            rollups.append("28-day product rollup \(blockUnits) but the lines sum to \(perProduct)")
        }

        return [
            "acknowledged sales are stored as acknowledged": acknowledgedSales,
            "no half sales": wholeSales,
            "bill numbers gap-free": bills,
            "transfers whole": transfers,
            "ledger balances": ledger,
            "stock follows sales and transfers": stock,
            "rollups agree": rollups,
        ]
    }
}

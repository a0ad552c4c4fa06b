import Foundation
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// New sales written in batches (`SaleBatches`: migration 18's call on PostgreSQL, decided first on SQLite). The
/// route tests sell through them too; these line many sales up at once, so batches hold several, and check what
/// each member and the books come to.
@Suite("Sale batches")
struct SaleBatchTests {
    @Test(
        "forty sales at once: batches of several; the ten the stock allows commit, the thirty it does not are refused alone; bills gap-free",
        arguments: Engine.allCases)
    func refusedMembers(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world, dependencies in
            let owner = try await client.signIn(world.ownerA)
            let hot = try await client.createProduct(as: owner, barcode: "HOT", name: "Hot item", quantity: 10, price: 3)
            let side = try await client.createProduct(as: owner, barcode: "SIDE", name: "Side", quantity: 1000, price: 1)
            let service = Self.service(dependencies)
            let answers = await Self.sell(40, service, Self.vendor(world)) { _ in [side, hot] }
            let sold = answers.compactMap { try? $0.get() }
            #expect(sold.count == 10)
            let refusals = answers.compactMap { answer -> ShopError? in
                guard case .failure(let error) = answer else { return nil }
                return error as? ShopError
            }
            #expect(refusals.count == 30 && refusals.allSatisfy { $0.code == "insufficient_stock" && $0.facts["available"] == .int(0) })
            let counts = service.batches.counts
            #expect(counts.sales == 40 && counts.batches < 40, "\(counts)")
            try await Self.expectBooks(world, sales: sold, units: 20)
            // a refused sale sold nothing of its other line either
            #expect(try await world.stock(store: world.storeA1, product: side) == 990)
            #expect(try await world.stock(store: world.storeA1, product: hot) == 0)
        }
    }

    @Test(
        "a statement that fails inside a batch: the batch is written again sale by sale, and only the sale at fault fails",
        arguments: Engine.allCases)
    func failedStatement(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world, dependencies in
            let owner = try await client.signIn(world.ownerA)
            let good = try await client.createProduct(as: owner, barcode: "GOOD", name: "Good", quantity: 1000, price: 2)
            let bad = try await client.createProduct(as: owner, barcode: "BAD", name: "Bad", quantity: 1000, price: 2)
            // The database itself refuses every line of `bad` (as a broken row or a constraint would).
            try await world.database.withTransaction { transaction in
                let db = transaction.db
                if engine == .postgres {
                    try await db.raw(
                        """
                        CREATE FUNCTION test_refuse_line() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            IF NEW.product_id = \(unsafeRaw: String(bad)) THEN RAISE EXCEPTION 'this line is refused by the test'; END IF;
                            RETURN NEW;
                        END $$
                        """
                    ).run()
                    try await db.raw("CREATE TRIGGER test_refuse_line BEFORE INSERT ON sale_lines FOR EACH ROW EXECUTE FUNCTION test_refuse_line()")
                        .run()
                } else {
                    try await db.raw(
                        """
                        CREATE TRIGGER test_refuse_line BEFORE INSERT ON sale_lines WHEN NEW.product_id = \(unsafeRaw: String(bad))
                        BEGIN SELECT RAISE(ABORT, 'this line is refused by the test'); END
                        """
                    ).run()
                }
            }
            let service = Self.service(dependencies)
            let answers = await Self.sell(30, service, Self.vendor(world)) { $0 % 10 == 0 ? [bad] : [good] }
            let sold = answers.compactMap { try? $0.get() }
            #expect(sold.count == 27 && sold.allSatisfy { $0.lines.map(\.productID) == [good] })
            let failures = answers.enumerated().filter { if case .failure = $0.element { true } else { false } }.map(\.offset)
            #expect(failures == [0, 10, 20])
            let counts = service.batches.counts
            #expect(counts.batches < counts.sales, "\(counts)")
            try await Self.expectBooks(world, sales: sold, units: 27)
            #expect(try await world.stock(store: world.storeA1, product: bad) == 1000)
        }
    }

    static func service(_ dependencies: AppDependencies) -> SaleService {
        SaleService(
            database: dependencies.database, stockLedger: StockLedger(events: dependencies.events), events: dependencies.events,
            clock: LocalClock(timeZone: dependencies.config.timeZone))
    }

    static func vendor(_ world: ShopWorld) -> Caller {
        Caller(
            userID: world.vendorA1.id, companyID: world.companyA, storeID: world.storeA1, role: .vendor, username: world.vendorA1.username,
            email: "vendor@example.com", credential: .token(id: 0), ipAddress: "127.0.0.1")
    }

    /// `count` one-unit sales of `products(index)` started together; each answer in the order asked.
    static func sell(
        _ count: Int, _ service: SaleService, _ caller: Caller, products: @escaping @Sendable (Int) -> [Int64]
    ) async -> [Result<Sale, any Error>] {
        await withTaskGroup(of: (Int, Result<Sale, any Error>).self) { group in
            for index in 0..<count {
                group.addTask {
                    do {
                        return (
                            index,
                            .success(
                                try await service.sell(
                                    caller,
                                    SaleRequest(
                                        storeID: nil, lines: products(index).map { .init(productID: $0, quantity: 1) }, paymentMethod: .cash)))
                        )
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var answers: [(Int, Result<Sale, any Error>)] = []
            for await answer in group { answers.append(answer) }
            return answers.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// The sales answered are the store's sales, numbered 1… with no gap; each has its lines, its audit record
    /// under its real number and its ledger rows; the hour's, products' and sellers' totals count them; stock and
    /// ledger agree.
    static func expectBooks(_ world: ShopWorld, sales: [Sale], units: Int64) async throws {
        let (productUnits, sellerSales) = try await world.database.read { db in
            (
                try await db.raw("SELECT CAST(COALESCE(SUM(units), 0) AS BIGINT) AS n FROM product_sales_daily").first(
                    decodingColumn: "n", as: Int64.self),
                try await db.raw("SELECT CAST(COALESCE(SUM(sales), 0) AS BIGINT) AS n FROM vendor_sales_daily").first(
                    decodingColumn: "n", as: Int64.self)
            )
        }
        // the batch's totals merged per product and seller, not lost or counted twice
        #expect(productUnits == units && sellerSales == Int64(sales.count))
        let (rows, lines, audited, hourly, movements) = try await world.database.read { db in
            (
                try await db.raw("SELECT id, bill_number FROM sales WHERE store_id = \(bind: world.storeA1) ORDER BY bill_number").all()
                    .map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "bill_number", as: Int64.self)) },
                try await db.raw("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) AS n FROM sale_lines").first(decodingColumn: "n", as: Int64.self),
                try await db.raw("SELECT new_values FROM audit_log WHERE action = 'sale_created' ORDER BY id").all(
                    decodingColumn: "new_values", as: String.self),
                try await db.raw("SELECT CAST(COALESCE(SUM(sales), 0) AS BIGINT) AS n FROM sales_hourly").first(decodingColumn: "n", as: Int64.self),
                try await db.raw("SELECT CAST(COALESCE(SUM(-delta), 0) AS BIGINT) AS n FROM stock_movements WHERE kind = 'sale'").first(
                    decodingColumn: "n", as: Int64.self)
            )
        }
        #expect(rows.map(\.1) == Array(1...Int64(sales.count)))
        #expect(Set(rows.map(\.0)) == Set(sales.map(\.id)))
        #expect(Set(sales.map(\.billNumber)) == Set(rows.map(\.1)))
        #expect(lines == units && movements == units && hourly == Int64(sales.count))
        #expect(
            audited.count == sales.count && sales.allSatisfy { sale in audited.contains { $0.hasPrefix("{\"bill_number\":\(sale.billNumber),") } })
        let problems = try await world.ledgerProblems()
        #expect(problems.mismatches.isEmpty && problems.negative == 0)
    }
}

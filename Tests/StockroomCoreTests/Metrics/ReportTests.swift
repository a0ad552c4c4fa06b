import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Metrics checked against numbers worked out by hand. The business clock is Asia/Kolkata (UTC+05:30), so a
/// sale at 18:29Z is 23:59 of one local day and a sale at 18:31Z 00:01 of the next: a UTC-day or UTC-hour
/// bucketing would put both on the same day.
@Suite("Reports: stats, metrics, never-sold")
struct ReportTests {
    static let zone = ["STOCKROOM_TIMEZONE": "Asia/Kolkata"]

    @Test("every metric of a hand-computed fixture, in a non-UTC zone, on both engines", arguments: Engine.allCases)
    func metrics(engine: Engine) async throws {
        try await ShopWorld.run(engine, environment: Self.zone) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let shop = try await Fixture.make(client, world, owner: owner, vendor: vendor)

            // the rollups kept by each sale, edit and void equal a rebuild from the sales themselves
            let kept = try await Fixture.rollupRows(world.database)
            try await Fixture.rebuild(world.database)
            #expect(try await Fixture.rollupRows(world.database) == kept)

            try await shop.backdate(world.database)
            let body = try await client.call(.get, "/api/metrics?from=2025-11-01&to=2025-11-03", as: owner).json()
            // StockManager's numbers and change rule; the previous period's values beside them
            #expect(
                body["kpis"]
                    == .object([
                        "revenue": .int(65), "totalSales": .int(4), "avgTicket": .double(16.25), "unitsSold": .int(8),
                        "revenueChange": .double(116.7), "salesChange": .int(300), "ticketChange": .double(-45.8), "unitsChange": .double(166.7),
                        "grossProfit": .int(39), "grossProfitChange": .double(116.7),
                        "previous": .object([
                            "revenue": .int(30), "totalSales": .int(1), "avgTicket": .int(30), "unitsSold": .int(3), "grossProfit": .int(18),
                        ]),
                    ]))

            // zero-filled days on the local calendar, as parallel arrays; a period of a week or less is labelled by
            // weekday (1 November 2025 was a Saturday)
            let strings: ([String]) -> JSONValue = { .array($0.map(JSONValue.string)) }
            let numbers: ([Int64]) -> JSONValue = { .array($0.map(JSONValue.int)) }
            var overTime: [String: JSONValue] = ["labels": strings(["Sáb", "Dom", "Lun"]), "revenue": numbers([20, 20, 25])]
            overTime["sales"] = numbers([1, 1, 2])
            overTime["count"] = numbers([1, 1, 2])
            overTime["dates"] = strings(["2025-11-01", "2025-11-02", "2025-11-03"])
            overTime["units"] = numbers([2, 3, 3])
            overTime["grossProfit"] = numbers([12, 12, 15])
            #expect(body["salesOverTime"] == .object(overTime))
            // the window is min(7, max(1, 3 / 2)) = 1 day: the trend line is the days themselves
            #expect(body["trendLine"]?["revenue"] == body["salesOverTime"]?["revenue"])
            // weekday 5 with Monday as 0
            #expect(body["salesByWeekday"] == numbers([2, 0, 0, 0, 0, 1, 1]))
            let weekdays = try #require(body["weekdayTotals"]?.array)
            #expect(weekdays.count == 7 && weekdays[0]["name"] == .string("Monday"))
            #expect(weekdays.map { $0["revenue"] } == [25, 0, 0, 0, 0, 20, 20].map { .int($0) })
            var hourCounts = Array(repeating: JSONValue.int(0), count: 24)
            hourCounts[0] = .int(1)
            hourCounts[9] = .int(1)
            hourCounts[10] = .int(1)
            hourCounts[23] = .int(1)
            #expect(body["salesByHour"] == .array(hourCounts))
            let hours = try #require(body["hourTotals"]?.array)
            #expect(
                Dictionary(
                    uniqueKeysWithValues: hours.compactMap { hour -> (Int64, JSONValue)? in
                        guard case .int(let number)? = hour["hour"], hour["sales"] != .int(0) else { return nil }
                        return (number, hour["revenue"] ?? .null)
                    }) == [0: .int(20), 9: .int(5), 10: .int(20), 23: .int(20)])
            var heatmap = Array(repeating: Array(repeating: JSONValue.int(0), count: 24), count: 7)
            heatmap[5][23] = .int(1)
            heatmap[6][0] = .int(1)
            heatmap[0][9] = .int(1)
            heatmap[0][10] = .int(1)
            #expect(body["heatmap"]?["data"] == .array(heatmap.map { .array($0) }))
            #expect(body["heatmap"]?["days"]?.array.count == 7 && body["heatmap"]?["hours"]?.array.count == 24)

            #expect(
                body["topProducts"]?.array.map { [$0["id"], $0["name"], $0["sku"], $0["units"], $0["revenue"], $0["grossProfit"]] } == [
                    [.int(shop.coffee), .string("Coffee"), .string("COFFEE"), .int(5), .int(50), .int(30)],
                    [.int(shop.tea), .string("Tea"), .string("TEA"), .int(3), .int(15), .int(9)],
                ])
            let comparison = try #require(body["comparison"])
            #expect(comparison["current"] == .int(65) && comparison["previous"] == .int(30))
            #expect(comparison["previousPeriod"]?["from"] == .string("2025-10-29") && comparison["previousPeriod"]?["to"] == .string("2025-10-31"))
            #expect(comparison["previousPeriod"]?["revenue"] == .int(30) && comparison["currentPeriod"]?["grossProfit"] == .int(39))
            #expect(
                comparison["days"]?.array.map { [$0["date"], $0["previousDate"], $0["revenue"], $0["previousRevenue"]] } == [
                    [.string("2025-11-01"), .string("2025-10-29"), .int(20), .int(0)],
                    [.string("2025-11-02"), .string("2025-10-30"), .int(20), .int(30)],
                    [.string("2025-11-03"), .string("2025-10-31"), .int(25), .int(0)],
                ])

            // stock now: coffee 92, tea 46 (minimum 47: low), cake 7 unsold in the period, juice out, mug 3 unsold
            let alerts = try #require(body["alerts"])
            #expect(alerts["outOfStock"] == .int(1) && alerts["lowStock"] == .int(1) && alerts["noMovement"] == .int(2))
            #expect(alerts["items"]?["outOfStock"]?.array.map { $0["productId"] } == [.int(shop.juice)])
            #expect(
                alerts["items"]?["lowStock"]?.array.map { [$0["productId"], $0["stock"], $0["minStock"], $0["storeId"]] } == [
                    [.int(shop.tea), .int(46), .int(47), .int(world.storeA1)]
                ])
            #expect(
                alerts["items"]?["noMovement"]?.array.map { $0["productId"] } == [.int(shop.cake), .int(shop.mug)], "largest value on the shelf first"
            )

            // pace over the 3 days: coffee 5/3 a day for 92 → 55.2 days; tea 1 a day for 46 → 46 days
            #expect(
                body["inventoryForecast"]?.array.map {
                    [
                        $0["id"], $0["currentStock"], $0["minStock"], $0["unitsSold"], $0["dailyAverage"], $0["daysRemaining"], $0["rotation"],
                        $0["status"],
                    ]
                } == [
                    [.int(shop.tea), .int(46), .int(47), .int(3), .int(1), .int(46), .double(0.07), .string("ok")],
                    [.int(shop.coffee), .int(92), .int(5), .int(5), .double(1.67), .double(55.2), .double(0.05), .string("ok")],
                ])
            #expect(body["criticalStocks"] == .array([]))
            #expect(
                body["inventory"] == .object(["totalValue": .int(1195), "totalUnits": .int(148), "products": .int(5), "totalCost": .int(470)]),
                "at price 92×10 + 46×5 + 7×3 + 0×2 + 3×8, at cost 92×4 + 46×2 + 7×1 + 0×1 + 3×1")
            #expect(body["vendors"]?.array.map { [$0["username"], $0["sales"], $0["revenue"]] } == [[.string("vendora1"), .int(4), .int(65)]])
            let insights = try #require(body["insights"])
            #expect(insights["bestDay"] == .object(["name": .string("Lunes"), "revenue": .int(25)]), "two sales on the Monday")
            #expect(insights["peakHour"] == .int(0) && insights["topProduct"] == .object(["name": .string("Coffee"), "units": .int(5)]))
            guard case .string(let trend)? = insights["trend"] else {
                Issue.record("no trend sentence")
                return
            }
            #expect(trend.hasPrefix("Tendencia muy positiva"), "revenue up more than 10 %")
            #expect(
                insights["notes"]?.array.compactMap { $0["message"] } == [
                    .string("Revenue is up 116.7 % on the previous 3 days."),
                    .string("Most sales happen between 00:00 and 01:00."),
                    .string("Coffee is the best seller: 5 sold for 50.00."),
                    .string("Out of stock: 1 product."),
                    .string("In stock but not sold in this period: 2 products."),
                ])
            #expect(
                body["period"]
                    == .object([
                        "start": .string("2025-11-01"), "end": .string("2025-11-03"), "days": .int(3), "previousStart": .string("2025-10-29"),
                        "previousEnd": .string("2025-10-31"), "storeId": .null, "timeZone": .string("Asia/Kolkata"), "paceDays": .int(3),
                        "tradingSince": .string("2025-10-30"),
                    ]))

            // a quarter reads whole 28-day blocks (23 Oct – 17 Dec 2025 here) and the days at either end; past a week
            // the labels are dd/mm
            let quarter = try await client.call(.get, "/api/metrics?from=2025-10-01&to=2025-12-31", as: owner).json()
            #expect(
                quarter["topProducts"]?.array.map { [$0["id"], $0["units"], $0["revenue"]] } == [
                    [.int(shop.coffee), .int(8), .int(80)], [.int(shop.tea), .int(3), .int(15)],
                ])
            #expect(quarter["kpis"]?["revenue"] == .int(95))
            #expect(quarter["salesOverTime"]?["labels"]?.array.first == .string("01/10") && quarter["salesOverTime"]?["labels"]?.array.count == 92)

            // the same for store A1 (where everything was sold); store A2 sold nothing
            let storeA1 = try await client.call(.get, "/api/metrics?from=2025-11-01&to=2025-11-03&store_id=\(world.storeA1)", as: owner).json()
            #expect(storeA1["kpis"] == body["kpis"] && storeA1["heatmap"] == body["heatmap"])
            let storeA2 = try await client.call(.get, "/api/metrics?from=2025-11-01&to=2025-11-03&store_id=\(world.storeA2)", as: owner).json()
            #expect(storeA2["kpis"]?["revenue"] == .int(0) && storeA2["kpis"]?["revenueChange"] == .int(0) && storeA2["topProducts"] == .array([]))
            #expect(storeA2["vendors"] == .array([]))
        }
    }

    @Test("sales racing edits and voids of the same products: no deadlock, totals equal a rebuild", arguments: Engine.allCases)
    func concurrentChanges(engine: Engine) async throws {
        try await ShopWorld.run(engine, environment: Self.zone) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let tea = try await client.createProduct(as: owner, barcode: "TEA", name: "Tea", quantity: 1000, price: 5, cost: 2)
            let cake = try await client.createProduct(as: owner, barcode: "CAKE", name: "Cake", quantity: 1000, price: 3, cost: 1)
            let bulk = #"{"items": [{"item_id": \#(tea), "quantity": 1}, {"item_id": \#(cake), "quantity": 2}]}"#
            var earlier: [Int64] = []
            for _ in 0..<16 {
                guard case .int(let id)? = try await client.call(.post, "/api/sales/bulk", as: vendor, json: bulk).json()["sale_id"] else {
                    throw ClusterError("no sale id")
                }
                earlier.append(id)
            }
            // lines in the opposite order on the edits, so lock order depends on the code, not on the request
            let edit = #"{"items": [{"item_id": \#(cake), "quantity": 1}, {"item_id": \#(tea), "quantity": 3}]}"#
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, sale) in earlier.enumerated() {
                    group.addTask { Int(try await client.call(.post, "/api/sales/bulk", as: vendor, json: bulk).status.code) }
                    group.addTask {
                        index.isMultiple(of: 2)
                            ? Int(try await client.call(.post, "/api/sales/\(sale)/void", as: owner).status.code)
                            : Int(try await client.call(.put, "/api/sales/\(sale)", as: owner, json: edit).status.code)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 >= 300 }.isEmpty, "\(statuses.sorted())")
            let kept = try await Fixture.rollupRows(world.database)
            try await Fixture.rebuild(world.database)
            #expect(try await Fixture.rollupRows(world.database) == kept)
            // 16 + 16 sales, 8 voided; edited ones hold 3 tea and 1 cake
            let kpis = try await client.call(.get, "/api/metrics?period=1", as: owner).json()["kpis"]
            #expect(kpis?["totalSales"] == .int(24) && kpis?["unitsSold"] == .int(16 * 3 + 8 * 4))
        }
    }

    @Test("an empty period: zero-filled series, no change to report, a 'no sales' insight")
    func emptyPeriod() async throws {
        try await ShopWorld.run(.sqlite, environment: Self.zone) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let body = try await client.call(.get, "/api/metrics?from=2025-01-01&to=2025-01-07", as: owner).json()
            for key in [
                "revenue", "totalSales", "unitsSold", "avgTicket", "grossProfit", "revenueChange", "salesChange", "ticketChange",
                "unitsChange", "grossProfitChange",
            ] {
                #expect(body["kpis"]?[key] == .int(0), "\(key)")
            }
            #expect(body["salesOverTime"]?["revenue"] == .array(Array(repeating: .int(0), count: 7)))
            let labels: [JSONValue] = ["Mié", "Jue", "Vie", "Sáb", "Dom", "Lun", "Mar"].map { .string($0) }
            #expect(body["salesOverTime"]?["labels"] == .array(labels))
            #expect(body["topProducts"] == .array([]) && body["inventoryForecast"] == .array([]))
            // StockManager's insights with nothing sold: Monday with 0, no peak hour
            #expect(body["insights"]?["bestDay"] == .object(["name": .string("Lunes"), "revenue": .int(0)]))
            #expect(body["insights"]?["peakHour"] == .null && body["insights"]?["topProduct"]?["units"] == .int(0))
            #expect(body["insights"]?["notes"]?.array.first?["kind"] == .string("no_sales"))
            #expect(
                body["heatmap"]?["data"]?.array.count == 7
                    && body["heatmap"]?["data"]?.array.allSatisfy { $0.array == Array(repeating: .int(0), count: 24) } == true)
        }
    }

    @Test("stats count today on the business clock; never-sold ignores voided sales", arguments: Engine.allCases)
    func statsAndNeverSold(engine: Engine) async throws {
        try await ShopWorld.run(engine, environment: Self.zone) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let shop = try await Fixture.make(client, world, owner: owner, vendor: vendor)
            let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Kolkata")!)
            let today = clock.today()
            // cake expires in 5 days; juice has expired but is out of stock, so nothing to warn about
            _ = try await client.call(.put, "/api/products/\(shop.cake)", as: owner, json: #"{"expiration_date": "\#(LocalDay.string(today + 5))"}"#)
            _ = try await client.call(.put, "/api/products/\(shop.juice)", as: owner, json: #"{"expiration_date": "\#(LocalDay.string(today - 1))"}"#)

            // every fixture sale is still today (none backdated): 6 completed, 2 voided
            let stats = try await client.call(.get, "/api/stats", as: owner).json()
            #expect(stats["products"] == .int(5) && stats["low_stock"] == .int(1) && stats["sales_today"] == .int(6))
            #expect(stats["revenue_today"] == .int(100), "20 + 20 + 5 + 30 + 20 + 5; the voided 20 not counted")
            #expect(stats["total_inventory_value"] == .int(1195), "at selling prices, as StockManager: 92×10 + 46×5 + 7×3 + 0×2 + 3×8")
            #expect(stats["total_inventory_cost"] == .int(470), "92×4 + 46×2 + 7×1 + 0×1 + 3×1")
            #expect(stats["low_stock_list"]?.array.map { $0["id"] } == [.int(shop.tea)])
            #expect(stats["expire_soon"] == .int(1), "StockManager's count")
            #expect(stats["expire_soon_list"]?.array.map { [$0["id"], $0["days_left"], $0["stock"]] } == [[.int(shop.cake), .int(5), .int(7)]])
            #expect(stats["date"] == .string(LocalDay.string(today)))

            let never = try await client.call(.get, "/api/never-sold", as: owner).json()
            #expect(
                never["data"]?.array.map { $0["id"] } == [.int(shop.cake), .int(shop.mug), .int(shop.juice)],
                "mug sold once, then voided; most stock first, as StockManager (7, 3, 0)")
            #expect(never["total"] == .int(3) && never["page"] == .int(1) && never["limit"] == .int(50))
            let paged = try await client.call(.get, "/api/never-sold?limit=2&page=2", as: owner).json()
            #expect(paged["data"]?.array.map { $0["id"] } == [.int(shop.juice)] && paged["pages"] == .int(2))
            // in store A2 nothing is stocked; company B has nothing of A's
            #expect(try await client.call(.get, "/api/never-sold?store_id=\(world.storeA2)", as: owner).json()["total"] == .int(0))
            let ownerB = try await client.signIn(world.ownerB)
            #expect(try await client.call(.get, "/api/stats", as: ownerB).json()["products"] == .int(0))
            #expect(try await client.call(.get, "/api/never-sold", as: ownerB).json()["total"] == .int(0))
        }
    }

    @Test("who may see reports, and bad parameters answer a precise 400")
    func accessAndValidation() async throws {
        try await ShopWorld.run(.sqlite) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let adminA2 = try await client.signIn(world.adminA2)
            let vendor = try await client.signIn(world.vendorA1)
            let ownerB = try await client.signIn(world.ownerB)
            for path in ["/api/stats", "/api/metrics", "/api/never-sold"] {
                #expect(try await client.call(.get, path, as: vendor).status == .forbidden, "\(path)")
                #expect(try await client.call(.get, path, as: nil).status == .unauthorized, "\(path)")
                #expect(try await client.call(.get, path, as: adminA2).status == .ok, "\(path)")
                #expect(try await client.call(.get, "\(path)?store_id=\(world.storeA1)", as: adminA2).status == .forbidden, "\(path)")
                // another company's store looks exactly like a store that does not exist
                let foreign = try await client.call(.get, "\(path)?store_id=\(world.storeA1)", as: ownerB)
                let missing = try await client.call(.get, "\(path)?store_id=999999", as: ownerB)
                #expect(foreign.status == .notFound && foreign.text == missing.text, "\(path)")
            }
            #expect(try await client.call(.get, "/api/metrics", as: adminA2).json()["period"]?["storeId"] == .int(world.storeA2))
            #expect(try await client.call(.get, "/api/metrics?period=7", as: owner).json()["salesOverTime"]?["dates"]?.array.count == 7)
            for query in [
                "period=0", "period=3661", "period=abc", "from=2025-02-30", "from=2025-1-01", "to=yesterday",
                "from=2025-03-02&to=2025-03-01", "from=2000-01-01&to=2025-01-01", "period=7&from=2025-01-01", "store_id=-1",
            ] {
                let response = try await client.call(.get, "/api/metrics?\(query)", as: owner)
                let code = try response.json()["code"]
                #expect(response.status == .badRequest && code == .string("invalid_query"), "\(query) → \(response.text)")
            }
        }
    }

    @Test("a rebuild cuts days and hours on the local clock across both DST changes of the year", arguments: Engine.allCases)
    func daylightSaving(engine: Engine) async throws {
        let clock = LocalClock(timeZone: TimeZone(identifier: "Europe/Madrid")!)
        try await TestDatabase.withClient(engine) { database in
            try await Migrator(logger: .init(label: "test")).migrate(database)
            let (company, store, user, product) = try await Fixture.bareShop(database)
            // 00:30Z on 29 March 2026 is 01:30 CET; 01:30Z is 03:30 CEST (the clocks skip 02:00–03:00);
            // 00:30Z and 01:30Z on 25 October 2026 are both 02:30 local (the hour repeats)
            let instants = ["2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"]
            try await database.withTransaction { transaction in
                for (index, instant) in instants.enumerated() {
                    let at = try Date(instant, strategy: .iso8601).unixMilliseconds
                    try await transaction.db.raw(
                        """
                        INSERT INTO sales (company_id, store_id, vendor_id, bill_number, status, payment_method, subtotal_cents, total_cents, created_at, updated_at)
                        VALUES (\(bind: company), \(bind: store), \(bind: user), \(bind: Int64(index + 1)), 'completed', 'cash', 100, 100, \(bind: at), \(bind: at))
                        """
                    ).run()
                    try await transaction.db.raw(
                        """
                        INSERT INTO sale_lines (sale_id, product_id, quantity, unit_price_cents, unit_cost_cents, line_total_cents)
                        VALUES ((SELECT MAX(id) FROM sales), \(bind: product), 1, 100, 40, 100)
                        """
                    ).run()
                }
                try await SalesRollupRepository(clock: clock).rebuild(transaction.db)
            }
            let march29 = LocalDay.number(year: 2026, month: 3, day: 29)
            let october25 = LocalDay.number(year: 2026, month: 10, day: 25)
            let scope = ReportScope(companyID: company)
            let (days, march, october) = try await database.read { db in
                (
                    try await ReportRepository().days(scope, march29...october25, db),
                    try await ReportRepository().clock(scope, ReportPeriod(firstDay: march29, lastDay: march29), db),
                    try await ReportRepository().clock(scope, ReportPeriod(firstDay: october25, lastDay: october25), db)
                )
            }
            #expect(days.mapValues(\.sales) == [march29: 2, october25: 2])
            // both 29 March 2026 and 25 October 2026 were Sundays (weekday 6)
            #expect(march.map { [$0.weekday, $0.hour, Int($0.totals.sales)] }.sorted { $0[1] < $1[1] } == [[6, 1, 1], [6, 3, 1]])
            #expect(october.map { [$0.weekday, $0.hour, Int($0.totals.sales)] } == [[6, 2, 2]])
            // the incremental path puts each instant in the same hour as the rebuild
            let expected = [march29 * 24 + 1, march29 * 24 + 3, october25 * 24 + 2, october25 * 24 + 2]
            for (instant, hour) in zip(instants, expected) {
                #expect(clock.hour(at: try Date(instant, strategy: .iso8601).unixMilliseconds) == hour, "\(instant)")
            }
        }
    }

    @Test("sales made before the sellers' rollup (migration 15) count for their sellers once the next start rebuilds", arguments: Engine.allCases)
    func sellersRollupBuiltOverExistingSales(engine: Engine) async throws {
        let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Kolkata")!)
        try await TestDatabase.withClient(engine) { database in
            let logger = Logger(label: "test")
            try await Migrator(migrations: Migration.all.filter { $0.id < 15 }, logger: logger).migrate(database)
            let (company, store, user, _) = try await Fixture.bareShop(database)
            // 18:29Z is 23:59 in Kolkata, 18:31Z the next local day
            let instants = ["2025-11-01T18:29:00Z", "2025-11-01T18:31:00Z", "2025-11-02T06:00:00Z"]
            try await database.withTransaction { transaction in
                for (index, instant) in instants.enumerated() {
                    let at = try Date(instant, strategy: .iso8601).unixMilliseconds
                    try await transaction.db.raw(
                        """
                        INSERT INTO sales (company_id, store_id, vendor_id, bill_number, status, payment_method, subtotal_cents, total_cents, created_at, updated_at)
                        VALUES (\(bind: company), \(bind: store), \(bind: user), \(bind: Int64(index + 1)), \(bind: index == 2 ? "voided" : "completed"),
                                'cash', 100, \(bind: Int64(100 * (index + 1))), \(bind: at), \(bind: at))
                        """
                    ).run()
                }
            }
            // as an older build leaves it: its rollups cut in this zone (that build's own code cannot run here)
            try await database.withTransaction { try await $0.db.raw("INSERT INTO report_clock (id, time_zone) VALUES (1, 'Asia/Kolkata')").run() }
            #expect(try await SalesRollup(clock: clock).prepare(database, logger: logger) == false)
            #expect(try await Migrator(migrations: Migration.all, logger: logger).migrate(database).contains(15))
            #expect(try await SalesRollup(clock: clock).prepare(database, logger: logger), "the start after the upgrade rebuilds them all")
            let november2 = LocalDay.number(year: 2025, month: 11, day: 2)
            let (both, second) = try await database.read { db in
                (
                    try await ReportRepository().vendors(
                        ReportScope(companyID: company), ReportPeriod(firstDay: november2 - 1, lastDay: november2), limit: 10, db),
                    try await ReportRepository().vendors(
                        ReportScope(companyID: company, storeID: store), ReportPeriod(firstDay: november2, lastDay: november2),
                        limit: 10, db)
                )
            }
            #expect(both.map { [$0.userID, $0.sales, $0.revenueCents] } == [[user, 2, 300]], "the voided sale counts nowhere")
            #expect(second.map { [$0.userID, $0.sales, $0.revenueCents] } == [[user, 1, 200]], "23:59 local is the day before")
            #expect(try await SalesRollup(clock: clock).prepare(database, logger: logger) == false, "built once")
        }
    }

    @Test("a period splits into whole 28-day blocks and the days at either end")
    func blocks() {
        // day 28 starts block 1; a period from day 20 to day 100 has blocks 1 and 2 (days 28–83) and two ragged ends
        let split = ReportPeriod(firstDay: 20, lastDay: 100).blocks
        #expect(split.blocks == 1...2 && split.days == [20...27, 84...100])
        #expect(ReportPeriod(firstDay: 28, lastDay: 83).blocks.days.isEmpty)
        #expect(ReportPeriod(firstDay: 30, lastDay: 60).blocks.blocks == nil && ReportPeriod(firstDay: 30, lastDay: 60).blocks.days == [30...60])
    }

    @Test("calendar arithmetic: day numbers, weekdays and strict dates")
    func calendar() {
        #expect(LocalDay.number(year: 1970, month: 1, day: 1) == 0 && LocalDay.weekday(0) == 3, "a Thursday")
        #expect(LocalDay.string(LocalDay.number(year: 2024, month: 2, day: 29)) == "2024-02-29")
        #expect(LocalDay.weekday(LocalDay.number(year: 2026, month: 11, day: 23)) == 0, "a Monday")
        #expect(LocalDay.weekday(-1) == 2 && LocalDay.string(-1) == "1969-12-31")
        for bad in ["2025-02-29", "2025-13-01", "2025-00-10", "2025-1-1", "25-01-01", "2025/01/01", "2025-01-32", ""] {
            #expect(LocalDay.parse(bad) == nil, "\(bad)")
        }
        let kolkata = LocalClock(timeZone: TimeZone(identifier: "Asia/Kolkata")!)
        let evening = try! Date("2025-11-01T18:29:00Z", strategy: .iso8601).unixMilliseconds
        #expect(LocalDay.string(kolkata.day(at: evening)) == "2025-11-01" && LocalDay.string(kolkata.day(at: evening + 120_000)) == "2025-11-02")
    }
}

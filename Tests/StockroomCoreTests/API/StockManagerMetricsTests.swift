import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// StockManager's metrics page, replayed: the calls its client makes (7, 30, 90 and 365 days, and a date range)
/// and every field it reads, with the type it reads it as — the page showed `$NaN` where a number was an object.
@Suite("StockManager's metrics page")
struct StockManagerMetricsTests {
    @Test("every figure the metrics page reads is there, with StockManager's type", arguments: Engine.allCases)
    func metricsPage(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let tea = try await client.createProduct(as: owner, barcode: "TEA-1", name: "Tea", quantity: 40, minQuantity: 5, price: 2.5, cost: 1)
            let cups = try await client.createProduct(as: owner, barcode: "CUP-1", name: "Cups", quantity: 4, minQuantity: 5, price: 1)
            // the most units, the least takings: first among StockManager's top products, which go by units
            let gum = try await client.createProduct(as: owner, barcode: "GUM-1", name: "Gum", quantity: 50, price: 0.1)
            #expect(
                try await client.call(.post, "/api/sales/bulk", as: vendor, json: #"{"items": [{"item_id": \#(gum), "quantity": 10}]}"#).status
                    == .created)
            for quantity in [1, 2, 3] {
                let sale = try await client.call(
                    .post, "/api/sales/bulk", as: vendor,
                    json: """
                        {"items": [{"item_id": \(tea), "quantity": \(quantity)}, {"item_id": \(cups), "quantity": 1}], "payment_method": "Efectivo"}
                        """)
                #expect(sale.status == .created)
            }
            let today = LocalDay.string(LocalClock(timeZone: TimeZone(identifier: "UTC")!).today())
            for query in ["period=7", "period=30", "period=90", "period=365", "from=\(today)&to=\(today)"] {
                let body = try await client.call(.get, "/api/metrics?\(query)", as: owner).json()
                let days: Int64 =
                    switch query {
                    case "period=7": 7
                    case "period=30": 30
                    case "period=90": 90
                    case "period=365": 365
                    default: 1
                    }
                try Self.readsLikeStockManager(.object(body), days: days, query: query)
                let kpis = try #require(body["kpis"])
                #expect(kpis["revenue"] == .int(19) && kpis["totalSales"] == .int(4) && kpis["unitsSold"] == .int(19), "\(query)")
                #expect(kpis["avgTicket"] == .double(4.75) && kpis["revenueChange"] == .int(100), "\(query): 100 against nothing before")
                let top = body["topProducts"]?.array ?? []
                #expect(top.map { $0["sku"] } == [.string("GUM-1"), .string("TEA-1"), .string("CUP-1")], "by units: \(top)")
                #expect(top.map { $0["units"] } == [.int(10), .int(6), .int(3)] && top.first?["revenue"] == .int(1))
                #expect(body["alerts"]?["lowStock"] == .int(1), "cups: 1 left of a minimum of 5")
                #expect(body["insights"]?["topProduct"] == .object(["name": .string("Gum"), "units": .int(10)]))
            }
        }
    }

    /// The fields StockManager's metrics page reads, each with the JSON type it reads it as.
    static func readsLikeStockManager(_ body: JSONValue, days: Int64, query: String) throws {
        func number(_ value: JSONValue?) -> Bool {
            switch value {
            case .int?, .double?: true
            default: false
            }
        }
        let kpis = try #require(body["kpis"], "\(query)")
        for key in ["revenue", "totalSales", "avgTicket", "unitsSold", "revenueChange", "salesChange", "ticketChange", "unitsChange"] {
            #expect(number(kpis[key]), "\(query): kpis.\(key) is \(String(describing: kpis[key]))")
        }
        let overTime = try #require(body["salesOverTime"], "\(query)")
        for key in ["labels", "revenue", "sales"] {
            #expect(overTime[key]?.array.count == Int(days), "\(query): salesOverTime.\(key) has one entry a day")
        }
        #expect(overTime["revenue"]?.array.allSatisfy(number) == true && overTime["sales"]?.array.allSatisfy(number) == true)
        for product in body["topProducts"]?.array ?? [] {
            #expect(product["id"] != nil && product["name"] != nil && product["sku"] != nil && number(product["units"]) && number(product["revenue"]))
        }
        #expect(body["salesByWeekday"]?.array.count == 7 && body["salesByWeekday"]?.array.allSatisfy(number) == true, "\(query)")
        #expect(body["salesByHour"]?.array.count == 24 && body["salesByHour"]?.array.allSatisfy(number) == true, "\(query)")
        #expect(number(body["comparison"]?["current"]) && number(body["comparison"]?["previous"]), "\(query)")
        for key in ["outOfStock", "lowStock", "noMovement"] { #expect(number(body["alerts"]?[key]), "\(query): alerts.\(key)") }
        let insights = try #require(body["insights"], "\(query)")
        #expect(insights["bestDay"]?["name"] != nil && number(insights["bestDay"]?["revenue"]), "\(query)")
        #expect(number(insights["peakHour"]) || insights["peakHour"] == .null, "\(query)")
        #expect(insights["topProduct"]?["name"] != nil && number(insights["topProduct"]?["units"]), "\(query)")
        guard case .string? = insights["trend"] else {
            Issue.record("\(query): insights.trend is not a sentence")
            return
        }
        let heatmap = try #require(body["heatmap"], "\(query)")
        #expect(heatmap["data"]?.array.count == 7 && heatmap["days"]?.array.count == 7 && heatmap["hours"]?.array.count == 24)
        #expect(body["period"]?["days"] == .int(days) && body["period"]?["start"] != nil && body["period"]?["end"] != nil, "\(query)")
        #expect(number(body["inventory"]?["totalValue"]) && number(body["inventory"]?["totalUnits"]), "\(query)")
        #expect(body["trendLine"]?["revenue"]?.array.count == Int(days) && body["vendors"]?.array.isEmpty == false, "\(query)")
    }
}

import Foundation
import Hummingbird
import StockroomDomain

/// The stock's value at any moment (`GET /api/reports/valuation`, `GET /api/export/valuation.csv`): owners every
/// store or one, admins their own. `at` is a day (its end, on the business clock) or an ISO-8601 instant; now when
/// absent.
struct ValuationController {
    let reports: ReportService
    let timeZone: TimeZone
    let currency: CompanyCurrency

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("reports/valuation", use: valuation)
        api.get("export/valuation.csv", use: csv)
    }

    @Sendable func valuation(_ request: Request, context: AppRequestContext) async throws -> ValuationResponse {
        ValuationResponse(try await read(request, context))
    }

    /// One line per store and product (units in transit on lines of their own), then the total.
    @Sendable func csv(_ request: Request, context: AppRequestContext) async throws -> Response {
        let valuation = try await read(request, context)
        let code = try await currency.currency(try context.requireCaller())
        return ExportController.csv(filename: "valuation.csv", request) { writer in
            var text = CSV.line([
                "store_id", "store", "product_id", "barcode", "product", "in_transit", "units", "unit_cost (\(code))", "value (\(code))",
            ])
            for row in valuation.rows {
                text += CSV.line([
                    String(row.storeID), row.storeName, String(row.productID), row.barcode, row.productName, row.inTransit ? "yes" : "no",
                    String(row.units), String(Money.amount(row.unitCostCents)), String(Money.amount(row.valueCents)),
                ])
            }
            text += CSV.line(["", "", "", "", "total", "", String(valuation.units), "", String(Money.amount(valuation.valueCents))])
            try await writer.write(ExportController.buffer(text))
        }
    }

    private func read(_ request: Request, _ context: AppRequestContext) async throws -> Valuation {
        let (storeID, moment) = try Self.query(QueryReader(request), timeZone: timeZone)
        return try await reports.valuation(try context.requireCaller(), storeID: storeID, at: moment)
    }

    /// The store and the moment asked for, read once for the API and the valuation page.
    static func query(_ query: QueryReader, timeZone: TimeZone) throws -> (storeID: Int64?, moment: Date?) {
        // The end of a day, or the instant itself: the moments up to it count.
        (try query.id("store_id"), try query.date("at", timeZone: timeZone, endOfDay: true).map { $0 - 0.001 })
    }

    /// Each store's units and value on its shelves and on their way to it, in the valuation's order.
    static func storeTotals(_ valuation: Valuation) -> [StoreTotal] {
        var stores: [StoreTotal] = []
        for row in valuation.rows {
            if stores.last?.storeID != row.storeID { stores.append(StoreTotal(storeID: row.storeID, storeName: row.storeName)) }
            if row.inTransit {
                stores[stores.count - 1].inTransitUnits += row.units
                stores[stores.count - 1].inTransitCents += row.valueCents
            } else {
                stores[stores.count - 1].units += row.units
                stores[stores.count - 1].valueCents += row.valueCents
            }
        }
        return stores
    }

    struct StoreTotal: Sendable {
        let storeID: Int64
        let storeName: String
        var units: Int64 = 0
        var valueCents: Int64 = 0
        var inTransitUnits: Int64 = 0
        var inTransitCents: Int64 = 0
    }
}

/// A valuation: totals, each store's, and every line.
struct ValuationResponse: ResponseEncodable, Sendable, AllKeysEncodable {
    struct Store: Encodable, Sendable, AllKeysEncodable {
        let storeID: Int64
        let storeName: String
        let units: Int64
        let value: Double
        let inTransitUnits: Int64
        let inTransitValue: Double
    }

    struct Row: Encodable, Sendable, AllKeysEncodable {
        let storeID: Int64
        let productID: Int64
        let name: String
        let barcode: String
        let inTransit: Bool
        let units: Int64
        let unitCost: Double
        let value: Double
    }

    let at: Date
    let units: Int64
    let value: Double
    let stores: [Store]
    let rows: [Row]

    init(_ valuation: Valuation) {
        at = valuation.at
        units = valuation.units
        value = Money.amount(valuation.valueCents)
        stores = ValuationController.storeTotals(valuation).map {
            Store(
                storeID: $0.storeID, storeName: $0.storeName, units: $0.units, value: Money.amount($0.valueCents), inTransitUnits: $0.inTransitUnits,
                inTransitValue: Money.amount($0.inTransitCents))
        }
        rows = valuation.rows.map {
            Row(
                storeID: $0.storeID, productID: $0.productID, name: $0.productName, barcode: $0.barcode, inTransit: $0.inTransit, units: $0.units,
                unitCost: Money.amount($0.unitCostCents), value: Money.amount($0.valueCents))
        }
    }
}

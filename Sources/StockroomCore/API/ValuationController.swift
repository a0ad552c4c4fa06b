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
        let query = QueryReader(request)
        // The end of a day, or the instant itself: the moments up to it count.
        let moment = try query.date("at", timeZone: timeZone, endOfDay: true).map { $0 - 0.001 }
        return try await reports.valuation(try context.requireCaller(), storeID: try query.id("store_id"), at: moment)
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
        var stores: [Store] = []
        for row in valuation.rows where stores.last?.storeID != row.storeID {
            let own = valuation.rows.filter { $0.storeID == row.storeID }
            let shelves = own.filter { !$0.inTransit }
            let road = own.filter(\.inTransit)
            stores.append(
                Store(
                    storeID: row.storeID, storeName: row.storeName, units: shelves.reduce(0) { $0 + $1.units },
                    value: Money.amount(shelves.reduce(0) { $0 + $1.valueCents }), inTransitUnits: road.reduce(0) { $0 + $1.units },
                    inTransitValue: Money.amount(road.reduce(0) { $0 + $1.valueCents })))
        }
        self.stores = stores
        rows = valuation.rows.map {
            Row(
                storeID: $0.storeID, productID: $0.productID, name: $0.productName, barcode: $0.barcode, inTransit: $0.inTransit, units: $0.units,
                unitCost: Money.amount($0.unitCostCents), value: Money.amount($0.valueCents))
        }
    }
}

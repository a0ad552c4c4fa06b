import Foundation
import Hummingbird

/// `GET /reports/valuation`: what the stock was worth at the end of a day (today when none is given), from the
/// ledger and the history of costs, exactly as `GET /api/reports/valuation` answers the same query — owners every
/// store or one, admins their own — with the CSV of the same filters to download.
struct ValuationPage {
    let pages: Pages
    let reports: ReportService
    let products: ProductPages

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("reports/valuation", use: page)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("valuation", title: "valuation", request, context, needs: .viewReports) { caller, frame in
            let (storeID, moment) = try ValuationController.query(QueryReader(request), timeZone: pages.timeZone)
            let valuation = try await reports.valuation(caller, storeID: storeID, at: moment)
            let day = Date.ISO8601FormatStyle(timeZone: pages.timeZone).year().month().day().dateSeparator(.dash)
            return ValuationView(
                valuation, at: request.uri.queryParameters["at"].map(String.init) ?? Date.now.formatted(day),
                stores: caller.role == .owner ? try await products.storeChoices(caller, chosen: storeID ?? 0) : nil,
                exports: Exports(request, path: "/api/export/valuation.csv"), frame)
        }
    }
}

/// The valuation page: the moment and store asked for, the totals, each store's shelves and what is on its way to
/// it, and every product's line, amounts in the shop's money.
struct ValuationView: Sendable {
    let at: String
    let atText: String
    let stores: [StoreChoice]?
    let exports: Exports
    let units: Int64
    let value: String
    let storeTotals: [StoreTotal]
    let rows: [Row]

    struct StoreTotal: Sendable {
        let name: String
        let units: Int64
        let value: String
        let inTransitUnits: Int64
        let inTransitValue: String
    }

    struct Row: Sendable {
        let storeName: String
        let name: String
        let barcode: String
        let inTransit: Bool
        let units: Int64
        let unitCost: String
        let value: String
    }

    init(_ valuation: Valuation, at: String, stores: [StoreChoice]?, exports: Exports, _ frame: PageFrame) {
        let money = frame.format.money(cents:)
        self.at = at
        atText = frame.format.dateTime(valuation.at)
        self.stores = stores
        self.exports = exports
        units = valuation.units
        value = money(valuation.valueCents)
        storeTotals = ValuationController.storeTotals(valuation).map {
            StoreTotal(
                name: $0.storeName, units: $0.units, value: money($0.valueCents), inTransitUnits: $0.inTransitUnits,
                inTransitValue: money($0.inTransitCents))
        }
        rows = valuation.rows.map {
            Row(
                storeName: $0.storeName, name: $0.productName, barcode: $0.barcode, inTransit: $0.inTransit, units: $0.units,
                unitCost: money($0.unitCostCents), value: money($0.valueCents))
        }
    }
}

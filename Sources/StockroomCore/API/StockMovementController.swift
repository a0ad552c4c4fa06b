import Foundation
import Hummingbird

/// `GET /api/stock-movements`: the ledger, filtered by store, product, kind and day, newest first.
struct StockMovementController {
    let stock: StockService
    let timeZone: TimeZone

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("stock-movements", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Paged<StockMovementResponse> {
        let caller = try context.requireCaller()
        let (filter, page) = try Self.listing(QueryReader(request), caller: caller, timeZone: timeZone)
        return try await stock.movements(caller, filter: filter, page: page).map(StockMovementResponse.init)
    }

    /// The list's filters and page (50 movements a page), for the API's list and the movements page.
    static func listing(_ query: QueryReader, caller: Caller, timeZone: TimeZone) throws -> (filter: MovementFilter, page: PageRequest) {
        (try filter(query, caller: caller, timeZone: timeZone), try PageRequest(query, defaultLimit: 50))
    }

    /// The list's filters; the CSV export takes the same ones, so a download is what the page shows.
    static func filter(_ query: QueryReader, caller: Caller, timeZone: TimeZone) throws -> MovementFilter {
        MovementFilter(
            companyID: caller.companyID, storeID: try query.id("store_id"), productID: try query.id("product_id"),
            kind: try query.oneOf("kind", MovementKind.self), from: try query.date("from", timeZone: timeZone),
            to: try query.date("to", timeZone: timeZone, endOfDay: true))
    }
}

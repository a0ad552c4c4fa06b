import Foundation
import Hummingbird
import StockroomDomain

/// `/api/stock-counts…`: counting a store's shelves while it keeps selling. Every write takes an
/// `Idempotency-Key`: a phone that lost the answer to a scan sends it again and the shelf is not counted twice.
struct StockCountController {
    let counts: StockCountService
    let idempotency: Idempotency

    struct OpenRequest: Decodable {
        let store_id: Int64?
        let search: String?
        let note: String?
    }

    /// One product by `product_id` or `barcode`, with `counted` (the number on the shelf) or `add` (one scan: 1).
    struct EntryRequest: Decodable {
        let product_id: Int64?
        let barcode: String?
        let counted: Int64?
        let add: Int64?
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("stock-counts", use: list)
        api.get("stock-counts/:id", use: get)
        let writes = api.group().add(middleware: IdempotentRoutes(idempotency: idempotency, kind: .write))
        writes.post("stock-counts", use: open)
        writes.post("stock-counts/:id/lines", use: enter)
        writes.post("stock-counts/:id/post", use: post)
        writes.post("stock-counts/:id/abandon", use: abandon)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Paged<StockCountResponse> {
        let (filter, page) = try Self.listing(QueryReader(request))
        return try await counts.list(try context.requireCaller(), filter: filter, page: page).map { StockCountResponse($0, withLines: false) }
    }

    /// The list's filters and page, read once for the API and the counts page.
    static func listing(_ query: QueryReader) throws -> (StockCountFilter, PageRequest) {
        let filter = StockCountFilter(status: try query.oneOf("status", StockCount.Status.self), storeID: try query.id("store_id"))
        return (filter, try PageRequest(query, defaultLimit: 20))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> StockCountResponse {
        StockCountResponse(try await counts.count(try context.requireCaller(), id: try context.parameters.id("id")))
    }

    @Sendable func open(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<StockCountResponse> {
        let caller = try context.requireCaller()
        let body = try await request.decode(as: OpenRequest.self, context: context)
        return StockCountResponse(try await counts.open(caller, storeID: body.store_id, scope: body.search, note: body.note)).created
    }

    @Sendable func enter(_ request: Request, context: AppRequestContext) async throws -> StockCountResponse.Line {
        let caller = try context.requireCaller()
        let id = try context.parameters.id("id")
        let body = try await request.decode(as: EntryRequest.self, context: context)
        let amount: CountEntry.Amount
        switch (body.counted, body.add) {
        case (let counted?, nil): amount = .set(counted)
        case (nil, let add?): amount = .add(add)
        default: throw ShopError.invalidField("counted", "Send either counted (the number on the shelf) or add (how many more)")
        }
        let barcode = body.barcode?.trimmingCharacters(in: .whitespaces)
        if let barcode { try Validation.checkText(barcode, field: "barcode", length: 1...64) }
        return StockCountResponse.Line(
            try await counts.enter(caller, countID: id, CountEntry(productID: body.product_id, barcode: barcode, amount: amount)))
    }

    @Sendable func post(_ request: Request, context: AppRequestContext) async throws -> StockCountResponse {
        StockCountResponse(try await counts.post(try context.requireCaller(), id: try context.parameters.id("id")))
    }

    @Sendable func abandon(_ request: Request, context: AppRequestContext) async throws -> StockCountResponse {
        StockCountResponse(try await counts.abandon(try context.requireCaller(), id: try context.parameters.id("id")))
    }
}

/// A stock count, with its lines when read alone.
struct StockCountResponse: ResponseEncodable, Sendable, AllKeysEncodable {
    struct Line: ResponseEncodable, Sendable, AllKeysEncodable {
        let productID: Int64
        let productName: String
        let barcode: String
        let expected: Int64?
        let counted: Int64?
        let difference: Int64?
        let countedAt: Date?
        let countedBy: Int64?
        let postedDelta: Int64?

        init(_ line: StockCount.Line) {
            productID = line.productID
            productName = line.productName
            barcode = line.barcode
            expected = line.expected
            counted = line.counted
            difference = line.difference
            countedAt = line.countedAt
            countedBy = line.countedBy
            postedDelta = line.postedDelta
        }
    }

    let id: Int64
    let storeID: Int64
    let storeName: String
    let status: String
    let search: String
    let note: String
    let createdBy: Int64?
    let createdAt: Date
    let updatedAt: Date
    let closedBy: Int64?
    let closedAt: Date?
    /// Null in the list, which does not read them.
    let lines: [Line]?

    init(_ count: StockCount, withLines: Bool = true) {
        id = count.id
        storeID = count.storeID
        storeName = count.storeName
        status = count.status.rawValue
        search = count.scope
        note = count.note
        createdBy = count.createdBy
        createdAt = count.createdAt
        updatedAt = count.updatedAt
        closedBy = count.closedBy
        closedAt = count.closedAt
        lines = withLines ? count.lines.map(Line.init) : nil
    }
}

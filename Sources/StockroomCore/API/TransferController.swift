import Foundation
import Hummingbird
import StockroomDomain

/// `/api/transfers…`: stock sent between stores in two steps — dispatched (it leaves the source and is in transit)
/// and received at the destination as it arrives, with what never arrived recorded as lost. Credith's one-step
/// `POST /api/store-inventory/transfer` is a transfer dispatched and received at once, and is listed here too.
struct TransferController {
    let transfers: TransferService
    let idempotency: Idempotency

    struct DispatchRequest: Decodable {
        struct Line: Decodable {
            let product_id: Int64
            let quantity: Int64
        }

        let from_store_id: Int64
        let to_store_id: Int64
        let note: String?
        let lines: [Line]
    }

    struct ReceiptRequest: Decodable {
        struct Line: Decodable {
            let line_id: Int64?
            let product_id: Int64?
            let received: Int64
            let lost: Int64?
            let reason: String?
        }

        let note: String?
        let lines: [Line]
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("transfers", use: list)
        api.get("transfers/in-transit", use: inTransit)
        api.get("transfers/:id", use: get)
        let writes = api.group().add(middleware: IdempotentRoutes(idempotency: idempotency, kind: .write))
        writes.post("transfers", use: dispatch)
        writes.post("transfers/:id/receipts", use: receive)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Paged<TransferResponse> {
        let query = QueryReader(request)
        let filter = try Self.filter(query)
        return try await transfers.list(try context.requireCaller(), filter: filter, page: try Self.page(query))
            .map { TransferResponse($0, withReceipts: false) }
    }

    /// The list's filters (`status`, `from_store_id`, `to_store_id`) and page: the transfers page reads them the
    /// same way.
    static func listing(_ query: QueryReader) throws -> (filter: TransferFilter, page: PageRequest) {
        (try filter(query), try page(query))
    }

    static func filter(_ query: QueryReader) throws -> TransferFilter {
        TransferFilter(
            status: try query.oneOf("status", Transfer.Status.self), fromStoreID: try query.id("from_store_id"),
            toStoreID: try query.id("to_store_id"))
    }

    static func page(_ query: QueryReader) throws -> PageRequest {
        try PageRequest(query, defaultLimit: 20)
    }

    @Sendable func inTransit(_ request: Request, context: AppRequestContext) async throws -> [InTransitResponse] {
        try await transfers.inTransit(try context.requireCaller(), storeID: try QueryReader(request).id("store_id")).map(InTransitResponse.init)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> TransferResponse {
        TransferResponse(try await transfers.transfer(try context.requireCaller(), id: try context.parameters.id("id")))
    }

    @Sendable func dispatch(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<TransferResponse> {
        let caller = try context.requireCaller()
        let body = try await request.decode(as: DispatchRequest.self, context: context)
        let transfer = try await transfers.dispatch(
            caller, from: body.from_store_id, to: body.to_store_id,
            lines: body.lines.map { TransferLineRequest(productID: $0.product_id, quantity: $0.quantity) }, note: body.note)
        return TransferResponse(transfer).created
    }

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<TransferResponse> {
        let caller = try context.requireCaller()
        let id = try context.parameters.id("id")
        let body = try await request.decode(as: ReceiptRequest.self, context: context)
        let transfer = try await transfers.receive(
            caller, transferID: id,
            arrivals: body.lines.map {
                TransferArrival(lineID: $0.line_id, productID: $0.product_id, received: $0.received, lost: $0.lost ?? 0, reason: $0.reason)
            }, note: body.note)
        return TransferResponse(transfer).created
    }
}

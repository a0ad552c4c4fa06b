import Foundation
import Hummingbird
import StockroomDomain

/// `/api/purchase-orders…`: orders to suppliers and the goods received against them (owners; admins for their
/// store). The writes that move an order on take an `Idempotency-Key`, so a receiving phone that lost an answer
/// can send the same delivery again without receiving it twice.
struct PurchaseOrderController {
    let orders: PurchaseOrderService
    let idempotency: Idempotency

    struct LineRequest: Decodable {
        let product_id: Int64
        let quantity: Int64
        let unit_cost: Double
        let allow_over_receipt: Bool?

        var line: OrderLineRequest {
            get throws {
                OrderLineRequest(
                    productID: product_id, quantity: quantity, unitCostCents: try Money.cents(unit_cost, field: "unit_cost"),
                    allowOverReceipt: allow_over_receipt ?? false)
            }
        }
    }

    struct CreateRequest: Decodable {
        let supplier_id: Int64
        let store_id: Int64?
        let notes: String?
        let lines: [LineRequest]
    }

    struct UpdateRequest: Decodable {
        let notes: String?
        let lines: [LineRequest]?
    }

    struct ReceiptRequest: Decodable {
        struct Line: Decodable {
            let line_id: Int64?
            let product_id: Int64?
            let quantity: Int64
        }

        let lines: [Line]
        let note: String?
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("purchase-orders", use: list)
        api.post("purchase-orders", use: create)
        api.get("purchase-orders/:id", use: get)
        api.put("purchase-orders/:id", use: update)
        let writes = api.group().add(middleware: IdempotentRoutes(idempotency: idempotency, kind: .write))
        writes.post("purchase-orders/:id/order", use: place)
        writes.post("purchase-orders/:id/cancel", use: cancel)
        writes.post("purchase-orders/:id/receipts", use: receive)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Paged<PurchaseOrderResponse> {
        let query = QueryReader(request)
        let filter = try Self.filter(query)
        return try await orders.list(try context.requireCaller(), filter: filter, page: try Self.page(query))
            .map { PurchaseOrderResponse($0, withReceipts: false) }
    }

    /// The list's filters (`status`, `supplier_id`, `store_id`) and page: the orders page reads them the same way.
    static func listing(_ query: QueryReader) throws -> (filter: PurchaseOrderFilter, page: PageRequest) {
        (try filter(query), try page(query))
    }

    static func filter(_ query: QueryReader) throws -> PurchaseOrderFilter {
        PurchaseOrderFilter(
            status: try query.oneOf("status", PurchaseOrder.Status.self), supplierID: try query.id("supplier_id"),
            storeID: try query.id("store_id"))
    }

    static func page(_ query: QueryReader) throws -> PageRequest {
        try PageRequest(query, defaultLimit: 20)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<PurchaseOrderResponse> {
        let caller = try context.requireCaller()
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let order = try await orders.create(
            caller, supplierID: body.supplier_id, storeID: body.store_id, notes: body.notes, lines: try body.lines.map { try $0.line })
        return PurchaseOrderResponse(order).created
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> PurchaseOrderResponse {
        PurchaseOrderResponse(try await orders.order(try context.requireCaller(), id: try context.parameters.id("id")))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> PurchaseOrderResponse {
        let caller = try context.requireCaller()
        let id = try context.parameters.id("id")
        let body = try await request.decode(as: UpdateRequest.self, context: context)
        return PurchaseOrderResponse(
            try await orders.update(caller, id: id, notes: body.notes, lines: try body.lines.map { try $0.map { try $0.line } }))
    }

    @Sendable func place(_ request: Request, context: AppRequestContext) async throws -> PurchaseOrderResponse {
        PurchaseOrderResponse(try await orders.place(try context.requireCaller(), id: try context.parameters.id("id")))
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> PurchaseOrderResponse {
        PurchaseOrderResponse(try await orders.cancel(try context.requireCaller(), id: try context.parameters.id("id")))
    }

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<PurchaseOrderResponse> {
        let caller = try context.requireCaller()
        let id = try context.parameters.id("id")
        let body = try await request.decode(as: ReceiptRequest.self, context: context)
        let order = try await orders.receive(
            caller, orderID: id, lines: body.lines.map { ReceivedLine(lineID: $0.line_id, productID: $0.product_id, quantity: $0.quantity) },
            note: body.note)
        return PurchaseOrderResponse(order).created
    }
}

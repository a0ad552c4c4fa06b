import Foundation
import Hummingbird
import StockroomDomain

/// `/api/sales/{id}/returns`: goods a customer brings back against a sale, in StockManager's words (`items`,
/// `item_id` in, `products`, `product_id` out). Taking a return accepts an `Idempotency-Key`: a till that lost the
/// answer sends it again and the money goes back once.
struct SaleReturnController {
    let sales: SaleService
    let idempotency: Idempotency

    struct ReturnRequestBody: Decodable {
        struct Item: Decodable {
            let item_id: Int64
            let quantity: Int64
            /// Back on the shelf (the default); false writes the units off, with `reason`.
            let restock: Bool?
            let reason: String?
        }

        let items: [Item]
        let note: String?
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("sales/:id/returns", use: list)
        api.group().add(middleware: IdempotentRoutes(idempotency: idempotency, kind: .write)).post("sales/:id/returns", use: take)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> [SaleReturnResponse] {
        try await sales.returns(try context.requireCaller(), saleID: try context.parameters.id("id")).map(SaleReturnResponse.init)
    }

    @Sendable func take(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<SaleReturnResponse> {
        let caller = try context.requireCaller()
        let id = try context.parameters.id("id")
        let body = try await request.decode(as: ReturnRequestBody.self, context: context)
        let taken = try await sales.takeReturn(
            caller, saleID: id,
            lines: body.items.map { ReturnRequest(productID: $0.item_id, quantity: $0.quantity, restock: $0.restock ?? true, reason: $0.reason) },
            note: body.note)
        return SaleReturnResponse(taken).created
    }
}

/// A customer return, with what each product refunded.
struct SaleReturnResponse: ResponseEncodable, Sendable, AllKeysEncodable {
    struct Line: Encodable, Sendable, AllKeysEncodable {
        let productID: Int64
        let name: String
        let quantity: Int64
        let refund: Double
        let restocked: Bool
        let reason: String?
    }

    let id: Int64
    let saleID: Int64
    let storeID: Int64
    let refund: Double
    let tax: Double
    let note: String
    let createdBy: Int64?
    let createdAt: Date
    let products: [Line]

    init(_ taken: SaleReturn) {
        id = taken.id
        saleID = taken.saleID
        storeID = taken.storeID
        refund = Money.amount(taken.refundCents)
        tax = Money.amount(taken.taxCents)
        note = taken.note
        createdBy = taken.createdBy
        createdAt = taken.createdAt
        products = taken.lines.map {
            Line(
                productID: $0.productID, name: $0.productName, quantity: $0.quantity, refund: Money.amount($0.refundCents), restocked: $0.restocked,
                reason: $0.reason)
        }
    }
}

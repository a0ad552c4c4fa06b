import Foundation
import Hummingbird

/// Credith's bills: the same records as sales, in Credith's shape. Prices come from the catalog, never the client.
struct BillController {
    let sales: SaleService
    let idempotency: Idempotency
    let timeZone: TimeZone

    struct Detail: Decodable {
        let productId: Int64
        let quantity: Int64
        let discountPercentage: Double?
    }

    struct BillRequest: Decodable {
        let storeId: Int64
        let paymentType: String?
        let details: [Detail]
        let discountAmount: Double?
        let customer: String?
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.group().add(middleware: IdempotentRoutes(idempotency: idempotency, kind: .newSale)).post("bills", use: create)
        api.get("bills", use: list)
        api.get("bills/:id", use: get)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<BillResponse> {
        let caller = try context.requireCaller()
        let body = try await request.decode(as: BillRequest.self, context: context)
        guard body.storeId > 0 else { throw ShopError.invalidField("storeId", "storeId must be a positive id") }
        let payment =
            try body.paymentType.map { text in
                guard let method = PaymentMethod(input: text) else {
                    throw ShopError.invalidField("paymentType", "paymentType must be CASH, CARD, TRANSFER or OTHER")
                }
                return method
            } ?? .cash
        let lines = try body.details.map { detail in
            SaleRequest.Line(
                productID: detail.productId, quantity: detail.quantity,
                discountBasisPoints: try detail.discountPercentage.map { try Money.cents($0, field: "discountPercentage", range: 0...10_000) })
        }
        let discount = try body.discountAmount.map { try Money.cents($0, field: "discountAmount") } ?? 0
        let customer = body.customer?.trimmingCharacters(in: .whitespacesAndNewlines)
        try Validation.checkText(customer, field: "customer", length: 0...200)
        let order = SaleRequest(
            storeID: body.storeId, lines: lines, paymentMethod: payment, customer: customer?.isEmpty == true ? nil : customer, discountCents: discount
        )
        return try await sales.sell(caller, order, in: context, answer: BillResponse.init).created
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> TotalAndData<BillResponse> {
        let caller = try context.requireCaller()
        let query = QueryReader(request)
        let window = try OffsetRequest(query)
        let filter = SaleFilter(
            companyID: caller.companyID, from: try query.date("from", timeZone: timeZone),
            to: try query.date("to", timeZone: timeZone, endOfDay: true))
        let page = try await sales.listWindow(caller, filter: filter, window: window)
        return TotalAndData(total: page.total, data: page.sales.map(BillResponse.init))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> BillResponse {
        BillResponse(try await sales.get(try context.requireCaller(), id: try context.parameters.id("id")))
    }
}

import Foundation
import Hummingbird

/// StockManager's sales: `POST /api/sales`, `/api/sales/bulk`, lists, detail, edit and void.
struct SaleController {
    let sales: SaleService
    let idempotency: Idempotency
    let timeZone: TimeZone

    struct SingleRequest: Decodable {
        let barcode: String
        let quantity: Int64
        let payment_method: String?
        let store_id: Int64?
    }

    struct Item: Decodable {
        let item_id: Int64
        let quantity: Int64
        /// The line's discount in percent (0–100, two decimals), as Credith's bills send `discountPercentage`.
        let discount_percentage: Double?

        var line: SaleRequest.Line {
            get throws {
                .init(
                    productID: item_id, quantity: quantity,
                    discountBasisPoints: try discount_percentage.map { try Money.cents($0, field: "discount_percentage", range: 0...10_000) })
            }
        }
    }

    struct BulkRequest: Decodable {
        let items: [Item]
        let payment_method: String?
        let store_id: Int64?
        /// An amount off the sale, after the lines' discounts (Credith's `discountAmount`).
        let discount_amount: Double?
    }

    struct EditRequest: Decodable {
        let items: [Item]
        let payment_method: String?
        /// StockManager's seller by username: the sale moves to that account.
        let vendedor: String?
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        let newSales = api.group().add(middleware: IdempotentRoutes(idempotency: idempotency, kind: .newSale))
        newSales.post("sales", use: sellOne)
        newSales.post("sales/bulk", use: sellMany)
        api.get("sales", use: list)
        api.get("sales/:id", use: get)
        api.get("sales/:id/edit", use: editForm)
        let writes = api.group().add(middleware: IdempotentRoutes(idempotency: idempotency, kind: .write))
        writes.put("sales/:id", use: edit)
        writes.post("sales/:id/void", use: void)
    }

    @Sendable func sellOne(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<SoldResponse> {
        let caller = try context.requireCaller()
        let body = try await request.decode(as: SingleRequest.self, context: context)
        let barcode = body.barcode.trimmingCharacters(in: .whitespaces)
        guard (1...64).contains(barcode.count) else { throw ShopError.invalidField("barcode", "Send the product's barcode") }
        try Validation.checkText(barcode, field: "barcode", length: 1...64)
        let payment = try Self.payment(body.payment_method)
        let quantity = body.quantity
        let productID = try await sales.productID(barcode: barcode, caller)
        let order = SaleRequest(storeID: body.store_id, lines: [.init(productID: productID, quantity: quantity)], paymentMethod: payment)
        return try await sales.sell(caller, order, in: context) { sale in
            SoldResponse(
                message: "Sale recorded", saleID: sale.id, product: sale.lines[0].productName, quantity: quantity,
                total: Money.amount(sale.totalCents))
        }.created
    }

    @Sendable func sellMany(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<BulkSoldResponse> {
        let caller = try context.requireCaller()
        let body = try await request.decode(as: BulkRequest.self, context: context)
        let payment = try Self.payment(body.payment_method)
        let lines = try body.items.map { try $0.line }
        let discount = try body.discount_amount.map { try Money.cents($0, field: "discount_amount") } ?? 0
        let order = SaleRequest(storeID: body.store_id, lines: lines, paymentMethod: payment, discountCents: discount)
        return try await sales.sell(caller, order, in: context, answer: BulkSoldResponse.init).created
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Paged<SaleResponse> {
        let caller = try context.requireCaller()
        let (filter, page) = try Self.listing(QueryReader(request), caller: caller, timeZone: timeZone)
        return try await sales.list(caller, filter: filter, page: page).map(SaleResponse.init)
    }

    /// The list's filters and page (10 sales a page): the API's list, the sales page and the dashboard's latest sales.
    static func listing(_ query: QueryReader, caller: Caller, timeZone: TimeZone) throws -> (filter: SaleFilter, page: PageRequest) {
        (try filter(query, caller: caller, timeZone: timeZone), try PageRequest(query, defaultLimit: 10))
    }

    /// The list's filters (a vendor by id or name); the CSV export takes the same ones, so a download is what the
    /// page shows.
    static func filter(_ query: QueryReader, caller: Caller, timeZone: TimeZone) throws -> SaleFilter {
        let vendor = try query.string("vendor", maxLength: 50)
        var filter = SaleFilter(
            companyID: caller.companyID, storeID: try query.id("store_id"), vendorID: vendor.flatMap { Int64($0) },
            vendorName: vendor.flatMap { Int64($0) == nil ? $0 : nil }, productName: try query.string("product", maxLength: 100),
            from: try query.date("from", timeZone: timeZone), to: try query.date("to", timeZone: timeZone, endOfDay: true))
        // StockManager's `vendedor`: part of the seller's username.
        filter.vendorNameContains = try query.string("vendedor", maxLength: 50)
        return filter
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> SaleResponse {
        SaleResponse(try await sales.get(try context.requireCaller(), id: try context.parameters.id("id")))
    }

    @Sendable func editForm(_ request: Request, context: AppRequestContext) async throws -> EditFormResponse {
        let caller = try context.require(.editSales)
        return EditFormResponse(try await sales.get(caller, id: try context.parameters.id("id")))
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Saved<SaleResponse> {
        let caller = try context.require(.editSales)
        let id = try context.parameters.id("id")
        let body = try await request.decode(as: EditRequest.self, context: context)
        let payment = try body.payment_method.map { try Self.payment($0) }
        let seller = body.vendedor?.trimmingCharacters(in: .whitespaces)
        if let seller { try Validation.checkText(seller, field: "vendedor", length: 1...64) }
        let sale = try await sales.edit(caller, id: id, lines: try body.items.map { try $0.line }, paymentMethod: payment, seller: seller)
        return Saved(SaleResponse(sale), message: "Sale updated")
    }

    @Sendable func void(_ request: Request, context: AppRequestContext) async throws -> SaleResponse {
        let caller = try context.require(.editSales)
        return SaleResponse(try await sales.void(caller, id: try context.parameters.id("id")))
    }

    static func payment(_ text: String?) throws -> PaymentMethod {
        guard let text else { return .cash }
        guard let method = PaymentMethod(input: text) else {
            throw ShopError.invalidField("payment_method", "payment_method must be cash, card, transfer or other")
        }
        return method
    }

    struct SoldResponse: ResponseEncodable, Sendable, AllKeysEncodable {
        let message: String
        let saleID: Int64
        let product: String
        let quantity: Int64
        let total: Double
    }

    /// The sale as the server priced it: the till prints these figures, never its own.
    struct BulkSoldResponse: ResponseEncodable, Sendable, AllKeysEncodable {
        var ok = true
        let saleID: Int64
        let items: [SoldItem]
        let subtotal: Double
        let discount: Double
        let tax: Double
        let taxRate: Double
        let pricesIncludeTax: Bool
        let total: Double

        init(_ sale: Sale) {
            saleID = sale.id
            items = sale.lines.map {
                .init(
                    itemID: $0.productID, name: $0.productName, quantity: $0.quantity, unitPrice: Money.amount($0.unitPriceCents),
                    discountPercentage: Double($0.discountBasisPoints) / 100, subtotal: Money.amount($0.lineTotalCents))
            }
            subtotal = Money.amount(sale.subtotalCents)
            discount = Money.amount(sale.discountCents)
            tax = Money.amount(sale.taxCents)
            taxRate = Double(sale.tax.rateBasisPoints) / 100
            pricesIncludeTax = sale.tax.pricesIncludeTax
            total = Money.amount(sale.totalCents)
        }
    }

    struct SoldItem: Encodable, Sendable, AllKeysEncodable {
        let itemID: Int64
        let name: String
        let quantity: Int64
        let unitPrice: Double
        let discountPercentage: Double
        let subtotal: Double
    }

    /// StockManager's edit form `{id, date, vendedor, payment_method, items: [{item_id, quantity, price, name}]}`, with
    /// each line's subtotal and the whole sale beside it.
    struct EditFormResponse: ResponseEncodable, AllKeysEncodable {
        let id: Int64
        let date: Date
        let vendedor: String
        let paymentMethod: PaymentMethod
        let items: [Line]
        let sale: SaleResponse

        struct Line: Encodable, AllKeysEncodable {
            let itemID: Int64
            let quantity: Int64
            let price: Double
            let name: String
            /// `price` again, as the sale answers name it.
            let unitPrice: Double
            let subtotal: Double
        }

        init(_ sale: Sale) {
            id = sale.id
            date = sale.createdAt
            vendedor = sale.vendorName
            paymentMethod = sale.paymentMethod
            items = sale.lines.map {
                Line(
                    itemID: $0.productID, quantity: $0.quantity, price: Money.amount($0.unitPriceCents), name: $0.productName,
                    unitPrice: Money.amount($0.unitPriceCents), subtotal: Money.amount($0.lineTotalCents))
            }
            self.sale = SaleResponse(sale)
        }
    }
}

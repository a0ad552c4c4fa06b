import Hummingbird

/// The sales pages: the history with its filters, and one sale with its receipt, its edit form and void, its
/// returns and the form that takes one.
struct SalePages {
    let pages: Pages
    let sales: SaleService
    let products: ProductPages

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("sales", use: list)
        router.get("sales/:id", use: detail)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("sales", title: "sales", request, context) { caller, frame in
            let query = QueryReader(request)
            let (filter, page) = try SaleController.listing(query, caller: caller, timeZone: pages.timeZone)
            let list = try await sales.list(caller, filter: filter, page: page)
            let text = { (key: Substring) in String(request.uri.queryParameters[key] ?? "") }
            return SalesView(
                sales: list.data.map { SaleRow($0, frame) }, pager: Pager(request, page: list.page, pages: list.pages), total: list.total,
                exports: Exports(request, path: "/api/export/sales.csv"), vendor: text("vendor"), product: text("product"),
                from: text("from"), to: text("to"),
                stores: caller.role == .owner ? try await products.storeChoices(caller, chosen: try query.id("store_id") ?? 0) : nil)
        }
    }

    @Sendable func detail(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("sale", title: "sale_number", request, context) { caller, frame in
            let sale = try await sales.get(caller, id: try context.parameters.id("id"))
            let returns = try await sales.returns(caller, saleID: sale.id)
            let changes = Permission.editSales.allows(caller.role) && sale.status == .completed
            // A sale with returns is not edited or voided any more (the API answers `sale_has_returns`).
            return SaleView(
                sale: SaleView.Receipt(sale, frame), editable: changes && returns.isEmpty, returns: returns.map { ReturnRow($0, frame) },
                returnForm: changes ? ReturnForm(sale, returns: returns) : nil,
                paymentMethods: ["cash", "card", "transfer", "other"].map {
                    Choice(value: $0, label: frame.strings["pay_" + $0] ?? $0, selected: $0 == sale.paymentMethod.rawValue)
                })
        }
    }
}

/// A sale in a list (the sales page, the dashboard): its amounts and time written for reading, its status and
/// payment method in the reader's words.
struct SaleRow: Sendable {
    let id: Int64
    let billNumber: Int64
    let date: String
    let vendor: String
    let totalQuantity: Int64
    let paymentLabel: String
    let total: String
    let status: String
    let statusLabel: String
    let voided: Bool

    init(_ sale: Sale, _ frame: PageFrame) {
        id = sale.id
        billNumber = sale.billNumber
        date = frame.format.dateTime(sale.createdAt)
        vendor = sale.vendorName
        totalQuantity = sale.totalQuantity
        total = frame.format.money(cents: sale.totalCents)
        status = sale.status.rawValue
        statusLabel = frame.strings["sale_" + status] ?? status
        paymentLabel = frame.strings["pay_" + sale.paymentMethod.rawValue] ?? sale.paymentMethod.rawValue
        voided = sale.status == .voided
    }
}

/// The sales page: a page of sales, the filters as given, and (for owners) the store picker.
struct SalesView: Sendable {
    let sales: [SaleRow]
    let pager: Pager
    let total: Int
    let exports: Exports
    let vendor: String
    let product: String
    let from: String
    let to: String
    let stores: [StoreChoice]?
}

/// One sale: the receipt, its returns, and the edit and return forms for those who may change it while it stands.
struct SaleView: Sendable {
    let sale: Receipt
    let editable: Bool
    let returns: [ReturnRow]
    let returnForm: ReturnForm?
    let paymentMethods: [Choice]

    struct Receipt: Sendable {
        let id: Int64
        let billNumber: Int64
        let status: String
        let statusLabel: String
        let date: String
        let vendor: String
        let paymentLabel: String
        let products: [Line]
        let subtotal: String
        let discount: String
        let tax: String
        let total: String

        init(_ sale: Sale, _ frame: PageFrame) {
            let row = SaleRow(sale, frame)
            id = sale.id
            billNumber = sale.billNumber
            status = row.status
            statusLabel = row.statusLabel
            date = row.date
            vendor = sale.vendorName
            paymentLabel = row.paymentLabel
            let money = frame.format.money(cents:)
            // Each line's place, for the edit form's field names (items[0].quantity, …).
            products = sale.lines.enumerated().map { index, line in
                Line(
                    index: index, productId: line.productID, name: line.productName, quantity: line.quantity,
                    price: money(line.unitPriceCents), subtotal: money(line.lineTotalCents))
            }
            subtotal = money(sale.subtotalCents)
            discount = money(sale.discountCents)
            tax = money(sale.taxCents)
            total = row.total
        }
    }

    struct Line: Sendable {
        let index: Int
        let productId: Int64
        let name: String
        let quantity: Int64
        let price: String
        let subtotal: String
    }
}

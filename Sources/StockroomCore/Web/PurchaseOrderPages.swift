import Hummingbird

/// The purchase order pages (owners; admins for their own store): the list with its filters, a new draft, and one
/// order with what is still due on each line, its deliveries, and what its status allows — the draft's lines
/// changed and the order placed, cancelled, or goods received against it at the back door. Every change goes
/// through `/api/purchase-orders`.
struct PurchaseOrderPages {
    let pages: Pages
    let orders: PurchaseOrderService
    let suppliers: SupplierService
    let products: ProductPages

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("purchase-orders", use: list)
        router.get("purchase-orders/new", use: new)
        router.get("purchase-orders/:id", use: detail)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("purchase-orders", title: "purchase_orders", request, context, needs: .managePurchasing) { caller, frame in
            let (filter, page) = try PurchaseOrderController.listing(QueryReader(request))
            let list = try await orders.list(caller, filter: filter, page: page)
            let statuses = PurchaseOrder.Status.allCases.map(\.rawValue)
            return PurchaseOrdersView(
                orders: list.data.map { OrderRow($0, frame) }, pager: Pager(request, page: list.page, pages: list.pages), total: list.total,
                statuses: [Choice(value: "", label: frame.strings["all"] ?? "")]
                    + statuses.map { Choice(value: $0, label: frame.strings["po_" + $0] ?? $0, selected: $0 == filter.status?.rawValue) },
                suppliers: try await supplierChoices(caller, chosen: filter.supplierID, activeOnly: false),
                stores: caller.role == .owner ? try await products.storeChoices(caller, chosen: filter.storeID ?? 0) : nil)
        }
    }

    /// A new draft: its supplier, its store (owners choose; admins order for their own) and its lines.
    @Sendable func new(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("purchase-order-new", title: "new_purchase_order", request, context, needs: .managePurchasing) { caller, _ in
            let query = QueryReader(request)
            let storeID = caller.role == .owner ? try query.id("store_id") ?? caller.storeID : caller.storeID
            let stores = try await products.storeChoices(caller, chosen: storeID, activeOnly: true)
            return NewOrderForm(
                suppliers: try await supplierChoices(caller, chosen: try query.id("supplier_id"), activeOnly: true),
                stores: caller.role == .owner ? stores : nil, storeId: storeID, storeName: stores.first { $0.selected }?.name ?? "",
                editor: LineEditor(costs: true, storeId: storeID, lines: []))
        }
    }

    @Sendable func detail(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("purchase-order", title: "purchase_order", request, context, needs: .managePurchasing) { caller, frame in
            PurchaseOrderView(try await orders.order(caller, id: try context.parameters.id("id")), frame)
        }
    }

    /// The company's suppliers for a picker (only those taking orders when `activeOnly`), the chosen one marked.
    private func supplierChoices(_ caller: Caller, chosen: Int64?, activeOnly: Bool) async throws -> [Choice] {
        let filter = SupplierFilter(active: activeOnly ? true : nil)
        let list = try await suppliers.list(caller, filter: filter, page: PageRequest(limit: PageRequest.maxLimit))
        return list.data.map { Choice(value: String($0.id), label: $0.name, selected: $0.id == chosen) }
    }
}

/// The orders page: a page of orders and the filters as given; `stores` for owners only.
struct PurchaseOrdersView: Sendable {
    let orders: [OrderRow]
    let pager: Pager
    let total: Int
    let statuses: [Choice]
    let suppliers: [Choice]
    let stores: [StoreChoice]?
}

/// An order in the list: its number in its store, who from, how much is still due, its value at cost.
struct OrderRow: Sendable {
    let id: Int64
    let number: Int64
    let supplierName: String
    let storeName: String
    let status: String
    let statusLabel: String
    let date: String
    let unitsOrdered: Int64
    let unitsDue: Int64
    let total: String

    init(_ order: PurchaseOrder, _ frame: PageFrame) {
        id = order.id
        number = order.number
        supplierName = order.supplierName
        storeName = order.storeName
        status = order.status.rawValue
        statusLabel = frame.strings["po_" + status] ?? status
        date = frame.format.dateTime(order.orderedAt ?? order.createdAt)
        unitsOrdered = order.lines.reduce(0) { $0 + $1.quantity }
        // Nothing more arrives against a cancelled or received order (as the API counts it).
        unitsDue = order.status.isReceiving || order.status == .draft ? order.lines.reduce(0) { $0 + $1.due } : 0
        total = frame.format.money(cents: order.totalCents)
    }
}

/// The new order page: the suppliers taking orders, the store (a picker for owners) and the empty line editor.
struct NewOrderForm: Sendable {
    let suppliers: [Choice]
    let stores: [StoreChoice]?
    let storeId: Int64
    let storeName: String
    let editor: LineEditor
}

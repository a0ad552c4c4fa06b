import Hummingbird

/// The transfer pages (owners; admins for transfers leaving or reaching their store): the list with its filters,
/// sending stock to another store, and one transfer with what is still on the road and — for the receiving store —
/// the form that takes it in, with what was lost on the way and why. Every change goes through `/api/transfers`.
struct TransferPages {
    let pages: Pages
    let transfers: TransferService
    let stores: StoreService

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("transfers", use: list)
        router.get("transfers/new", use: new)
        router.get("transfers/:id", use: detail)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("transfers", title: "transfers", request, context, needs: .transferStock) { caller, frame in
            let (filter, page) = try TransferController.listing(QueryReader(request))
            let list = try await transfers.list(caller, filter: filter, page: page)
            let statuses = Transfer.Status.allCases.map(\.rawValue)
            return TransfersView(
                transfers: list.data.map { TransferRow($0, frame) }, pager: Pager(request, page: list.page, pages: list.pages),
                total: list.total,
                statuses: [Choice(value: "", label: frame.strings["all"] ?? "")]
                    + statuses.map { Choice(value: $0, label: frame.strings["transfer_" + $0] ?? $0, selected: $0 == filter.status?.rawValue) },
                fromStores: try await storeChoices(caller, chosen: filter.fromStoreID),
                toStores: try await storeChoices(caller, chosen: filter.toStoreID))
        }
    }

    /// Sending stock: from a store (owners choose; admins send from their own) to another, product lines.
    @Sendable func new(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("transfer-new", title: "send_stock", request, context, needs: .transferStock) { caller, _ in
            let query = QueryReader(request)
            let source = caller.role == .owner ? try query.id("from_store_id") ?? caller.storeID : caller.storeID
            let sources = try await storeChoices(caller, chosen: source)
            let destination = try query.id("to_store_id") ?? sources.first { $0.id != source }?.id
            return SendStockForm(
                fromStores: caller.role == .owner ? sources : nil, fromStoreId: source,
                fromStoreName: sources.first { $0.id == source }?.name ?? "",
                toStores: try await storeChoices(caller, chosen: destination), editor: LineEditor(costs: false, storeId: source, lines: []))
        }
    }

    @Sendable func detail(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("transfer", title: "transfer_title", request, context, needs: .transferStock) { caller, frame in
            let transfer = try await transfers.transfer(caller, id: try context.parameters.id("id"))
            // The receiving store takes it in: an owner, or the destination's admin.
            let receives = transfer.status != .received && (caller.role == .owner || transfer.toStoreID == caller.storeID)
            return TransferView(transfer, receives: receives, frame)
        }
    }

    /// The company's stores open for business (where stock goes from and to), the chosen one marked.
    private func storeChoices(_ caller: Caller, chosen: Int64?) async throws -> [StoreChoice] {
        try await stores.transferDestinations(caller).map { StoreChoice(id: $0.id, name: $0.name, selected: $0.id == chosen) }
    }
}

/// The transfers page: a page of transfers and the filters as given.
struct TransfersView: Sendable {
    let transfers: [TransferRow]
    let pager: Pager
    let total: Int
    let statuses: [Choice]
    let fromStores: [StoreChoice]
    let toStores: [StoreChoice]
}

/// A transfer in the list: where from and to, how many units, how many still on the road.
struct TransferRow: Sendable {
    let id: Int64
    let date: String
    let fromStoreName: String
    let toStoreName: String
    let status: String
    let statusLabel: String
    let units: Int64
    let inTransit: Int64
    let lost: Int64

    init(_ transfer: Transfer, _ frame: PageFrame) {
        id = transfer.id
        date = frame.format.dateTime(transfer.createdAt)
        fromStoreName = transfer.fromStoreName
        toStoreName = transfer.toStoreName
        status = transfer.status.rawValue
        statusLabel = frame.strings["transfer_" + status] ?? status
        units = transfer.lines.reduce(0) { $0 + $1.quantity }
        inTransit = transfer.lines.reduce(0) { $0 + $1.inTransit }
        lost = transfer.lines.reduce(0) { $0 + $1.lost }
    }
}

/// The send-stock page: the source (a picker for owners), the destinations and the empty line editor.
struct SendStockForm: Sendable {
    let fromStores: [StoreChoice]?
    let fromStoreId: Int64
    let fromStoreName: String
    let toStores: [StoreChoice]
    let editor: LineEditor
}

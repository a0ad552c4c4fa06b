import Hummingbird

/// The stock count pages: the counts with their filters and (owners, admins) a new count of a store; one count with
/// what was expected, counted and the difference on each line and, while it is open, the scan field a phone counts
/// the shelves with. Anyone who works in the store counts; owners and admins post or abandon. Every change goes
/// through `/api/stock-counts`.
struct StockCountPages {
    let pages: Pages
    let counts: StockCountService
    let products: ProductPages

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("stock-counts", use: list)
        router.get("stock-counts/:id", use: detail)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("stock-counts", title: "stock_counts", request, context) { caller, frame in
            let (filter, page) = try StockCountController.listing(QueryReader(request))
            let list = try await counts.list(caller, filter: filter, page: page)
            let opens = Permission.manageCatalog.allows(caller.role)
            // Owners count any store open for business; admins their own, which the form names without a picker.
            let stores = caller.role == .owner ? try await products.storeChoices(caller, chosen: filter.storeID ?? 0) : nil
            let openable = opens ? try await products.storeChoices(caller, chosen: caller.storeID, activeOnly: true) : []
            return StockCountsView(
                counts: list.data.map { CountRow($0, frame) }, pager: Pager(request, page: list.page, pages: list.pages), total: list.total,
                statuses: [Choice(value: "", label: frame.strings["all"] ?? "")]
                    + StockCount.Status.allCases.map(\.rawValue).map {
                        Choice(value: $0, label: frame.strings["count_" + $0] ?? $0, selected: $0 == filter.status?.rawValue)
                    },
                stores: stores,
                open: opens
                    ? OpenCountForm(
                        stores: caller.role == .owner ? openable : nil, storeId: caller.storeID,
                        storeName: openable.first { $0.id == caller.storeID }?.name ?? "") : nil)
        }
    }

    @Sendable func detail(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("stock-count", title: "stock_count", request, context) { caller, frame in
            let count = try await counts.count(caller, id: try context.parameters.id("id"))
            return StockCountView(count, closes: Permission.manageCatalog.allows(caller.role), frame)
        }
    }
}

/// The counts page: a page of counts, the filters as given (`stores` for owners only), and the form that opens one.
struct StockCountsView: Sendable {
    let counts: [CountRow]
    let pager: Pager
    let total: Int
    let statuses: [Choice]
    let stores: [StoreChoice]?
    /// Absent for vendors, who count but do not open counts.
    let open: OpenCountForm?
}

/// Opening a count: the store (a picker for owners; an admin's own store, named), an optional search and a note.
struct OpenCountForm: Sendable {
    let stores: [StoreChoice]?
    let storeId: Int64
    let storeName: String
}

/// A count in the list: its store, its status, when it was opened, what it covers and its note.
struct CountRow: Sendable {
    let id: Int64
    let storeName: String
    let status: String
    let statusLabel: String
    let date: String
    let search: String?
    let note: String?

    init(_ count: StockCount, _ frame: PageFrame) {
        id = count.id
        storeName = count.storeName
        status = count.status.rawValue
        statusLabel = frame.strings["count_" + status] ?? status
        date = frame.format.dateTime(count.createdAt)
        search = count.scope.isEmpty ? nil : count.scope
        note = count.note.isEmpty ? nil : count.note
    }
}

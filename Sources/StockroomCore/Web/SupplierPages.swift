import Hummingbird

/// The suppliers pages (owners and admins): the list with its search and active filter, and the form that adds a
/// supplier or changes one. The form saves through `/api/suppliers`.
struct SupplierPages {
    let pages: Pages
    let suppliers: SupplierService

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("suppliers", use: list)
        router.get("suppliers/new") { try await form($0, $1, creating: true) }
        router.get("suppliers/:id") { try await form($0, $1, creating: false) }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("suppliers", title: "suppliers", request, context, needs: .managePurchasing) { caller, frame in
            let (filter, page) = try SupplierController.listing(QueryReader(request))
            let list = try await suppliers.list(caller, filter: filter, page: page)
            let query = request.uri.queryParameters
            return SuppliersView(
                suppliers: list.data.map { SupplierRow($0, frame.strings) }, pager: Pager(request, page: list.page, pages: list.pages),
                total: list.total, search: String(query["search"] ?? ""),
                actives: [("", "all"), ("true", "active_only"), ("false", "inactive_only")].map {
                    Choice(value: $0.0, label: frame.strings[$0.1] ?? $0.1, selected: query["active"] ?? "" == $0.0)
                })
        }
    }

    @Sendable func form(_ request: Request, _ context: AppRequestContext, creating: Bool) async throws -> Response {
        try await pages.show("supplier-form", title: creating ? "new_supplier" : "edit_supplier", request, context, needs: .managePurchasing) {
            caller, frame in
            let supplier = creating ? nil : try await suppliers.supplier(caller, id: try context.parameters.id("id"))
            return SupplierForm(supplier: supplier.map { SupplierRow($0, frame.strings) }, creating: creating)
        }
    }
}

/// The suppliers page: a page of suppliers and the filters as given.
struct SuppliersView: Sendable {
    let suppliers: [SupplierRow]
    let pager: Pager
    let total: Int
    let search: String
    let actives: [Choice]
}

/// A supplier as the list and the form show it: how to reach them, and whether they take new orders.
struct SupplierRow: Sendable {
    let id: Int64
    let name: String
    let contact: String
    let email: String
    let phone: String
    let taxId: String
    let notes: String
    let active: Bool
    let statusLabel: String

    init(_ supplier: Supplier, _ strings: [String: String]) {
        id = supplier.id
        name = supplier.name
        contact = supplier.contact
        email = supplier.email
        phone = supplier.phone
        taxId = supplier.taxID
        notes = supplier.notes
        active = supplier.isActive
        statusLabel = strings[active ? "active" : "inactive"] ?? ""
    }
}

/// The add or edit form; `supplier` is absent when adding.
struct SupplierForm: Sendable {
    let supplier: SupplierRow?
    let creating: Bool
}

import Hummingbird

/// The products pages: the list with its filters, the create and edit form, and disabling, activating or
/// archiving a product in one store. Forms and buttons act through the API.
struct ProductPages {
    let pages: Pages
    let catalog: CatalogService
    let stores: StoreService
    let categories: CategoryService

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("products", use: list)
        router.get("products/new") { try await form($0, $1, creating: true) }
        router.get("products/:id") { try await form($0, $1, creating: false) }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("products", title: "products", request, context) { caller, frame in
            let canManage = Permission.manageCatalog.allows(caller.role)
            let (productQuery, page) = try ProductController.listing(QueryReader(request), caller: caller, includeDisabled: canManage)
            let list = try await catalog.list(caller, query: productQuery, page: page)
            let query = request.uri.queryParameters
            let storeID = list.data.first?.storeID ?? (Int64(query["store_id"] ?? "") ?? caller.storeID)
            let modes = ["all", "in_stock", "low_stock", "out_of_stock"] + (canManage ? ["archived"] : [])
            return ProductsView(
                products: list.data.map { ProductRow($0, frame) }, pager: Pager(request, page: list.page, pages: list.pages),
                exports: Exports(request, path: "/api/export/products.csv"), total: list.total, search: String(query["search"] ?? ""),
                storeId: storeID, viewModes: Choice.options(modes, chosen: query["view_mode"] ?? "all", frame.strings),
                archivedView: query["view_mode"] == "archived",
                sorts: Choice.options(["name", "stock", "price"], chosen: query["sort"] ?? "name", frame.strings),
                descending: query["order"] == "desc",
                stores: caller.role == .owner ? try await storeChoices(caller, chosen: storeID) : nil)
        }
    }

    @Sendable func form(_ request: Request, _ context: AppRequestContext, creating: Bool) async throws -> Response {
        try await pages.show("product-form", title: creating ? "new_product" : "edit_product", request, context, needs: .manageCatalog) { caller, _ in
            let product =
                creating
                ? nil : try await catalog.get(caller, id: try context.parameters.id("id"), storeID: try QueryReader(request).id("store_id"))
            // New products start in the store the list was showing (an owner may pick any of theirs).
            let storeID = try product?.storeID ?? QueryReader(request).id("store_id") ?? caller.storeID
            let (categories, _) = try await categories.list(caller, window: OffsetRequest(limit: PageRequest.maxLimit))
            return ProductForm(
                product: product.map(ProductForm.Fields.init), storeId: storeID, creating: creating,
                categories: categories.filter(\.isActive).map(\.name))
        }
    }

    /// The company's stores for a picker (those open for business when `activeOnly`), the chosen one marked.
    func storeChoices(_ caller: Caller, chosen: Int64, activeOnly: Bool = false) async throws -> [StoreChoice] {
        let (list, _) = try await stores.list(caller, window: OffsetRequest(limit: PageRequest.maxLimit))
        return list.filter { $0.isActive || !activeOnly }.map { StoreChoice(id: $0.id, name: $0.name, selected: $0.id == chosen) }
    }
}

/// The products page: a page of one store's products, the filters as given, and (for owners) the store picker.
struct ProductsView: Sendable {
    let products: [ProductRow]
    let pager: Pager
    let exports: Exports
    let total: Int
    let search: String
    let storeId: Int64
    let viewModes: [Choice]
    let archivedView: Bool
    let sorts: [Choice]
    let descending: Bool
    let stores: [StoreChoice]?
}

/// A product in one store's list, its price written for reading.
struct ProductRow: Sendable {
    let id: Int64
    let barcode: String
    let name: String
    let category: String
    let stock: Int64
    let minStock: Int64
    let low: Bool
    let price: String
    /// StockManager's `1` (on sale) or `0`, the badge's class.
    let status: Int
    let active: Bool
    let statusLabel: String
    let storeId: Int64
    /// Units on their way to this store from another (the stock page; transfers not yet received).
    var inTransit: Int64?

    init(_ item: StoreProduct, _ frame: PageFrame) {
        id = item.product.id
        barcode = item.product.barcode
        name = item.product.name
        category = item.product.categoryName ?? ""
        stock = item.stock
        minStock = item.minStock
        low = item.stock <= item.minStock
        price = frame.format.money(cents: item.product.priceCents)
        active = item.isOnSale
        status = active ? 1 : 0
        statusLabel = frame.strings[active ? "active" : "disabled"] ?? ""
        storeId = item.storeID
    }
}

/// The create or edit form; `product` is absent when creating.
struct ProductForm: Sendable {
    let product: Fields?
    let storeId: Int64
    let creating: Bool
    let categories: [String]

    /// The product's fields as the form's inputs take them (amounts as `2.50`).
    struct Fields: Sendable {
        let barcode: String
        let name: String
        let description: String
        let price: String
        let cost: String
        let minStock: Int64
        let category: String
        let expirationDate: String
        let imageUrl: String
        let id: Int64
        let active: Bool

        init(_ item: StoreProduct) {
            let product = item.product
            // In the form's order; fields left empty where the product has no value.
            barcode = product.barcode
            name = product.name
            description = product.description
            price = DisplayFormat.plain(cents: product.priceCents)
            cost = DisplayFormat.plain(cents: product.costCents)
            minStock = item.minStock
            category = product.categoryName ?? ""
            expirationDate = product.expirationDate ?? ""
            imageUrl = product.imageURL ?? ""
            id = product.id
            active = item.isOnSale
        }
    }
}

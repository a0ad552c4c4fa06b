import Hummingbird

/// The company: its stores, the audit log, and the CSV import of products (preview, mapping, confirm).
struct CompanyPages {
    let pages: Pages
    let stores: StoreService
    let audit: AuditService
    let products: ProductPages

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("stores", use: storeList)
        router.get("audit", use: auditLog)
        router.get("import", use: importPage)
    }

    @Sendable func storeList(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("stores", title: "stores", request, context, needs: .manageStores) { caller, _ in
            let window = try OffsetRequest(QueryReader(request))
            let (list, total) = try await stores.list(caller, window: window)
            return StoresView(
                stores: list.map { StoresView.Row(storeId: $0.id, name: $0.name, address: $0.address ?? "", isActive: $0.isActive) },
                pager: Pager(request, offset: window.offset, limit: window.limit, total: total))
        }
    }

    /// The company's audit log (owners), each change written as "field: before → after".
    @Sendable func auditLog(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("audit", title: "audit", request, context, needs: .viewCompanyAudit) { caller, frame in
            let (filter, window) = try AuditController.query(QueryReader(request), caller, timeZone: pages.timeZone)
            let (records, total) = try await audit.all(caller, filter: filter, window: window)
            let query = request.uri.queryParameters
            return AuditView(
                records: records.map { AuditView.Record($0, frame) }, pager: Pager(request, offset: window.offset, limit: window.limit, total: total),
                action: String(query["action"] ?? ""), from: String(query["from"] ?? ""), to: String(query["to"] ?? ""))
        }
    }

    @Sendable func importPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("import", title: "import_csv", request, context, needs: .manageCatalog) { caller, frame in
            ImportView(
                fields: ["", "barcode", "name", "description", "price", "cost", "quantity", "min_quantity", "category", "expiration_date"].map {
                    Choice(value: $0, label: frame.strings[$0.isEmpty ? "ignore_column" : "field_" + $0] ?? $0)
                },
                stores: try await products.storeChoices(caller, chosen: caller.storeID))
        }
    }
}

/// The stores page: a window of the company's stores.
struct StoresView: Sendable {
    let stores: [Row]
    let pager: Pager

    struct Row: Sendable {
        let storeId: Int64
        let name: String
        let address: String
        let isActive: Bool
    }
}

/// The import page: the product fields a column may fill, and the stores to import into.
struct ImportView: Sendable {
    let fields: [Choice]
    let stores: [StoreChoice]
}

import Hummingbird

/// The company: its stores, the audit log, and the CSV import of products (preview, mapping, confirm).
struct CompanyPages {
    let pages: Pages
    let stores: StoreController
    let audit: AuditController
    let products: ProductPages

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("stores", use: storeList)
        router.get("audit", use: auditLog)
        router.get("import", use: importPage)
    }

    @Sendable func storeList(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("stores", title: "stores", request, context, needs: .manageStores) { _, page in
            let answer = try await stores.list(request, context: context)
            let window = try OffsetRequest(QueryReader(request))
            page.values["stores"] = try pages.rows(answer.data, page.format)
            page.values["pager"] = Pager.offsets(request, offset: window.offset, limit: window.limit, total: answer.total)
        }
    }

    /// The company's audit log (owners), each change written as "field: before → after".
    @Sendable func auditLog(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("audit", title: "audit", request, context, needs: .viewCompanyAudit) { _, page in
            let answer = try await audit.all(request, context: context)
            let strings = page.strings
            page.values["records"] = try pages.rows(answer.data, page.format) { row in
                let before = row["old_values"] as? [String: Any] ?? [:], after = row["new_values"] as? [String: Any] ?? [:]
                row["changes"] = Set(before.keys).union(after.keys).sorted().map { field in
                    ["field": field, "old": Self.text(before[field], field: field, strings), "new": Self.text(after[field], field: field, strings)]
                }
                let kind = row["entity_type"] as? String ?? ""
                row["entity_type"] = strings["entity_" + kind] ?? kind
            }
            page.values["pager"] = Pager.offsets(request, offset: answer.offset, limit: answer.limit, total: answer.total)
            let query = request.uri.queryParameters
            for key: Substring in ["action", "from", "to"] { page.values[String(key)] = String(query[key] ?? "") }
        }
    }

    @Sendable func importPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("import", title: "import_csv", request, context, needs: .manageCatalog) { caller, page in
            page.values["fields"] = ["", "barcode", "name", "description", "price", "cost", "quantity", "min_quantity", "category", "expiration_date"]
                .map { ["value": $0, "label": page.strings[$0.isEmpty ? "ignore_column" : "field_" + $0] ?? $0] }
            page.values["stores"] = try await products.storeOptions(caller, chosen: caller.storeID)
        }
    }

    /// A recorded value for reading: the words the system wrote (a sale's `voided`, a role, a payment method, a
    /// yes/no) in the reader's language; names, amounts and other values typed by people as they are.
    private static func text(_ value: Any?, field: String, _ strings: [String: String]) -> String {
        switch value {
        case nil: return "—"
        case let flag as Bool: return strings["audit_value_\(flag)"] ?? "\(flag)"
        case let text as String where text.isEmpty: return "—"
        case let text as String:
            let key = ["status": "audit_value_", "role": "role_", "payment_method": "pay_"][field].map { $0 + text }
            return key.flatMap { strings[$0] } ?? text
        default: return "\(value!)"
        }
    }
}

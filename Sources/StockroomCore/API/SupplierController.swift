import Foundation
import Hummingbird
import StockroomDomain

/// `/api/suppliers…` and the suppliers of a product (`/api/products/{id}/suppliers…`): owners and admins.
struct SupplierController {
    let suppliers: SupplierService

    /// A supplier's fields; on PUT only those sent change.
    struct SupplierRequest: Decodable {
        let name: String?
        let contact: String?
        let email: String?
        let phone: String?
        let tax_id: String?
        let notes: String?
        let is_active: Bool?

        var fields: SupplierFields {
            SupplierFields(name: name, contact: contact, email: email, phone: phone, taxID: tax_id, notes: notes, isActive: is_active)
        }
    }

    struct ProductSupplierRequest: Decodable {
        let supplier_code: String?
        let last_cost: Double?
    }

    /// `active=true|false` in the list's query.
    enum ActiveFilter: String {
        case `true`, `false`
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("suppliers", use: list)
        api.post("suppliers", use: create)
        api.get("suppliers/:id", use: get)
        api.put("suppliers/:id", use: update)
        api.get("products/:id/suppliers", use: productSuppliers)
        api.put("products/:id/suppliers/:supplier_id", use: link)
        api.delete("products/:id/suppliers/:supplier_id", use: unlink)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Paged<SupplierResponse> {
        let query = QueryReader(request)
        let filter = try Self.filter(query)
        return try await suppliers.list(try context.requireCaller(), filter: filter, page: try Self.page(query)).map(SupplierResponse.init)
    }

    /// The list's filters (`search`, `active`) and page: the suppliers page reads them the same way.
    static func listing(_ query: QueryReader) throws -> (filter: SupplierFilter, page: PageRequest) {
        (try filter(query), try page(query))
    }

    static func filter(_ query: QueryReader) throws -> SupplierFilter {
        SupplierFilter(search: try query.string("search", maxLength: 100), active: try query.oneOf("active", ActiveFilter.self).map { $0 == .true })
    }

    static func page(_ query: QueryReader) throws -> PageRequest {
        try PageRequest(query, defaultLimit: 50)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<SupplierResponse> {
        let caller = try context.requireCaller()
        let body = try await request.decode(as: SupplierRequest.self, context: context)
        return SupplierResponse(try await suppliers.create(caller, body.fields)).created
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> SupplierResponse {
        SupplierResponse(try await suppliers.supplier(try context.requireCaller(), id: try context.parameters.id("id")))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> SupplierResponse {
        let caller = try context.requireCaller()
        let id = try context.parameters.id("id")
        let body = try await request.decode(as: SupplierRequest.self, context: context)
        return SupplierResponse(try await suppliers.update(caller, id: id, body.fields))
    }

    @Sendable func productSuppliers(_ request: Request, context: AppRequestContext) async throws -> [ProductSupplierResponse] {
        try await suppliers.productSuppliers(try context.requireCaller(), productID: try context.parameters.id("id"))
            .map(ProductSupplierResponse.init)
    }

    @Sendable func link(_ request: Request, context: AppRequestContext) async throws -> ProductSupplierResponse {
        let caller = try context.requireCaller()
        let (productID, supplierID) = (try context.parameters.id("id"), try context.parameters.id("supplier_id"))
        let body = try await request.decode(as: ProductSupplierRequest.self, context: context)
        let cost = try body.last_cost.map { try Money.cents($0, field: "last_cost") }
        return ProductSupplierResponse(
            try await suppliers.link(caller, productID: productID, supplierID: supplierID, code: body.supplier_code, lastCostCents: cost))
    }

    @Sendable func unlink(_ request: Request, context: AppRequestContext) async throws -> SuccessResponse {
        let caller = try context.requireCaller()
        try await suppliers.unlink(caller, productID: try context.parameters.id("id"), supplierID: try context.parameters.id("supplier_id"))
        return SuccessResponse(message: "Supplier removed from the product")
    }
}

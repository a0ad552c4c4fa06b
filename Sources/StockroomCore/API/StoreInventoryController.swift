import Foundation
import Hummingbird

/// Credith's store inventory, every endpoint, parameter, role and status of its documentation.
struct StoreInventoryController {
    let stock: StockService
    let idempotency: Idempotency

    struct SetStockRequest: Decodable {
        let productId: Int64
        let storeId: Int64
        let stock: Int64
        let reason: String?
        /// The stock the client last saw: when the shelf has moved since, nothing changes and the answer is 409
        /// with the stock as it is (a compare-and-set, so an integration never overwrites a sale it did not see).
        let expectedStock: Int64?
    }

    struct TransferRequest: Decodable {
        let productId: Int64
        let fromStoreId: Int64
        let toStoreId: Int64
        let quantity: Int64
    }

    struct TransferResponse: ResponseEncodable, Sendable {
        let message: String
        let reference: String
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        let group = api.group("store-inventory")
        group.get("", use: all)
        group.get("store/:storeId", use: forStore)
        group.get("my-store", use: myStore)
        group.get("low-stock", use: lowStock)
        let writes = group.group().add(middleware: IdempotentRoutes(idempotency: idempotency, kind: .write))
        writes.patch("stock", use: setStock)
        writes.post("transfer", use: transfer)
        group.get(":storeId/:productId", use: record)
    }

    @Sendable func all(_ request: Request, context: AppRequestContext) async throws -> TotalAndData<InventoryRecordResponse> {
        let caller = try context.require(.viewAllInventory)
        let (records, total) = try await stock.records(caller, storeID: nil, window: OffsetRequest(QueryReader(request)))
        return TotalAndData(total: total, data: records.map { InventoryRecordResponse($0, withCost: false, withStore: true) })
    }

    @Sendable func forStore(_ request: Request, context: AppRequestContext) async throws -> TotalAndData<InventoryRecordResponse> {
        let caller = try context.require(.viewAllInventory)
        let storeID = try context.parameters.id("storeId")
        let (records, total) = try await stock.records(
            caller, storeID: storeID, window: OffsetRequest(QueryReader(request), wholeLimit: Self.wholeStore))
        return TotalAndData(total: total, data: records.map { InventoryRecordResponse($0, withCost: false, withStore: false) })
    }

    @Sendable func myStore(_ request: Request, context: AppRequestContext) async throws -> TotalAndData<InventoryRecordResponse> {
        let caller = try context.requireCaller()
        let (records, total) = try await stock.records(
            caller, storeID: caller.storeID, window: OffsetRequest(QueryReader(request), wholeLimit: Self.wholeStore))
        return TotalAndData(total: total, data: records.map { InventoryRecordResponse($0, withCost: true, withStore: false) })
    }

    /// Seed 002 answers a store's inventory whole: up to this many records (the most one CSV import brings in)
    /// unless the client sends `limit`/`offset`; `total` always counts them all.
    static let wholeStore = 50_000

    struct LowStockResponse: ResponseEncodable {
        let data: [InventoryRecordResponse]
    }

    @Sendable func lowStock(_ request: Request, context: AppRequestContext) async throws -> LowStockResponse {
        let caller = try context.require(.viewLowStock)
        let threshold = try QueryReader(request).int("threshold", range: 0...1_000_000) ?? 5
        let records = try await stock.lowStock(caller, threshold: Int64(threshold))
        return LowStockResponse(data: records.map { InventoryRecordResponse($0, withCost: false, withStore: false) })
    }

    @Sendable func record(_ request: Request, context: AppRequestContext) async throws -> InventoryRecordResponse {
        let caller = try context.require(.viewAllInventory)
        let level = try await stock.record(
            caller, storeID: try context.parameters.id("storeId"), productID: try context.parameters.id("productId"))
        return InventoryRecordResponse(level)
    }

    @Sendable func setStock(_ request: Request, context: AppRequestContext) async throws -> InventoryRecordResponse {
        let caller = try context.require(.manageCatalog)
        let body = try await request.decode(as: SetStockRequest.self, context: context)
        try Self.requirePositive(["productId": body.productId, "storeId": body.storeId])
        let level = try await stock.setStock(
            caller, storeID: body.storeId, productID: body.productId, to: body.stock, expecting: body.expectedStock, reason: body.reason)
        return InventoryRecordResponse(level)
    }

    @Sendable func transfer(_ request: Request, context: AppRequestContext) async throws -> TransferResponse {
        let caller = try context.require(.transferStock)
        let body = try await request.decode(as: TransferRequest.self, context: context)
        try Self.requirePositive(["productId": body.productId, "fromStoreId": body.fromStoreId, "toStoreId": body.toStoreId])
        guard body.fromStoreId != body.toStoreId else {
            throw ShopError.badRequest("fromStoreId and toStoreId must be different stores", code: "same_store", field: "toStoreId")
        }
        let reference = try await stock.transfer(
            caller, productID: body.productId, from: body.fromStoreId, to: body.toStoreId, quantity: body.quantity)
        return TransferResponse(message: "Transferencia exitosa", reference: reference)
    }

    /// Body ids must be positive: 400 naming the first that is not.
    static func requirePositive(_ ids: KeyValuePairs<String, Int64>) throws {
        for (field, id) in ids where id <= 0 {
            throw ShopError.invalidField(field, "\(field) must be a positive id")
        }
    }
}

import Foundation
import Hummingbird

/// StockManager's audit endpoints: `GET /api/user/{id}`, `GET /api/all`, `GET /api/entity/{type}/{id}`, each
/// filtered by `action`, `from`, `to` (business-time-zone days) and paged by `limit` (50) and `offset`.
struct AuditController {
    let audit: AuditService
    let timeZone: TimeZone

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("user/:id", use: forUser)
        api.get("all", use: all)
        api.get("entity/:type/:id", use: forEntity)
    }

    @Sendable func forUser(_ request: Request, context: AppRequestContext) async throws -> AuditPageResponse {
        let caller = try context.requireCaller()
        let (filter, window) = try Self.query(QueryReader(request), caller, timeZone: timeZone)
        return page(try await audit.forUser(caller, userID: try context.parameters.id("id"), filter: filter, window: window), window)
    }

    @Sendable func all(_ request: Request, context: AppRequestContext) async throws -> AuditPageResponse {
        let caller = try context.requireCaller()
        let (filter, window) = try Self.query(QueryReader(request), caller, timeZone: timeZone)
        return page(try await audit.all(caller, filter: filter, window: window), window)
    }

    @Sendable func forEntity(_ request: Request, context: AppRequestContext) async throws -> EntityHistoryResponse {
        let caller = try context.requireCaller()
        let type = context.parameters.get("type") ?? ""
        let id = context.parameters.get("id") ?? ""
        guard (1...50).contains(type.count), (1...64).contains(id.count) else {
            throw ShopError.badRequest("Name an entity type and id", code: "invalid_entity")
        }
        let (filter, window) = try Self.query(QueryReader(request), caller, timeZone: timeZone)
        let page = page(try await audit.forEntity(caller, type: type, id: id, filter: filter, window: window), window)
        return EntityHistoryResponse(type: type, id: id, page: page)
    }

    /// The log's filters and window (50 records), for the API's lists and the audit page.
    static func query(_ query: QueryReader, _ caller: Caller, timeZone: TimeZone) throws -> (AuditFilter, OffsetRequest) {
        let filter = AuditFilter(
            companyID: caller.companyID, action: try query.string("action", maxLength: 64),
            from: try query.date("from", timeZone: timeZone), to: try query.date("to", timeZone: timeZone, endOfDay: true))
        return (filter, try OffsetRequest(query, defaultLimit: 50))
    }

    func page(_ result: (records: [AuditRecord], total: Int), _ window: OffsetRequest) -> AuditPageResponse {
        AuditPageResponse(data: result.records, total: result.total, limit: window.limit, offset: window.offset)
    }
}

import Foundation
import Hummingbird

/// `GET /api/stats`, `GET /api/metrics` and `GET /api/never-sold` (owners and admins; `store_id` optional).
struct ReportController {
    let reports: ReportService
    /// The JSON of kept answers, written once per answer (`KeptBodies`).
    private let statsBodies = KeptBodies()
    private let metricsBodies = KeptBodies()

    init(reports: ReportService) {
        self.reports = reports
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("stats", use: stats)
        api.get("metrics", use: metrics)
        api.get("never-sold", use: neverSold)
    }

    @Sendable func stats(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        return try statsBodies.response(try await reports.keptStats(caller, storeID: try QueryReader(request).id("store_id")), StatsResponse.init)
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        let timeZone = reports.clock.timeZone
        return try metricsBodies.response(try await keptMetrics(request, context: context)) { MetricsResponse($0, timeZone: timeZone) }
    }

    private func keptMetrics(_ request: Request, context: AppRequestContext) async throws -> KeptAnswer<SalesMetrics> {
        let caller = try context.requireCaller()
        let (storeID, period) = try Self.metricsQuery(QueryReader(request), today: reports.clock.today())
        return try await reports.keptMetrics(caller, storeID: storeID, period: period)
    }

    /// The metrics' store (none: every store the caller sees) and period, for `GET /api/metrics` and the reports page.
    static func metricsQuery(_ query: QueryReader, today: Int64) throws -> (storeID: Int64?, period: ReportPeriod) {
        let period = try period(query, today: today)
        return (try query.id("store_id"), period)
    }

    @Sendable func neverSold(_ request: Request, context: AppRequestContext) async throws -> NeverSoldResponse {
        let caller = try context.requireCaller()
        let query = QueryReader(request)
        let page = try await reports.neverSold(caller, storeID: try query.id("store_id"), page: PageRequest(query, defaultLimit: 50))
        let now = Date.now
        return NeverSoldResponse(page.map { NeverSoldItem($0, now: now) })
    }

    /// `period` (days up to today, default 30) or `from`/`to` (days on the business clock, both included; a
    /// missing `to` is today, a missing `from` 30 days before `to`).
    static func period(_ query: QueryReader, today: Int64) throws -> ReportPeriod {
        let maxDays = Int(ReportPeriod.maxDays)
        let days = try query.int("period", range: 1...maxDays)
        let from = try query.day("from")
        let to = try query.day("to")
        guard from != nil || to != nil else { return ReportPeriod(days: Int64(days ?? 30), endingOn: today) }
        guard days == nil else {
            throw AppError(.badRequest, code: "invalid_query", "Give either 'period' or 'from'/'to', not both", context: ["field": .string("period")])
        }
        let lastDay = to ?? today
        let period = ReportPeriod(firstDay: from ?? lastDay - 29, lastDay: lastDay)
        guard period.days >= 1 else { throw QueryReader.invalid("from", "on or before 'to'") }
        guard period.days <= ReportPeriod.maxDays else { throw QueryReader.invalid("to", "at most \(maxDays) days after 'from'") }
        return period
    }
}

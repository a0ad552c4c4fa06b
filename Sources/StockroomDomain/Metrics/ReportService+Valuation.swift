import Foundation

extension ReportService {
    /// The stock's value at `moment` (now when nil): owners every store or one, admins their own.
    public func valuation(_ caller: Caller, storeID: Int64?, at moment: Date?) async throws -> Valuation {
        let scope = try await scope(caller, storeID)
        let at = moment ?? .now
        let rows = try await database.read {
            try await ValuationRepository().valuation(companyID: scope.companyID, storeID: scope.storeID, at: at.unixMilliseconds, $0)
        }
        return Valuation(at: at, rows: rows)
    }
}

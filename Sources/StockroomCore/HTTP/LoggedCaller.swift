import Logging
import Synchronization

/// Who a request turned out to be from, for the lines logged around it. The auth middleware learns it deep in the
/// router; the request log and the error middleware write their lines outside it, on their own copy of the context.
/// All copies hold this one box. The `company_id` it adds is what `GET /api/debug/logs` shows each company.
final class LoggedCaller: Sendable {
    private let ids = Mutex<(company: Int64, user: Int64)?>(nil)

    func set(_ caller: Caller) {
        ids.withLock { $0 = (caller.companyID, caller.userID) }
    }

    var metadata: Logger.Metadata {
        guard let (company, user) = ids.withLock({ $0 }) else { return [:] }
        return ["company_id": "\(company)", "user_id": "\(user)"]
    }
}

import Foundation

/// Registrations waiting for approval: owners review their company's, admins their store's.
extension UserService {
    public func applications(_ caller: Caller, page: PageRequest) async throws -> Paged<User> {
        try caller.require(.reviewApplications)
        return try await list(caller, filter: UserFilter(companyID: caller.companyID, statuses: [.pending]), page: page)
    }

    /// Approves (active) or rejects a pending registration; 409 when it is not pending any more.
    public func review(_ caller: Caller, userID: Int64, approve: Bool) async throws -> User {
        try caller.require(.reviewApplications)
        return try await database.withTransaction { transaction in
            let db = transaction.db
            guard let applicant = try await identity.user(id: userID, companyID: caller.companyID, db) else {
                throw ShopError.notFound("Application")
            }
            try ensureCanManage(caller, applicant)
            guard applicant.status == .pending else {
                throw ShopError.conflict("This account is not waiting for approval (it is \(applicant.status.rawValue))", code: "not_pending")
            }
            let status: AccountStatus = approve ? .active : .rejected
            try await identity.updateUser(id: userID, companyID: caller.companyID, UserChanges(status: status), db)
            try await audit.record(
                caller.auditEntry(
                    approve ? "application_approved" : "application_rejected", entityType: "user", entityID: userID,
                    old: ["status": .string(applicant.status.rawValue)], new: ["status": .string(status.rawValue)]), db)
            var reviewed = applicant
            reviewed.status = status
            if approve { announce([.approved], to: reviewed, by: caller, transaction) }
            return reviewed
        }
    }
}

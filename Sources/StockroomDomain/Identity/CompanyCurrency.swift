/// The company's currency for signed-in callers: everyone reads it, owners change it (audited).
public struct CompanyCurrency: Sendable {
    let database: any DatabaseClient
    /// The installation's default, for a company not yet given one.
    let fallback: String
    let companies = CompanyRepository()
    let audit = AuditRepository()

    public init(database: any DatabaseClient, fallback: String) {
        self.database = database
        self.fallback = fallback
    }

    public func currency(_ caller: Caller) async throws -> String {
        try await database.read { try await companies.currency(companyID: caller.companyID, fallback: fallback, $0) }
    }

    /// Sets the company's currency (owners); amounts are not converted: a currency names what the prices mean.
    public func setCurrency(_ caller: Caller, _ code: String) async throws -> String {
        try caller.require(.manageStores)
        guard let code = Currency.validated(code) else { throw Currency.refusal("currency") }
        return try await database.withTransaction { transaction in
            let before = try await companies.currency(companyID: caller.companyID, fallback: fallback, transaction.db)
            guard before != code else { return code }
            try await companies.setCurrency(code, companyID: caller.companyID, transaction.db)
            try await audit.record(
                caller.auditEntry(
                    "currency_updated", entityType: "company", entityID: caller.companyID,
                    old: ["currency": .string(before)], new: ["currency": .string(code)]), transaction.db)
            return code
        }
    }
}

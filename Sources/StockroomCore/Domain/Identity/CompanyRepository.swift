import SQLKit

/// SQL for a company's own formats: the currency its pages, receipts and exports name.
public struct CompanyRepository: Sendable {
    public init() {}

    /// The company's currency; one still unset (made by `create-company` since the server started) has `fallback`.
    public func currency(companyID: Int64, fallback: String, _ db: any SQLDatabase) async throws -> String {
        try await db.raw("SELECT currency FROM companies WHERE id = \(bind: companyID)")
            .first(decodingColumn: "currency", as: String?.self).flatMap { $0 } ?? fallback
    }

    public func setCurrency(_ code: String, companyID: Int64, _ db: any SQLDatabase) async throws {
        try await db.raw("UPDATE companies SET currency = \(bind: code) WHERE id = \(bind: companyID)").run()
    }

    /// Gives every company without a currency the installation's default, at each start: companies that existed
    /// before currencies did keep the one they first got, whatever the machine's locale says later.
    public func giveCurrency(_ code: String, _ database: any DatabaseClient) async throws {
        try await database.withTransaction { transaction in
            try await transaction.db.raw("UPDATE companies SET currency = \(bind: code) WHERE currency IS NULL").run()
        }
    }
}

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
            try await audit.record(caller.auditEntry(
                "currency_updated", entityType: "company", entityID: caller.companyID,
                old: ["currency": .string(before)], new: ["currency": .string(code)]), transaction.db)
            return code
        }
    }
}

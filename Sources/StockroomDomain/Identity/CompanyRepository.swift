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

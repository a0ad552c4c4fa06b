import Hummingbird

/// `PUT /api/settings/profile|password`, also at StockManager's documented double-prefix paths
/// `/api/api/settings/…`, which serve the same handlers.
struct SettingsController {
    let users: UserService
    let sales: SaleService

    struct ProfileRequest: Decodable {
        let email: String
    }

    struct PasswordRequest: Decodable {
        let current_password: String
        let new_password: String
        let confirm_password: String
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        for prefix in ["settings", "api/settings"] {
            api.put("\(prefix)/profile", use: profile)
            api.put("\(prefix)/password", use: password)
        }
        api.put("settings/language", use: language)
        api.get("settings/company", use: company)
        api.put("settings/company", use: updateCompany)
    }

    /// The company's tax: `tax_rate` in percent (0–100, two decimals) and whether prices include it.
    struct CompanySettings: ResponseEncodable, Decodable, AllKeysEncodable {
        let taxRate: Double
        let pricesIncludeTax: Bool

        enum CodingKeys: String, CodingKey { case taxRate = "tax_rate", pricesIncludeTax = "prices_include_tax" }
    }

    @Sendable func company(_ request: Request, context: AppRequestContext) async throws -> CompanySettings {
        let tax = try await sales.tax(try context.requireCaller())
        return CompanySettings(taxRate: Double(tax.rateBasisPoints) / 100, pricesIncludeTax: tax.pricesIncludeTax)
    }

    @Sendable func updateCompany(_ request: Request, context: AppRequestContext) async throws -> CompanySettings {
        let caller = try context.require(.manageStores)
        let body = try await request.decode(as: CompanySettings.self, context: context)
        let rate = try Money.cents(body.taxRate, field: "tax_rate", range: 0...10_000)
        let tax = try await sales.setTax(caller, TaxSettings(rateBasisPoints: rate, pricesIncludeTax: body.pricesIncludeTax))
        return CompanySettings(taxRate: Double(tax.rateBasisPoints) / 100, pricesIncludeTax: tax.pricesIncludeTax)
    }

    @Sendable func profile(_ request: Request, context: AppRequestContext) async throws -> ProfileResponse {
        let caller = try context.requireCaller()
        let body = try await request.decode(as: ProfileRequest.self, context: context)
        let user = try await users.changeOwnEmail(caller, to: body.email.trimmingCharacters(in: .whitespaces))
        return ProfileResponse(message: "Profile updated", email: user.email)
    }

    @Sendable func password(_ request: Request, context: AppRequestContext) async throws -> SuccessResponse {
        let caller = try context.requireCaller()
        let body = try await request.decode(as: PasswordRequest.self, context: context)
        let revoked = try await users.changeOwnPassword(
            caller, current: body.current_password, new: body.new_password, confirmation: body.confirm_password)
        return SuccessResponse(message: "Password changed; your other sessions were signed out"
            + (revoked == 0 ? "" : " and your \(revoked) API token\(revoked == 1 ? " was" : "s were") revoked"))
    }

    /// `{"language": "es"}` (or `"en"`, or null to follow the browser): the staff pages' language for the caller.
    struct LanguageRequest: Decodable {
        let language: String?
    }

    struct LanguageResponse: ResponseEncodable {
        var success = true
        let language: String?
    }

    @Sendable func language(_ request: Request, context: AppRequestContext) async throws -> LanguageResponse {
        let caller = try context.requireCaller()
        let body = try await request.decode(as: LanguageRequest.self, context: context)
        let language = try body.language.map { code in
            guard let language = Language(rawValue: code) else { throw AppError.invalidField("language", "language must be 'en', 'es' or null") }
            return language
        }
        try await users.setOwnLanguage(caller, to: language)
        return LanguageResponse(language: language?.rawValue)
    }

    struct ProfileResponse: ResponseEncodable {
        var success = true
        let message: String
        let email: String
    }
}

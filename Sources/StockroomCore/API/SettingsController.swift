import Hummingbird

/// `PUT /api/settings/profile|password`, also at StockManager's documented double-prefix paths
/// `/api/api/settings/…`, which serve the same handlers.
struct SettingsController {
    let users: UserService
    let sales: SaleService
    let currency: CompanyCurrency

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

    /// The company's tax: `tax_rate` in percent (0–100, two decimals) and whether prices include it; and its
    /// currency (ISO 4217, two decimals), which pages, receipts and exports name. Amounts stay plain numbers.
    struct CompanySettings: ResponseEncodable, AllKeysEncodable {
        let taxRate: Double
        let pricesIncludeTax: Bool
        let currency: String

        enum CodingKeys: String, CodingKey { case taxRate = "tax_rate", pricesIncludeTax = "prices_include_tax", currency }
    }

    /// A change: each field left out keeps its value.
    struct CompanySettingsChange: Decodable {
        let taxRate: Double?
        let pricesIncludeTax: Bool?
        let currency: String?

        enum CodingKeys: String, CodingKey { case taxRate = "tax_rate", pricesIncludeTax = "prices_include_tax", currency }

        /// A field may be left out, but not sent as null: `"prices_include_tax": null` is a mistake, not "keep it".
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            for key in container.allKeys where try container.decodeNil(forKey: key) {
                throw AppError.invalidField(key.stringValue, "\(key.stringValue) may be left out but not null")
            }
            taxRate = try container.decodeIfPresent(Double.self, forKey: .taxRate)
            pricesIncludeTax = try container.decodeIfPresent(Bool.self, forKey: .pricesIncludeTax)
            currency = try container.decodeIfPresent(String.self, forKey: .currency)
        }
    }

    @Sendable func company(_ request: Request, context: AppRequestContext) async throws -> CompanySettings {
        let caller = try context.requireCaller()
        let tax = try await sales.tax(caller)
        return CompanySettings(
            taxRate: Double(tax.rateBasisPoints) / 100, pricesIncludeTax: tax.pricesIncludeTax, currency: try await currency.currency(caller))
    }

    @Sendable func updateCompany(_ request: Request, context: AppRequestContext) async throws -> CompanySettings {
        let caller = try context.require(.manageStores)
        let body = try await request.decode(as: CompanySettingsChange.self, context: context)
        // Checked before anything is saved, so a bad currency leaves the tax as it was too.
        if let code = body.currency, Currency.validated(code) == nil { throw Currency.refusal("currency") }
        var tax = try await sales.tax(caller)
        if body.taxRate != nil || body.pricesIncludeTax != nil {
            if let rate = body.taxRate { tax.rateBasisPoints = try Money.cents(rate, field: "tax_rate", range: 0...10_000) }
            if let included = body.pricesIncludeTax { tax.pricesIncludeTax = included }
            tax = try await sales.setTax(caller, tax)
        }
        let code = if let chosen = body.currency { try await currency.setCurrency(caller, chosen) } else { try await currency.currency(caller) }
        return CompanySettings(taxRate: Double(tax.rateBasisPoints) / 100, pricesIncludeTax: tax.pricesIncludeTax, currency: code)
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

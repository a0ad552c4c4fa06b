import Foundation
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
    /// currency (ISO 4217, two decimals), which pages, receipts and exports name. Amounts stay plain numbers. Then
    /// the till's: the receipt's header (`shop_name`, `shop_address`, `tax_id`), `receipt_footer`, `receipt_width`
    /// (58 or 80 mm), and the largest discount admins and vendors may give, in percent of a sale's gross.
    struct CompanySettings: ResponseEncodable, AllKeysEncodable {
        let taxRate: Double
        let pricesIncludeTax: Bool
        let currency: String
        let shopName: String
        let shopAddress: String
        let taxID: String
        let receiptFooter: String
        let receiptWidth: Int64
        let maxDiscountAdmin: Double
        let maxDiscountVendor: Double

        init(tax: TaxSettings, currency: String, till: TillSettings) {
            taxRate = Double(tax.rateBasisPoints) / 100
            pricesIncludeTax = tax.pricesIncludeTax
            self.currency = currency
            shopName = till.shopName
            shopAddress = till.address
            taxID = till.taxID
            receiptFooter = till.footer
            receiptWidth = till.receiptWidth
            maxDiscountAdmin = Double(till.maxDiscountAdmin) / 100
            maxDiscountVendor = Double(till.maxDiscountVendor) / 100
        }
    }

    /// A change: each field left out keeps its value.
    struct CompanySettingsChange: Decodable {
        let taxRate: Double?
        let pricesIncludeTax: Bool?
        let currency: String?
        let shopName: String?
        let shopAddress: String?
        let taxID: String?
        let receiptFooter: String?
        let receiptWidth: Int64?
        let maxDiscountAdmin: Double?
        let maxDiscountVendor: Double?

        enum CodingKeys: String, CodingKey {
            case taxRate = "tax_rate"
            case pricesIncludeTax = "prices_include_tax"
            case currency
            case shopName = "shop_name"
            case shopAddress = "shop_address"
            case taxID = "tax_id"
            case receiptFooter = "receipt_footer"
            case receiptWidth = "receipt_width"
            case maxDiscountAdmin = "max_discount_admin"
            case maxDiscountVendor = "max_discount_vendor"
        }

        /// A field may be left out, but not sent as null: `"prices_include_tax": null` is a mistake, not "keep it".
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            for key in container.allKeys where try container.decodeNil(forKey: key) {
                throw ShopError.invalidField(key.stringValue, "\(key.stringValue) may be left out but not null")
            }
            taxRate = try container.decodeIfPresent(Double.self, forKey: .taxRate)
            pricesIncludeTax = try container.decodeIfPresent(Bool.self, forKey: .pricesIncludeTax)
            currency = try container.decodeIfPresent(String.self, forKey: .currency)
            shopName = try container.decodeIfPresent(String.self, forKey: .shopName)
            shopAddress = try container.decodeIfPresent(String.self, forKey: .shopAddress)
            taxID = try container.decodeIfPresent(String.self, forKey: .taxID)
            receiptFooter = try container.decodeIfPresent(String.self, forKey: .receiptFooter)
            receiptWidth = try container.decodeIfPresent(Int64.self, forKey: .receiptWidth)
            maxDiscountAdmin = try container.decodeIfPresent(Double.self, forKey: .maxDiscountAdmin)
            maxDiscountVendor = try container.decodeIfPresent(Double.self, forKey: .maxDiscountVendor)
        }

        /// The till settings with this change applied; every field checked before anything is saved.
        func applied(to settings: TillSettings) throws -> TillSettings {
            var settings = settings
            func text(_ value: String?, _ field: String, _ length: Int) throws -> String? {
                let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines)
                try Validation.checkText(trimmed, field: field, length: 0...length)
                return trimmed
            }
            if let name = try text(shopName, "shop_name", 100) { settings.shopName = name }
            if let address = try text(shopAddress, "shop_address", 200) { settings.address = address }
            if let id = try text(taxID, "tax_id", 40) { settings.taxID = id }
            if let footer = try text(receiptFooter, "receipt_footer", 300) { settings.footer = footer }
            if let width = receiptWidth {
                guard TillSettings.widths.contains(width) else {
                    throw ShopError.invalidField("receipt_width", "receipt_width must be 58 or 80 (mm)")
                }
                settings.receiptWidth = width
            }
            if let limit = maxDiscountAdmin { settings.maxDiscountAdmin = try Money.cents(limit, field: "max_discount_admin", range: 0...10_000) }
            if let limit = maxDiscountVendor { settings.maxDiscountVendor = try Money.cents(limit, field: "max_discount_vendor", range: 0...10_000) }
            return settings
        }

        var changesTill: Bool {
            shopName != nil || shopAddress != nil || taxID != nil || receiptFooter != nil || receiptWidth != nil || maxDiscountAdmin != nil
                || maxDiscountVendor != nil
        }
    }

    @Sendable func company(_ request: Request, context: AppRequestContext) async throws -> CompanySettings {
        let caller = try context.requireCaller()
        return CompanySettings(
            tax: try await sales.tax(caller), currency: try await currency.currency(caller), till: try await sales.tillSettings(caller))
    }

    @Sendable func updateCompany(_ request: Request, context: AppRequestContext) async throws -> CompanySettings {
        let caller = try context.require(.manageStores)
        let body = try await request.decode(as: CompanySettingsChange.self, context: context)
        // Checked before anything is saved, so a bad currency or receipt field leaves the tax as it was too.
        if let code = body.currency, Currency.validated(code) == nil { throw Currency.refusal("currency") }
        var till = try body.applied(to: try await sales.tillSettings(caller))
        var tax = try await sales.tax(caller)
        if let rate = body.taxRate { tax.rateBasisPoints = try Money.cents(rate, field: "tax_rate", range: 0...10_000) }
        if body.taxRate != nil || body.pricesIncludeTax != nil {
            if let included = body.pricesIncludeTax { tax.pricesIncludeTax = included }
            tax = try await sales.setTax(caller, tax)
        }
        let code = if let chosen = body.currency { try await currency.setCurrency(caller, chosen) } else { try await currency.currency(caller) }
        if body.changesTill { till = try await sales.setTillSettings(caller, till) }
        return CompanySettings(tax: tax, currency: code, till: till)
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
        return SuccessResponse(
            message: "Password changed; your other sessions were signed out"
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
            guard let language = Language(rawValue: code) else { throw ShopError.invalidField("language", "language must be 'en', 'es' or null") }
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

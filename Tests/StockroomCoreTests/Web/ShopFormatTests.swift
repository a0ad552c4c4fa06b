import Foundation
import HummingbirdTesting
import Logging
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The company's currency (stored, validated, changed by owners) and how pages write money for each language.
@Suite("Shop formats: currency and money on pages")
struct ShopFormatTests {
    /// Spanish Foundation output separates the symbol with a no-break space; tests read it as a plain one.
    static func spaced(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{00A0}", with: " ").replacingOccurrences(of: "\u{202F}", with: " ")
    }

    @Test("amounts, numbers and times in each language, with the company's currency")
    func formats() throws {
        let english = DisplayFormat(language: .en, currency: "EUR", timeZone: TimeZone(identifier: "Europe/Madrid")!)
        let spanish = DisplayFormat(language: .es, currency: "EUR", timeZone: TimeZone(identifier: "Europe/Madrid")!)
        #expect(english.money(cents: 22_935_075) == "€229,350.75")
        #expect(Self.spaced(spanish.money(cents: 22_935_075)) == "229.350,75 €")
        #expect(Self.spaced(spanish.money(cents: 123_456)) == "1234,56 €", "Spanish groups from five digits (CLDR, RAE)")
        #expect(english.money(cents: 123_456) == "€1,234.56")
        #expect(DisplayFormat(language: .en, currency: "USD").money(12.5) == "$12.50")
        #expect(Self.spaced(DisplayFormat(language: .es, currency: "MXN").money(-3)) == "-3,00 MXN")
        #expect(english.number(12_345) == "12,345" && spanish.number(1.5, places: 1) == "1,5")
        #expect(spanish.decimalMarked(SVGChart.compact(12_500)) == "12,5k" && english.decimalMarked(SVGChart.compact(12_500)) == "12.5k")
        // 2023-11-14 22:13:20 UTC is 23:13 in Madrid
        let instant = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(spanish.dateTime(instant).contains("14/11/2023") && spanish.dateTime(instant).contains("23:13"))
        #expect(english.dateTime(instant).contains("11/14/2023") && english.dateTime(instant).contains("11:13"))
        // the till's script gets the pattern the server writes with
        let script = try JSONSerialization.jsonObject(with: Data(spanish.script.utf8)) as? [String: Any] ?? [:]
        #expect(script["group"] as? String == "." && script["decimal"] as? String == "," && script["fraction"] as? Int == 2)
        #expect(script["prefix"] as? String == "" && Self.spaced(script["suffix"] as? String ?? "") == " €" && script["min_group"] as? Int == 5)
        let englishScript = try JSONSerialization.jsonObject(with: Data(english.script.utf8)) as? [String: Any] ?? [:]
        #expect(
            englishScript["prefix"] as? String == "€" && englishScript["min_group"] as? Int == 4
                && englishScript["time_zone"] as? String == "Europe/Madrid")
        #expect(
            Currency.validated("eur") == "EUR" && Currency.validated("JPY") == nil && Currency.validated("XYZ") == nil
                && Currency.validated("EU") == nil)
    }

    @Test("owners set the company's currency: an ISO 4217 code with two decimals; others are refused", arguments: Engine.allCases)
    func companyCurrency(_ engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let before = try await client.call(.get, "/api/settings/company", as: owner).json()
            #expect(
                before == [
                    "tax_rate": .int(0), "prices_include_tax": .bool(false), "currency": .string("EUR"), "shop_name": .string(""),
                    "shop_address": .string(""), "tax_id": .string(""), "receipt_footer": .string(""), "receipt_width": .int(80),
                    "max_discount_admin": .int(100), "max_discount_vendor": .int(100),
                ])
            let changed = try await client.call(.put, "/api/settings/company", as: owner, json: #"{"currency": "mxn"}"#)
            #expect(try changed.status == .ok && changed.json()["currency"] == .string("MXN"), "\(changed.text)")
            // a partial change keeps the rest; the tax alone keeps the currency
            _ = try await client.call(.put, "/api/settings/company", as: owner, json: #"{"tax_rate": 16}"#)
            #expect(try await client.call(.get, "/api/settings/company", as: owner).json()["currency"] == .string("MXN"))
            for bad in [#""JPY""#, #""XYZ""#, #""EURO""#, #""""#] {
                let refused = try await client.call(.put, "/api/settings/company", as: owner, json: #"{"currency": \#(bad), "tax_rate": 5}"#)
                #expect(try refused.status == .unprocessableContent && refused.json()["code"] == .string("invalid_currency"), "\(bad)")
            }
            #expect(try await client.call(.put, "/api/settings/company", as: owner, json: #"{"currency": null}"#).status == .badRequest)
            let settings = try await client.call(.get, "/api/settings/company", as: owner).json()
            #expect(settings["tax_rate"] == .int(16) && settings["currency"] == .string("MXN"), "a refused change changes nothing")
            let admin = try await client.signIn(world.adminA1)
            #expect(try await client.call(.put, "/api/settings/company", as: admin, json: #"{"currency": "USD"}"#).status == .forbidden)
            #expect(try await client.call(.get, "/api/settings/company", as: admin).json()["currency"] == .string("MXN"), "everyone reads it")
            let ownerB = try await client.signIn(world.ownerB)
            #expect(try await client.call(.get, "/api/settings/company", as: ownerB).json()["currency"] == .string("EUR"), "per company")
            // the change is in the audit log, and every page names the currency
            #expect(try await client.call(.get, "/api/all?action=currency_updated", as: owner).json()["total"] == .int(1))
            let page = try await client.call(.get, "/products", as: owner)
            #expect(page.text.contains(#"<abbr class="currency" id="currency""#) && page.text.contains(">MXN</abbr>"))
            // the API keeps plain numbers
            let product = try await client.createProduct(as: owner, barcode: "BIG", name: "Big", quantity: 1, price: 229_350.75)
            #expect(try await client.call(.get, "/api/products/\(product)", as: owner).json()["price"] == .double(229_350.75))
            // product pages write the reader's format, the form's fields the plain number
            let list = try await client.call(.get, "/products", as: owner, headers: [.acceptLanguage: "es"]).text
            #expect(Self.spaced(list).contains("229.350,75 MXN"))
            let form = try await client.call(.get, "/products/\(product)", as: owner).text
            #expect(form.contains(#"value="229350.75""#))
        }
    }

    @Test("companies made before currencies existed get the installation's default at the next start", arguments: Engine.allCases)
    func existingCompaniesGetTheDefault(_ engine: Engine) async throws {
        let config = try await TestDatabase.config(engine, ["STOCKROOM_CURRENCY": "GBP"])
        try await TestDatabase.withClient(engine, config: config) { database in
            let logger = Logger(label: "test")
            try await Migrator(migrations: Migration.all.filter { $0.id < 14 }, logger: logger).migrate(database)
            let id = try await database.withTransaction { try await IdentityRepository().insertCompany(name: "Old shop", $0.db).id }
            #expect(try await Migrator(logger: logger).migrate(database).contains(14))
            try await CompanyRepository().giveCurrency(config.currency, database)
            let stored = try await database.read { db in
                try await db.raw("SELECT currency FROM companies WHERE id = \(bind: id)").first(decodingColumn: "currency", as: String.self)
            }
            #expect(stored == "GBP")
            // a later start with another default leaves it alone
            try await CompanyRepository().giveCurrency("USD", database)
            #expect(try await database.read { try await CompanyRepository().currency(companyID: id, fallback: "USD", $0) } == "GBP")
        }
    }
}

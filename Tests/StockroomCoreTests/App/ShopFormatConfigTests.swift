import Foundation
import Testing
@testable import StockroomCore

/// The business clock and the currency a fresh install starts with, from the environment as README says.
@Suite("Shop formats: configuration", .serialized)
struct ShopFormatConfigTests {
    @Test("STOCKROOM_TIMEZONE unset follows the machine's TZ; set, it wins")
    func timeZoneDefaultsToTheMachine() throws {
        #expect(try AppConfig(values: ["TZ": "Europe/Madrid"]).timeZone.identifier == "Europe/Madrid")
        #expect(try AppConfig(values: ["TZ": ":America/Mexico_City"]).timeZone.identifier == "America/Mexico_City")
        #expect(try AppConfig(values: ["TZ": "Europe/Madrid", "STOCKROOM_TIMEZONE": "Asia/Tokyo"]).timeZone.identifier == "Asia/Tokyo")
        #expect(try AppConfig(values: [:]).timeZone.identifier == TimeZone.current.identifier)
    }

    @Test("the currency comes from STOCKROOM_CURRENCY, else the locale, else EUR; only two-decimal ISO 4217 codes")
    func currencyDefaults() throws {
        #expect(try AppConfig(values: ["LANG": "es_MX.UTF-8"]).currency == "MXN")
        #expect(try AppConfig(values: ["LANG": "en_US.UTF-8"]).currency == "USD")
        #expect(try AppConfig(values: ["LANG": "en_US.UTF-8", "LC_ALL": "en_GB.UTF-8"]).currency == "GBP")
        #expect(try AppConfig(values: ["LANG": "C.UTF-8"]).currency == (Locale.current.currency.flatMap { Currency.validated($0.identifier) } ?? "EUR"))
        #expect(try AppConfig(values: ["LANG": "es_MX.UTF-8", "STOCKROOM_CURRENCY": "usd"]).currency == "USD")
        for bad in ["JPY", "KWD", "XYZ", "EURO", "€", ""] {
            #expect(throws: ConfigError.self, "\(bad)") { try AppConfig(values: ["STOCKROOM_CURRENCY": bad]) }
        }
        // a locale whose currency has no cents falls back rather than refusing to start
        #expect(try AppConfig(values: ["LANG": "ja_JP.UTF-8"]).currency == (Locale.current.currency.flatMap { Currency.validated($0.identifier) } ?? "EUR"))
    }

    @Test("README: a first start with TZ and LANG set logs the business zone and gives the company the locale's currency")
    func firstStartFollowsTheMachine() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "stockroom-formats-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = [
            "TZ": "America/Mexico_City", "LANG": "es_MX.UTF-8", "STOCKROOM_DATABASE_URL": "sqlite://\(directory.path)/shop.sqlite",
            "STOCKROOM_ADMIN_PASSWORD": TestDatabase.ownerPassword, "STOCKROOM_BCRYPT_COST": "4",
        ]
        let (settings, _, logs) = try await StockroomNode.withNodes(1, environment: environment) { nodes in
            let cookie = try await nodes[0].signIn("admin", TestDatabase.ownerPassword)
            let response = try await nodes[0].request(.get, "/api/settings/company", cookie: cookie)
            return response.body.map { String(buffer: $0) } ?? ""
        }
        #expect(logs.contains("Business time zone: America/Mexico_City; currency for companies without one: MXN"), "\(logs)")
        #expect(try JSONDecoder().decode([String: JSONValue].self, from: Data(settings.utf8))["currency"] == .string("MXN"), "\(settings)")
    }
}

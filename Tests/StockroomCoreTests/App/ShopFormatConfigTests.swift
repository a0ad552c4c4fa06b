import Foundation
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The business clock and the currency a fresh install starts with, from the environment as README says.
@Suite("Shop formats: configuration", .serialized)
struct ShopFormatConfigTests {
    @Test("STOCKROOM_TIMEZONE unset follows the machine's TZ; set, it wins")
    func timeZoneDefaultsToTheMachine() throws {
        #expect(try AppConfig(values: ["TZ": "Europe/Madrid"]).timeZone.identifier == "Europe/Madrid")
        #expect(try AppConfig(values: ["TZ": ":America/Mexico_City"]).timeZone.identifier == "America/Mexico_City")
        #expect(try AppConfig(values: ["TZ": "Europe/Madrid", "STOCKROOM_TIMEZONE": "Asia/Tokyo"]).timeZone.identifier == "Asia/Tokyo")
    }

    @Test("a machine zone Stockroom cannot use (TZ=GMT+5, POSIX's UTC−5) is UTC with a warning naming STOCKROOM_TIMEZONE")
    func machineZoneIsCheckedLikeTheSetting() throws {
        let madrid = try AppConfig(values: ["TZ": "Europe/Madrid"])
        #expect(madrid.timeZone.identifier == "Europe/Madrid" && madrid.startWarnings.isEmpty)
        for odd in ["GMT+5", "UTC-3", "Mars/Olympus"] {
            let config = try AppConfig(values: ["TZ": odd])
            // Foundation names its UTC zone "GMT"
            #expect(config.timeZone == TimeZone(identifier: "UTC")! && config.timeZone.secondsFromGMT() == 0, "\(odd): \(config.timeZone)")
            #expect(
                config.startWarnings.count == 1 && config.startWarnings[0].contains("TZ=\(odd) is not an IANA time zone"), "\(config.startWarnings)")
            #expect(config.startWarnings.first?.contains("STOCKROOM_TIMEZONE") == true)
        }
        // the setting is still checked the same way, and refused rather than replaced
        #expect(throws: ConfigError.self) { try AppConfig(values: ["STOCKROOM_TIMEZONE": "GMT+5"]) }
        #expect(try AppConfig(values: ["TZ": "GMT+5", "STOCKROOM_TIMEZONE": "Europe/Madrid"]).startWarnings.isEmpty)
    }

    @Test("a PostgreSQL node without STOCKROOM_TIMEZONE is warned that every node needs the same zone")
    func postgresWithoutTheSetting() throws {
        let url = "postgres://stockroom:secret@127.0.0.1:5432/stockroom?sslmode=disable"
        let unset = try AppConfig(values: ["TZ": "Europe/Madrid", "STOCKROOM_DATABASE_URL": url])
        #expect(unset.startWarnings.count == 1 && unset.startWarnings[0].contains("STOCKROOM_TIMEZONE is unset"), "\(unset.startWarnings)")
        #expect(unset.startWarnings.first?.contains("(Europe/Madrid)") == true)
        #expect(try AppConfig(values: ["STOCKROOM_DATABASE_URL": url, "STOCKROOM_TIMEZONE": "Europe/Madrid"]).startWarnings.isEmpty)
        #expect(try AppConfig(values: ["TZ": "Europe/Madrid", "STOCKROOM_DATABASE_URL": "sqlite:///tmp/shop.sqlite"]).startWarnings.isEmpty)
    }

    @Test("the currency comes from STOCKROOM_CURRENCY, else the locale, else EUR; only two-decimal ISO 4217 codes")
    func currencyDefaults() throws {
        #expect(try AppConfig(values: ["LANG": "es_MX.UTF-8"]).currency == "MXN")
        #expect(try AppConfig(values: ["LANG": "en_US.UTF-8"]).currency == "USD")
        #expect(try AppConfig(values: ["LANG": "en_US.UTF-8", "LC_ALL": "en_GB.UTF-8"]).currency == "GBP")
        #expect(try AppConfig(values: ["LANG": "es_ES.UTF-8"]).currency == "EUR")
        #expect(try AppConfig(values: ["LANG": "en_GB.UTF-8"]).currency == "GBP")
        #expect(try AppConfig(values: ["LANG": "C.UTF-8"]).currency == "EUR", "the documented fallback, whatever this machine's locale")
        #expect(try AppConfig(values: [:]).currency == "EUR")
        #expect(try AppConfig(values: ["LANG": "es_MX.UTF-8", "STOCKROOM_CURRENCY": "usd"]).currency == "USD")
        for bad in ["JPY", "KWD", "XYZ", "EURO", "€", ""] {
            #expect(throws: ConfigError.self, "\(bad)") { try AppConfig(values: ["STOCKROOM_CURRENCY": bad]) }
        }
        // a locale whose currency has no cents falls back rather than refusing to start
        #expect(try AppConfig(values: ["LANG": "ja_JP.UTF-8"]).currency == "EUR")
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

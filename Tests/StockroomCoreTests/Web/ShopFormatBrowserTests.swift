import BrowserDriver
import Foundation
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The currency and the reader's number format on the dashboard, the till, its receipt, the sale's page and the
/// metrics page, in a real Chromium, in English and in Spanish.
@Suite("Shop formats in a browser", .serialized)
struct ShopFormatBrowserTests {
    static func spaced(_ text: String) -> String { ShopFormatTests.spaced(text) }

    @Test("a sale large enough to need grouping reads €12,345.67 in English and 12.345,67 € in Spanish everywhere")
    func moneyInBothLanguages() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let owner = try await client.signIn(world.ownerA)
            _ = try await client.createProduct(as: owner, barcode: "JAMON", name: "Jamón ibérico", quantity: 10, price: 12_345.67)
            try await WebDriver.session { browser in
                try await browser.signIn(at: base, "admin", TestDatabase.ownerPassword)
                try await browser.waitUntil("document.querySelector('#sales-today')")

                // English: the till adds up, charges and prints the receipt in euros written the English way
                let english = try await sell(browser, base)
                #expect(english.total == "€12,345.67" && english.receipt == "€12,345.67", "\(english)")
                #expect(english.line == "1 × €12,345.67")
                #expect(try await browser.text("#currency") == "EUR")
                try await browser.open(base + "/")
                #expect(try await browser.text("#revenue-today") == "€12,345.67")
                try await browser.open(base + "/reports")
                #expect(try await browser.text("#kpi-revenue .metrics-kpi-value") == "€12,345.67")
                #expect(try await browser.text("#currency") == "EUR")
                let firstSale = try await client.call(.get, "/api/sales?limit=1", as: owner).json()["data"]?.array.first?["id"]
                guard case .int(let firstID)? = firstSale else { throw ClusterError("no sale") }
                try await browser.open(base + "/sales/\(firstID)")
                #expect(try await browser.text("#sale-total") == "€12,345.67")

                // Spanish: the same amounts with a decimal comma, points between thousands and the symbol after
                try await browser.click("#language")
                try await browser.waitUntil("document.documentElement.lang === 'es'")
                #expect(Self.spaced(try await browser.text("#sale-total")) == "12.345,67 €")
                let spanish = try await sell(browser, base)
                #expect(Self.spaced(spanish.total) == "12.345,67 €" && Self.spaced(spanish.receipt) == "12.345,67 €", "\(spanish)")
                #expect(Self.spaced(spanish.line) == "1 × 12.345,67 €")
                try await browser.open(base + "/")
                #expect(Self.spaced(try await browser.text("#revenue-today")) == "24.691,34 €")
                #expect(try await browser.text("#currency") == "EUR")
                try await browser.open(base + "/reports")
                #expect(Self.spaced(try await browser.text("#kpi-revenue .metrics-kpi-value")) == "24.691,34 €")
                try await browser.open(base + "/sales")
                #expect(Self.spaced(try await browser.text("table tbody tr td:nth-child(6)")) == "12.345,67 €")

                // another currency, set by the owner on the settings page, is named at once on every page and in the
                // till's script; prices are not converted
                try await browser.open(base + "/settings")
                #expect(try await browser.script("return document.querySelector('#company-currency').value") as? String == "EUR")
                try await browser.clear("#company-currency")
                try await browser.type("#company-currency", "usd")
                try await browser.click("form[data-api='/api/settings/company'] button[type=submit]")
                try await browser.waitUntil("!document.querySelector(\"form[data-api='/api/settings/company'] .form-done\").hidden")
                #expect(try await client.call(.get, "/api/settings/company", as: owner).json()["currency"] == .string("USD"))
                try await browser.open(base + "/")
                #expect(Self.spaced(try await browser.text("#revenue-today")) == "24.691,34 US$")
                #expect(try await browser.text("#currency") == "USD")
                #expect(Self.spaced(try await browser.script("return window.stockroom.money(1234567.5)") as? String ?? "") == "1.234.567,50 US$")
            }
        }
    }

    @Test("the import page sends a Windows-1252 file's own bytes: \"Jamón\" imports as \"Jamón\", and the page says how it was read")
    func importPageReadsWindows1252() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let owner = try await client.signIn(world.ownerA)
            let directory = FileManager.default.temporaryDirectory.appending(path: "stockroom-import-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appending(path: "jamon.csv")
            try Data(FileEncodingTests.jamon1252).write(to: file)
            try await WebDriver.session { browser in
                try await browser.signIn(at: base, "admin", TestDatabase.ownerPassword)
                try await browser.open(base + "/language/es?back=/import")
                try await browser.waitUntil("document.documentElement.lang === 'es' && document.querySelector('#file')")
                try await browser.type("#file", file.path)
                try await browser.click("#preview-button")
                try await browser.waitUntil("!document.querySelector('#mapping-card').hidden")
                #expect(
                    try await browser.text("#file-format") == "Leído como Windows-1252 (no es UTF-8 válido), columnas separadas por punto y coma.")
                #expect(try await browser.text("#preview tbody tr td:nth-child(2)") == "Jamón")
                #expect(try await browser.script("return document.querySelector('#currency-warning').hidden") as? Bool == true, "no currency named")
                try await browser.click("#confirm")
                try await browser.waitUntil("!document.querySelector('#done').hidden")
                let product = try await client.call(.get, "/api/products?search=J1", as: owner).json()["data"]?.array.first
                #expect(product?["name"] == .string("Jamón"))
                // the downloads offer the file Excel reads accents in
                try await browser.open(base + "/sales")
                let excel = try await browser.script("return document.querySelector('#export-excel').getAttribute('href')") as? String
                #expect(excel == "/api/export/sales.csv?bom=1")
                #expect(try await browser.text("#export-excel") == "CSV para Excel")
                // a file exported in dollars warns before anything is imported
                let dollars = directory.appending(path: "dollars.csv")
                try Data("barcode,name,price (USD)\nD1,Ham,5\n".utf8).write(to: dollars)
                try await browser.open(base + "/import")
                try await browser.type("#file", dollars.path)
                try await browser.click("#preview-button")
                try await browser.waitUntil("!document.querySelector('#currency-warning').hidden")
                #expect(
                    try await browser.text("#currency-warning")
                        == "Los importes del archivo están en USD, no en la moneda de su empresa: se importan tal cual, sin convertir.")
                // one partial serves both lists: the movements page offers the same pair, filtered as shown
                try await browser.open(base + "/stock/movements?kind=import")
                let movements =
                    try await browser.script(
                        """
                        return [...document.querySelectorAll('#export-csv, #export-excel')].map(a => a.getAttribute('href') + ' ' + a.textContent)
                        """) as? [String]
                #expect(
                    movements == [
                        "/api/export/stock-movements.csv?kind=import Descargar CSV",
                        "/api/export/stock-movements.csv?kind=import&bom=1 CSV para Excel",
                    ],
                    "\(String(describing: movements))")
            }
        }
    }

    /// Scans the ham, reads the till's total, charges (Enter on the empty field) and reads the receipt.
    private func sell(_ browser: WebDriver, _ base: String) async throws -> (total: String, receipt: String, line: String) {
        try await browser.open(base + "/till")
        try await browser.type("#code", "JAMON\n")
        try await browser.waitUntil("document.querySelectorAll('#cart tbody tr').length === 1")
        let total = try await browser.text("#total")
        try await browser.type("#code", "\n")
        try await browser.waitUntil("!document.querySelector('#receipt').hidden && document.querySelector('#receipt-vendor').textContent")
        let line = try await browser.text("#receipt-lines tr td:nth-child(2)")
        return (total, try await browser.text("#receipt-total"), line)
    }
}

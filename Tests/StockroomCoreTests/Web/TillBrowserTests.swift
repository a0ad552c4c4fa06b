import BrowserDriver
import Foundation
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The staff pages in a real Chromium, against a live server on a loopback port.
@Suite("Web UI in a browser", .serialized)
struct TillBrowserTests {
    @Test("sign in, sell two products at the till, see the stock drop, switch to Spanish")
    func sellAtTheTill() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let owner = try await client.signIn(world.ownerA)
            let coffee = try await client.createProduct(as: owner, barcode: "COFFEE", name: "Coffee", quantity: 10, price: 2.5)
            let tea = try await client.createProduct(as: owner, barcode: "TEA", name: "Tea", quantity: 5, price: 1.75)
            try await WebDriver.session { browser in
                // a wrong password stays on the page with a message; the right one lands on the dashboard
                try await browser.open(base + "/login")
                try await browser.type("#username", "admin")
                try await browser.type("#password", "wrong-password\n")
                #expect(try await browser.text(".error").contains("Check your username"))
                try await browser.type("#password", TestDatabase.ownerPassword + "\n")
                try await browser.waitUntil("document.querySelector('#sales-today')")
                #expect(try await browser.text("#sales-today") == "0")

                // the till: CODE*2 adds two, a plain code one; the receipt totals 2 × 2.50 + 1.75
                try await browser.open(base + "/till")
                try await browser.type("#code", "COFFEE*2\n")
                try await browser.waitUntil("document.querySelectorAll('#cart tbody tr').length === 1")
                try await browser.type("#code", "tea\n")
                try await browser.waitUntil("document.querySelectorAll('#cart tbody tr').length === 2")
                #expect(try await browser.text("#total") == "€6.75")
                _ = try await browser.script("document.querySelector('#payment').value = 'card'; return 0")
                try await browser.type("#code", "\n")  // Enter on the empty field charges
                try await browser.waitUntil("!document.querySelector('#receipt').hidden && document.querySelector('#receipt-vendor').textContent")
                #expect(try await browser.text("#receipt-total") == "€6.75")
                // the receipt: the store's bill number, the seller, the payment chosen; the keyboard stays in the code
                // field, so the next customer's first scan is taken (TillScannerTests)
                #expect(try await browser.text("#receipt-number") == "1")
                #expect(try await browser.text("#receipt-vendor") == "admin")
                #expect(try await browser.text("#receipt-payment") == "Card")
                #expect(try await browser.script("return document.activeElement.id") as? String == "code")
                let recorded = try await client.call(.get, "/api/sales?limit=1", as: owner).json()["data"]?.array.first
                #expect(recorded?["payment_method"] == .string("card"))
                #expect(try await world.stock(store: world.storeA1, product: coffee) == 8)
                #expect(try await world.stock(store: world.storeA1, product: tea) == 4)

                // the till's search shows the new stock; the dashboard counts the sale
                try await browser.click("#again")
                try await browser.type("#code", "Cof\n")
                try await browser.waitUntil("document.querySelector('#results button')")
                #expect(try await browser.text("#results button").hasSuffix("Stock 8"))
                try await browser.open(base + "/")
                #expect(try await browser.text("#sales-today") == "1")
                #expect(try await browser.text("#revenue-today") == "€6.75")

                // a script error on the page reaches the owner's view of the server log
                // (an error thrown by WebDriver's own script is muted to "Script error.", as from another origin, so
                // the test raises the event the page's listener sees when one of its scripts throws)
                _ = try await browser.script(
                    "const error = new Error('probe: the till broke'); window.dispatchEvent(new ErrorEvent('error', { error, message: error.message })); return 0"
                )
                var reported = false
                for _ in 0..<50 where !reported {
                    let logs = try await client.call(.get, "/api/debug/logs?level=error", as: owner)
                    reported = logs.text.contains("Client report: probe: the till broke")
                    if !reported { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(reported, "the page's error never reached /api/debug/logs")

                // Spanish from the switch, kept across pages
                try await browser.click("#language")
                try await browser.waitUntil("document.documentElement.lang === 'es'")
                #expect(try await browser.text("h1") == "Panel")
                try await browser.open(base + "/till")
                #expect(try await browser.text("#checkout") == "Cobrar")
                // a server out of reach is said in the reader's language, not the browser's "Failed to fetch"
                let unreachable = try await browser.script(
                    "return window.stockroom.api('GET', 'http://127.0.0.1:1/').catch((error) => error.message)")
                #expect(unreachable as? String == "No se puede contactar con el servidor; revisa la conexión.")
            }
        }
    }
    @Test("at a phone's width no page is wider than the screen, in English and Spanish")
    func phoneWidth() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(
                as: owner, barcode: "7791234567890123456789", name: "Extra virgin olive oil, cold pressed, 750 ml glass bottle",
                quantity: 3, minQuantity: 5, price: 12345.67)
            let sale = try await client.call(.post, "/api/sales/bulk", as: owner, json: #"{"items": [{"item_id": \#(product), "quantity": 1}]}"#)
            guard case .int(let saleID)? = try sale.json()["sale_id"] else { throw ClusterError("no sale: \(sale.text)") }
            try await WebDriver.session(width: 390, height: 844) { browser in
                try await browser.signIn(at: base, "admin", TestDatabase.ownerPassword)
                let pages = [
                    "/", "/till", "/products", "/products/new", "/products/\(product)", "/stock", "/stock/movements", "/sales",
                    "/sales/\(saleID)", "/reports", "/users", "/stores", "/audit", "/settings", "/notifications", "/import",
                ]
                for language in ["en", "es"] {
                    try await browser.open(base + "/language/\(language)?back=/")
                    for page in pages {
                        try await browser.open(base + page)
                        if page == "/till" {
                            try await browser.type("#code", "7791234567890123456789*2\n")
                            try await browser.waitUntil("document.querySelectorAll('#cart tbody tr').length === 1")
                        }
                        let widths = try await browser.script("return [document.documentElement.scrollWidth, screen.width]") as? [Int]
                        // (a phone widens its layout to fit what overflows, so innerWidth grows too: compare with the screen)
                        #expect(widths?.count == 2 && widths![0] <= widths![1], "\(language) \(page) is \(widths ?? []) px wide")
                    }
                }
            }
        }
    }
}

import BrowserDriver
import Foundation
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The till's comforts as a cashier uses them, in a real Chromium: quantity keys, discounts, cash and change, clear
/// sale, the receipt's header and tax line, and the reprint. Every figure on screen is checked against the sale the
/// server recorded.
@Suite("The till's comforts and the receipt, in a browser", .serialized)
struct TillComfortBrowserTests {
    static let screens = [TillScannerTests.Screen(width: 1280, language: "en"), TillScannerTests.Screen(width: 390, language: "es")]

    @Test(
        "quantity keys, discounts within the vendor's limit, cash and change, the receipt's header and tax line, reprint, clear sale",
        arguments: screens)
    func comforts(screen: TillScannerTests.Screen) async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            // setup: a 21 % tax on top of prices; the owner sets the receipt (header, footer, 58 mm paper) and vendors'
            // limit (10 %) on /settings, below
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let owner = try await client.signIn(world.ownerA)
            let settings = try await client.call(.put, "/api/settings/company", as: owner, json: #"{"tax_rate": 21, "prices_include_tax": false}"#)
            try #require(settings.status == .ok, "\(settings.text)")
            let coffee = try await client.createProduct(as: owner, barcode: "COFFEE", name: "Coffee", quantity: 50, price: 2.5)
            let tea = try await client.createProduct(as: owner, barcode: "TEA", name: "Tea", quantity: 50, price: 1.75)
            let oil = try await client.createProduct(as: owner, barcode: "7791234567890", name: "Oil", quantity: 50, price: 3.1)
            let vendor = world.vendorA1
            let phone = screen.width < 500
            // on the phone, the store has an address of its own: the receipt prints it instead of the company's
            if phone {
                let store = try await client.call(.put, "/api/stores/\(world.storeA1)", as: owner, json: #"{"address": "Avenida Sur 2"}"#)
                try #require(store.status == .ok, "\(store.text)")
            }
            try await WebDriver.session(width: screen.width, height: phone ? 844 : 900) { browser in
                try await browser.signIn(at: base, "admin", TestDatabase.ownerPassword)
                try await browser.open(base + "/language/\(screen.language)?back=/settings")
                let form = "form[data-api='/api/settings/company']"
                for (name, value) in [
                    ("shop_name", "Almacén Sol"), ("shop_address", "Calle Mayor 1"), ("tax_id", "B-12345678"),
                    ("receipt_footer", "Thanks for coming"), ("max_discount_vendor", "10"),
                ] {
                    try await browser.clear("\(form) input[name=\(name)]")
                    try await browser.type("\(form) input[name=\(name)]", value)
                }
                _ = try await browser.script("document.querySelector(\"\(form) select[name=receipt_width]\").value = '58'; return 0")
                try await browser.click("\(form) button[type=submit]")
                try await browser.waitUntil("!document.querySelector(\"\(form) .form-done\").hidden")
                let saved = try await client.call(.get, "/api/settings/company", as: owner).json()
                #expect(
                    saved["shop_name"] == .string("Almacén Sol") && saved["tax_id"] == .string("B-12345678") && saved["receipt_width"] == .int(58))
                #expect(saved["max_discount_vendor"] == .int(10) && saved["max_discount_admin"] == .int(100) && saved["tax_rate"] == .int(21))
                _ = try await browser.script("document.querySelector(\"form[action='/logout']\").submit(); return 0")
                try await browser.waitUntil("location.pathname === '/login'")
                try await browser.signIn(at: base, vendor.username, ShopWorld.password(for: vendor))
                try await browser.open(base + "/till")
                try await browser.waitUntil("document.documentElement.lang === '\(screen.language)' && document.activeElement.id === 'code'")
                // amounts as the page writes them, and text as the page has it (WebDriver's text turns no-break spaces into spaces)
                func money(_ amount: Double) async throws -> String {
                    try await browser.script("return window.stockroom.money(\(amount))") as? String ?? "?"
                }
                func text(_ selector: String) async throws -> String {
                    try await browser.script("return document.querySelector(\(Self.quoted(selector))).textContent.trim()") as? String ?? ""
                }
                let total = try await money(26.77)
                let tax = try await money(4.65)
                let taxBase = try await money(22.12)
                let change = try await money(3.23)
                let received = try await money(30)
                let short = try await money(20)

                // act: 3*CODE, CODE x3 (StockManager's), a numeric code*2; "+" twice and "-" once on the last line;
                // a click chooses the coffee line and "+" steps it
                try await browser.keys("3*COFFEE\nTEA x2\n7791234567890*2\n")
                try await TillScannerTests.waitForCart(browser, [coffee: 3, tea: 2, oil: 2])
                try await browser.keys("++-")
                try await TillScannerTests.waitForCart(browser, [coffee: 3, tea: 2, oil: 3])
                try await browser.click("#cart tr[data-product-id='\(coffee)'] td:first-child")
                try await browser.keys("+")
                try await TillScannerTests.waitForCart(browser, [coffee: 4, tea: 2, oil: 3])
                #expect(
                    try await browser.script("return document.activeElement.id + '|' + document.querySelector('#code').value") as? String == "code|")

                // a line discount on the tea and a sale discount (typed with the reader's decimal mark)
                try await browser.click("#cart tr[data-product-id='\(tea)'] td:first-child")
                try await browser.type("#line-discount", "5\n")
                try await browser.type("#sale-discount", (screen.language == "es" ? "0,50" : "0.50") + "\n")
                // by hand: 10.00 + (3.50 − 5 % = 3.32) + 9.30 = 22.62, less 0.50 = 22.12, 21 % tax 4.65, total 26.77
                try await browser.waitUntil("document.querySelector('#total').textContent === \(Self.quoted(total))")
                #expect(try await text("#figures").contains(tax))

                // more than the vendor's 10 % is refused on the page (the server refuses it too: DiscountLimitTests)
                try await browser.clear("#sale-discount")
                try await browser.type("#sale-discount", "5\n")
                try await browser.keys("\n")
                try await browser.waitUntil("document.querySelector('#message').textContent.includes('10 %')")
                #expect(try await TillScannerTests.serverSales(client, owner).isEmpty)
                try await browser.clear("#sale-discount")
                try await browser.type("#sale-discount", (screen.language == "es" ? "0,50" : "0.50") + "\n")

                // cash: F2 takes the amount received; too little is refused on the page, then the change is shown live
                try await browser.keys("\u{E032}")
                try await browser.waitUntil("document.activeElement.id === 'received'")
                try await browser.keys("20\n")
                try await browser.waitUntil("document.querySelector('#message').textContent.includes(\(Self.quoted(short)))")
                #expect(try await TillScannerTests.serverSales(client, owner).isEmpty)
                try await browser.clear("#received")
                try await browser.type("#received", "30")
                try await browser.waitUntil("document.querySelector('#change').textContent === \(Self.quoted(change))")
                try await browser.keys("\n")
                try await TillScannerTests.waitForReceipt(browser, bill: 1)

                // check: the server's sale is the one on screen, to the cent, with the tea's discount
                let sale = try #require(try await client.call(.get, "/api/sales?limit=1", as: owner).json()["data"]?.array.first)
                #expect(sale["total"] == .double(26.77) && sale["discount"] == .double(0.5) && sale["tax"] == .double(4.65))
                #expect(sale["payment_method"] == .string("cash"))
                guard case .int(let saleID)? = sale["id"] else { throw ClusterError("\(sale)") }
                let lines = try await client.call(.get, "/api/bills/\(saleID)", as: owner).json()["details"]?.array ?? []
                #expect(lines.map { $0["discountPercentage"] } == [.int(0), .int(5), .int(0)])
                #expect(try await text("#receipt-total") == total)
                // the receipt: the shop's header, the tax line (rate, base, tax), cash received and change, the footer
                #expect(try await browser.text("#shop-name") == "Almacén Sol")
                #expect(try await browser.text("#shop-address") == (phone ? "Avenida Sur 2" : "Calle Mayor 1"))
                #expect(try await browser.text("#shop-tax-id").hasSuffix("B-12345678"))
                let taxLine = try await text("#receipt-figures .receipt-tax")
                #expect(taxLine.contains("21 %") && taxLine.contains(taxBase) && taxLine.contains(tax), "\(taxLine)")
                #expect(try await text("#receipt-cash .receipt-received").contains(received))
                #expect(try await text("#receipt-cash .receipt-change").contains(change))
                #expect(try await browser.text("#receipt-footer") == "Thanks for coming")
                #expect(try await browser.script("return document.querySelector('#receipt').dataset.width") as? String == "58")
                #expect(try await browser.script("return document.activeElement.id") as? String == "code")

                if phone {
                    // the sale's note comes while the receipt shows: it must not cover Print or New sale
                    try await browser.waitUntil("document.querySelector('.toast')")
                    let covered =
                        try await browser.script(
                            """
                            const boxes = [...document.querySelectorAll('.toast')].map((toast) => toast.getBoundingClientRect());
                            return ['#print', '#again'].some((id) => {
                              const button = document.querySelector(id).getBoundingClientRect();
                              return boxes.some((box) => box.left < button.right && button.left < box.right && box.top < button.bottom && button.top < box.bottom);
                            });
                            """) as? Bool
                    #expect(covered == false)
                    let widths = try await browser.script("return [document.documentElement.scrollWidth, screen.width]") as? [Int]
                    #expect(widths?.count == 2 && widths![0] <= widths![1], "the till is \(widths ?? []) px wide")
                }

                // reprint: after a reload, the last receipt comes back, and goes to the printer
                try await browser.click("#again")
                try await browser.open(base + "/till")
                try await browser.waitUntil("!document.querySelector('#reprint').hidden && document.querySelector('#receipt').hidden")
                _ = try await browser.script("window.printed = 0; window.print = () => { window.printed += 1; }; return 0")
                try await browser.click("#reprint")
                try await TillScannerTests.waitForReceipt(browser, bill: 1)
                #expect(try await text("#receipt-total") == total)
                #expect(try await text("#receipt-cash .receipt-change").contains(change))
                #expect(try await browser.script("return window.printed") as? Int == 1)

                // clear sale: F9 asks, a scan meanwhile still lands in the sale, F9 again clears it; nothing was sold
                try await browser.keys("COFFEEx2\n")
                try await TillScannerTests.waitForCart(browser, [coffee: 2])
                // F3 chooses card and leaves the keyboard in the code field (no cash to count)
                try await browser.keys("\u{E033}")
                #expect(
                    try await browser.script(
                        "return document.querySelector('#payment').value + '|' + document.activeElement.id + '|' + document.querySelector('#cash').hidden"
                    ) as? String == "card|code|true")
                try await browser.keys("\u{E039}")
                try await browser.waitUntil("!document.querySelector('#clear-confirm').hidden")
                try await browser.keys("TEA\n")
                try await TillScannerTests.waitForCart(browser, [coffee: 2, tea: 1])
                try await browser.keys("\u{E039}")
                try await TillScannerTests.waitForCart(browser, [:])
                #expect(try await browser.script("return document.querySelector('#clear-confirm').hidden") as? Bool == true)
                #expect(try await TillScannerTests.serverSales(client, owner).count == 1)
            }
        }
    }

    /// A JavaScript string literal.
    static func quoted(_ text: String) -> String {
        let array = (try? JSONSerialization.data(withJSONObject: [text])).flatMap { String(data: $0, encoding: .utf8) } ?? "[\"\"]"
        return String(array.dropFirst().dropLast())
    }
}

import BrowserDriver
import Foundation
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The till as a cashier with a keyboard-wedge barcode scanner uses it: a scanner types a whole code and Enter in a
/// few milliseconds, again and again, into whatever has the focus, while the shop's network is slow or drops. The
/// browser talks to the server through a `FlakyLink`; every sale is checked on the server afterwards.
@Suite("The till with a scanner, in a browser", .serialized)
struct TillScannerTests {
    struct Screen: Sendable, CustomTestStringConvertible {
        let width: Int
        let language: String
        var testDescription: String { "\(width) px, \(language)" }
    }

    static let screens = [
        Screen(width: 1280, language: "en"), Screen(width: 1280, language: "es"),
        Screen(width: 390, language: "en"), Screen(width: 390, language: "es"),
    ]

    @Test(
        "bursts, repeats, slow answers, short codes, a clicked result, a scan after a receipt and during a charge: each adds exactly what was scanned",
        arguments: screens)
    func scannerSession(screen: Screen) async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            let owner = try await client.signIn(world.ownerA)
            var code: [String: Int64] = [:]
            for name in ["A", "B", "C", "D", "E", "F"] {
                code[name] = try await client.createProduct(as: owner, barcode: "77910000000\(name)", name: "Item \(name)", quantity: 50, price: 1.5)
            }
            // a short in-store code that twelve names contain, all sorting before it; two chocolates found by name
            for index in 0..<12 {
                _ = try await client.createProduct(as: owner, barcode: "55500\(index)", name: "A tile 42x\(index)", quantity: 5)
            }
            let short = try await client.createProduct(as: owner, barcode: "42", name: "Zucchini", quantity: 50, price: 0.75)
            _ = try await client.createProduct(as: owner, barcode: "CHOC-DARK", name: "Chocolate dark", quantity: 5, price: 3)
            let milk = try await client.createProduct(as: owner, barcode: "CHOC-MILK", name: "Chocolate milk", quantity: 5, price: 3)
            func scan(_ name: String) -> String { "77910000000\(name)\n" }
            func id(_ name: String) -> Int64 { code[name]! }

            let link = try FlakyLink(to: try #require(client.port))
            defer { link.close() }
            let base = "http://127.0.0.1:\(link.port)"
            try await WebDriver.session(width: screen.width, height: screen.width < 500 ? 844 : 900) { browser in
                try await browser.signIn(at: base, "admin", TestDatabase.ownerPassword)
                try await browser.open(base + "/language/\(screen.language)?back=/till")
                try await browser.waitUntil("document.documentElement.lang === '\(screen.language)' && document.activeElement.id === 'code'")

                // a burst of four codes with no pause, then the same code five times
                try await browser.keys(scan("A") + scan("B") + scan("C") + scan("D"))
                try await Self.waitForCart(browser, [id("A"): 1, id("B"): 1, id("C"): 1, id("D"): 1])
                try await browser.keys(String(repeating: scan("A"), count: 5))
                try await Self.waitForCart(browser, [id("A"): 6, id("B"): 1, id("C"): 1, id("D"): 1])

                // on a slow link (a 300 ms round trip): scans 0.1 s apart, then a burst, each before the last answer
                link.latency = .milliseconds(150)
                for name in ["E", "B", "E", "C", "E"] {
                    try await browser.keys(scan(name))
                    try await Task.sleep(for: .milliseconds(100))
                }
                // and a code never seen on this page, four times in one burst: four lookups on the wire at once
                try await browser.keys(scan("D") + scan("D") + String(repeating: scan("F"), count: 4))
                try await Self.waitForCart(
                    browser, [id("A"): 6, id("B"): 2, id("C"): 2, id("D"): 3, id("E"): 3, id("F"): 4], giveUpAfter: .seconds(20))
                link.latency = .zero

                // a short code that many names contain; a zero quantity and an unknown code are refused, by name
                try await browser.keys("42\nNOPE-1\n" + "77910000000A*0\n")
                try await Self.waitForCart(browser, [id("A"): 6, id("B"): 2, id("C"): 2, id("D"): 3, id("E"): 3, id("F"): 4, short: 1])
                try await browser.waitUntil("document.querySelector('#message').textContent.includes('NOPE-1')")
                let refused = try await browser.text("#message")
                #expect(refused.contains("77910000000A*0"), "\(refused)")

                // a name search offers a choice; a click on a result adds it and the scanner goes on into the code field
                try await browser.keys("Choc\n")
                try await browser.waitUntil("document.querySelectorAll('#results button').length === 2")
                try await browser.click("#results button[data-barcode='CHOC-MILK']")
                try await browser.keys(scan("B"))
                try await Self.waitForCart(browser, [id("A"): 6, id("B"): 3, id("C"): 2, id("D"): 3, id("E"): 3, id("F"): 4, short: 1, milk: 1])
                #expect(try await browser.script("return document.activeElement.id") as? String == "code")
                #expect(try await browser.script("return document.querySelectorAll('#results button').length") as? Int == 0)

                // the cart survives the language switch (a new page) and a quantity is typed and stepped
                try await browser.click("#language")
                try await browser.waitUntil("document.documentElement.lang !== '\(screen.language)'")
                try await Self.waitForCart(browser, [id("A"): 6, id("B"): 3, id("C"): 2, id("D"): 3, id("E"): 3, id("F"): 4, short: 1, milk: 1])
                // (the cashier selects the line's quantity and types over it)
                _ = try await browser.script(
                    "const box = document.querySelector(\"#cart tr[data-product-id='\(id("A"))'] input\"); box.focus(); box.select(); return 0")
                try await browser.keys("4\n")
                // a zero typed over it is refused once, by name, and the box shows the line's quantity again
                let problemsBefore = try await browser.script("return document.querySelectorAll('#problems li').length") as? Int ?? -1
                _ = try await browser.script(
                    "const box = document.querySelector(\"#cart tr[data-product-id='\(id("B"))'] input\"); box.focus(); box.select(); return 0")
                try await browser.keys("0\n")
                try await browser.waitUntil("document.activeElement.id === 'code'")
                #expect(try await browser.script("return document.querySelectorAll('#problems li').length") as? Int == problemsBefore + 1)
                #expect(
                    try await browser.script("return document.querySelector(\"#cart tr[data-product-id='\(id("B"))'] input\").value") as? String
                        == "3")
                try await browser.click("#cart tr[data-product-id='\(short)'] button.step:last-of-type")
                try await browser.click("#cart tr[data-product-id='\(id("C"))'] button.step")  // one less
                let sale1: [Int64: Int] = [id("A"): 4, id("B"): 3, id("C"): 1, id("D"): 3, id("E"): 3, id("F"): 4, short: 2, milk: 1]
                try await Self.waitForCart(browser, sale1)
                #expect(try await browser.script("return document.activeElement.id") as? String == "code")

                // Enter on the empty field charges; the receipt shows and the keyboard stays in the code field
                try await browser.keys("\n")
                try await Self.waitForReceipt(browser, bill: 1)
                #expect(try await browser.script("return document.activeElement.id") as? String == "code")

                // the first scan after a receipt starts the next sale (the receipt goes)
                try await browser.keys(scan("C"))
                try await Self.waitForCart(browser, [id("C"): 1])
                #expect(try await browser.script("return document.querySelector('#receipt').hidden") as? Bool == true)

                // a slow charge says it is waiting; scans meanwhile go to the next sale's cart, on screen
                link.delayAnswers(to: "POST /api/sales/bulk", by: .seconds(5))
                try await browser.keys("\n")
                try await browser.waitUntil("!document.querySelector('#charging').hidden")
                try await browser.keys(scan("D") + scan("E") + scan("E"))
                try await Self.waitForCart(browser, [id("D"): 1, id("E"): 2])
                #expect(try await browser.script("return document.querySelector('#charging').hidden") as? Bool == false)
                try await browser.waitUntil(
                    "!document.querySelector('#charging').hidden && document.querySelector('#charging').dataset.state === 'waiting'",
                    giveUpAfter: .seconds(10))
                try await Self.waitForReceipt(browser, bill: 2, giveUpAfter: .seconds(20))
                link.delayAnswers(to: nil)
                try await Self.waitForCart(browser, [id("D"): 1, id("E"): 2])
                try await browser.keys("\n")
                try await Self.waitForReceipt(browser, bill: 3)

                // the server has exactly what was scanned, sale by sale
                let sales = try await Self.serverSales(client, owner)
                #expect(sales.map(\.bill) == [1, 2, 3])
                #expect(sales.map(\.lines) == [sale1, [id("C"): 1], [id("D"): 1, id("E"): 2]])
            }
        }
    }

    @Test("a charge whose answer is lost is retried with its key: one sale, one bill number, also after a reload before the retry")
    func lostAnswer() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            let owner = try await client.signIn(world.ownerA)
            let coffee = try await client.createProduct(as: owner, barcode: "COFFEE", name: "Coffee", quantity: 20, price: 2.5)
            let link = try FlakyLink(to: try #require(client.port))
            defer { link.close() }
            let base = "http://127.0.0.1:\(link.port)"
            try await WebDriver.session { browser in
                try await browser.signIn(at: base, "admin", TestDatabase.ownerPassword)
                try await browser.open(base + "/till")

                // the server records the sale, its answer never arrives: the till tries again with the same key
                link.loseAnswers(to: "POST /api/sales/bulk")
                try await browser.keys("COFFEE*2\n")
                try await Self.waitForCart(browser, [coffee: 2])
                try await browser.keys("\n")
                try await Self.waitForReceipt(browser, bill: 1, giveUpAfter: .seconds(20))
                #expect(link.answersLost == 1)
                #expect(try await Self.serverSales(client, owner).map(\.lines) == [[coffee: 2]])
                #expect(try await world.stock(store: world.storeA1, product: coffee) == 18)

                // lost again and again; the page is reloaded before the retry: the sale waits in the browser's
                // storage, shown as being charged, and goes out again with its key
                link.loseAnswers(to: "POST /api/sales/bulk", count: 1000)
                try await browser.keys("COFFEE*3\n")
                try await Self.waitForCart(browser, [coffee: 3])
                try await browser.keys("\n")
                try await Self.waitUntil { link.answersLost >= 2 }
                try await browser.open(base + "/till")
                try await browser.waitUntil("!document.querySelector('#charging').hidden")
                #expect(try await browser.text("#charging-summary").hasPrefix("3 "))
                try await Self.waitForCart(browser, [:])
                let before = link.answersLost
                try await Self.waitUntil { link.answersLost > before }  // the reloaded page sent it again
                link.keepAnswers()
                // "Retry now" if the till is between tries (else its own next try is already on the way)
                _ = try await browser.script("document.querySelector('#retry:not([hidden])')?.click(); return 0")
                try await Self.waitForReceipt(browser, bill: 2, giveUpAfter: .seconds(20))
                let sales = try await Self.serverSales(client, owner)
                #expect(sales.map(\.bill) == [1, 2])
                #expect(sales.map(\.lines) == [[coffee: 2], [coffee: 3]])
                #expect(try await world.stock(store: world.storeA1, product: coffee) == 15)
                // (what the browser keeps: the cart, with nothing being charged, and the last receipt for a reprint)
                #expect(
                    try await browser.script(
                        """
                        const keys = Object.keys(localStorage), cart = keys.find((key) => !key.endsWith(':receipt'));
                        return keys.length === 2 && keys.includes(cart + ':receipt') && !JSON.parse(localStorage.getItem(cart)).charging
                        """) as? Bool == true)

                // more than the shelf holds: nothing is sold, the line comes back to the cart, and the message names the
                // product with what is available; stepped down to what is there, it sells
                try await browser.keys("COFFEE*16\n\n")
                try await browser.waitUntil("document.querySelector('#message').textContent.includes('15')")
                #expect(try await browser.text("#message") == "Not enough stock of “Coffee”: 16 asked, 15 available.")
                try await Self.waitForCart(browser, [coffee: 16])
                #expect(try await browser.script("return document.querySelector('#charging').hidden") as? Bool == true)
                try await browser.click("#cart tr[data-product-id='\(coffee)'] button.step")
                try await browser.keys("\n")
                try await Self.waitForReceipt(browser, bill: 3)
                #expect(try await world.stock(store: world.storeA1, product: coffee) == 0)
                #expect(try await Self.serverSales(client, owner).map(\.lines) == [[coffee: 2], [coffee: 3], [coffee: 15]])

                // a "201 Created" whose body is cut short is no answer: tried again, and the server replays the sale
                let tea = try await client.createProduct(as: owner, barcode: "TEA", name: "Tea", quantity: 5, price: 1.75)
                link.loseAnswers(to: "POST /api/sales/bulk", keepHead: true)
                try await browser.keys("TEA\n\n")
                try await Self.waitForReceipt(browser, bill: 4, giveUpAfter: .seconds(20))
                #expect(link.answersLost == before + 2)
                #expect(try await Self.serverSales(client, owner).map(\.lines).last == [tea: 1])
                #expect(try await world.stock(store: world.storeA1, product: tea) == 4)
            }
        }
    }

    /// Waits until the cart holds exactly `lines` (product id → quantity).
    static func waitForCart(_ browser: WebDriver, _ lines: [Int64: Int], giveUpAfter: Duration = .seconds(10)) async throws {
        let wanted = lines.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ",")
        let cart = """
            [...document.querySelectorAll('#cart tbody tr')].map((row) => row.dataset.productId + '×' + row.querySelector('input').value)
              .sort((a, b) => Number(a.split('×')[0]) - Number(b.split('×')[0])).join(',')
            """
        do {
            try await browser.waitUntil(
                "(\(cart)) === '\(wanted)' && document.querySelector('#scan').dataset.pending === '0'", giveUpAfter: giveUpAfter)
        } catch {
            throw ClusterError(
                "the cart is \(try await browser.script("return \(cart)")), not \(wanted); "
                    + "message: \(try await browser.script("return document.querySelector('#message').textContent"))")
        }
    }

    /// Waits for the receipt of the store's bill number `bill`.
    static func waitForReceipt(_ browser: WebDriver, bill: Int, giveUpAfter: Duration = .seconds(10)) async throws {
        try await browser.waitUntil(
            "!document.querySelector('#receipt').hidden && document.querySelector('#receipt-number').textContent === '\(bill)'",
            giveUpAfter: giveUpAfter)
    }

    static func waitUntil(giveUpAfter: Duration = .seconds(20), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + giveUpAfter
        while !condition() {
            guard ContinuousClock.now < deadline else { throw ClusterError("still not true after \(giveUpAfter)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The company's sales on the server, oldest first: bill number and product id → quantity.
    static func serverSales(_ client: some TestClientProtocol, _ owner: SignedIn) async throws -> [(bill: Int64, lines: [Int64: Int])] {
        let page = try await client.call(.get, "/api/sales?limit=50", as: owner).json()["data"]?.array ?? []
        return page.reversed().map { sale in
            var lines: [Int64: Int] = [:]
            for line in sale["products"]?.array ?? [] {
                if case .int(let product)? = line["product_id"], case .int(let quantity)? = line["quantity"] {
                    lines[product, default: 0] += Int(quantity)
                }
            }
            guard case .int(let bill)? = sale["bill_number"] else { return (-1, lines) }
            return (bill, lines)
        }
    }
}

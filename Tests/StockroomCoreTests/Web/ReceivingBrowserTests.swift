import BrowserDriver
import Foundation
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Goods arriving at the back door, in a real Chromium: an order received with a barcode scanner (a code and Enter
/// typed with no pause, again and again), and a transfer taken in on a 390 px phone with a loss and its reason.
/// What the pages sent is checked in the database and through the API.
@Suite("Receiving in a browser", .serialized)
struct ReceivingBrowserTests {
    @Test("an order received by scanning: a burst of scans counts each once, a count changed by hand, one receipt; stock rises by exactly that")
    func receiveAnOrder() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let owner = try await client.signIn(world.ownerA)
            let shop = try await SupplyShop.make(client, world, owner: owner)
            let coffee = try #require(try await world.stock(store: world.storeA1, product: shop.coffee))
            let tea = try #require(try await world.stock(store: world.storeA1, product: shop.tea))
            let scan = (coffee: SupplyShop.coffeeCode + "\n", tea: SupplyShop.teaCode + "\n")
            try await WebDriver.session { browser in
                try await browser.signIn(at: base, "admin", TestDatabase.ownerPassword)
                try await browser.open(base + "/purchase-orders/\(shop.order)")
                #expect(try await Self.counts(browser) == ["12", "5"], "the boxes start at what is due")

                // counted from zero by scanning: nine codes in one burst, typed while the page itself has the focus
                try await browser.click("#count-from-zero")
                _ = try await browser.script("document.activeElement.blur(); return 0")
                try await browser.keys(
                    [scan.coffee, scan.coffee, scan.tea, scan.coffee, scan.coffee, scan.coffee, scan.tea, scan.coffee, scan.coffee].joined())
                try await browser.waitUntil("document.querySelectorAll('#receive input.count')[0].value === '7'")
                #expect(try await Self.counts(browser) == ["7", "2"])
                #expect(try await browser.script("return document.activeElement.id") as? String == "scan-code")
                #expect(try await browser.text("#scan-status") == "Coffee beans: 7", "the last scan, by name, with its line's count")

                // the tea counted by hand; a code scanned into the coffee's box by mistake counts as one more coffee
                try await browser.clear("#receive .receive-line:nth-of-type(2) input.count")
                try await browser.type("#receive .receive-line:nth-of-type(2) input.count", "4")
                _ = try await browser.script("document.querySelector('#receive input.count').focus(); return 0")
                try await browser.keys(scan.coffee)
                #expect(try await Self.counts(browser) == ["8", "4"])
                // an unknown code is refused by name, and counts nothing
                try await browser.click("#scan-code")
                try await browser.keys("NOT-ON-IT\n")
                #expect(try await browser.text("#scan-problems").contains("“NOT-ON-IT” is not on this list."))
                #expect(try await Self.counts(browser) == ["8", "4"])

                try await browser.click("#receive-button")
                try await browser.waitUntil("location.search.includes('saved=1')")
                #expect(try await browser.text("#order-status") == "partly received")

                // more than is due is refused in the reader's words, with the numbers; nothing arrives
                try await browser.open(base + "/language/es?back=/purchase-orders/\(shop.order)")
                #expect(try await Self.counts(browser) == ["4", "1"])
                try await browser.clear("#receive input.count")
                try await browser.type("#receive input.count", "9")
                #expect(
                    try await browser.script("return document.querySelector('#receive .receive-line').classList.contains('over')") as? Bool == true)
                try await browser.click("#receive-button")
                try await browser.waitUntil("!document.querySelector('#receive .form-error').hidden")
                #expect(try await browser.text("#receive .form-error") == "«Coffee beans»: 9 es más de lo pendiente (4).")
            }
            #expect(try await world.stock(store: world.storeA1, product: shop.coffee) == coffee + 8)
            #expect(try await world.stock(store: world.storeA1, product: shop.tea) == tea + 4)
            let order = try await client.call(.get, "/api/purchase-orders/\(shop.order)", as: owner).json()
            #expect(order["status"] == .string("partially_received"))
            #expect(order["lines"]?.array.map { $0["received"] } == [.int(8), .int(4)])
            #expect(order["receipts"]?.array.count == 1, "one receipt for the delivery")
        }
    }

    @Test("a transfer taken in on a 390 px phone: a loss needs its reason, both reach the books; the supply pages fit and read in both languages")
    func receiveATransferOnAPhone() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let owner = try await client.signIn(world.ownerA)
            let shop = try await SupplyShop.make(client, world, owner: owner)
            let pages = [
                "/suppliers", "/suppliers/new", "/suppliers/\(shop.supplier)", "/purchase-orders", "/purchase-orders/new",
                "/purchase-orders/\(shop.order)", "/transfers", "/transfers/new", "/transfers/\(shop.transfer)", "/stock?store_id=\(world.storeA2)",
            ]
            try await WebDriver.session(width: 390, height: 844) { browser in
                // the owner's view of every supply page: nothing wider than the screen, text at 4.5:1, light and dark
                try await browser.signIn(at: base, "admin", TestDatabase.ownerPassword)
                let problems = try await PageLookBrowserTests.phoneLook(browser, base: base, pages: pages)
                #expect(problems.isEmpty, "\(problems.count) problems:\n\(problems.prefix(30).joined(separator: "\n"))")

                // the receiving store's admin, in Spanish (the language switch stays with this browser)
                try await browser.click(".tools form button")
                try await browser.signIn(at: base, "admina2", ShopWorld.password)
                try await browser.open(base + "/transfers/\(shop.transfer)")
                #expect(try await Self.counts(browser) == ["6", "0", "3", "0"], "received starts at what is in transit, lost at 0")
                let line = "#receive .receive-line:first-of-type"
                try await browser.clear("\(line) [data-key=received]")
                try await browser.type("\(line) [data-key=received]", "5")
                try await browser.clear("\(line) [data-key=lost]")
                try await browser.type("\(line) [data-key=lost]", "1")
                try await browser.click("#receive-button")
                #expect(try await browser.text("#receive .form-error") == "«Coffee beans»: indica por qué se perdieron unidades.")
                #expect(try await browser.script("return document.activeElement.dataset.key") as? String == "reason")
                #expect(try await world.stock(store: world.storeA2, product: shop.coffee) == 0, "nothing sent without the reason")
                try await browser.type("\(line) [data-key=reason]", "Broken in the van")
                let widths = try await browser.script("return [document.documentElement.scrollWidth, screen.width]") as? [Int]
                #expect(widths?.count == 2 && widths![0] <= widths![1], "the receive form is \(widths ?? []) px wide")
                try await browser.click("#receive-button")
                try await browser.waitUntil("location.search.includes('saved=1')")
                #expect(try await browser.text("#transfer-status") == "recibida")
                #expect(try await browser.text("#receipts").contains("Perdido 1 (Broken in the van)"))
            }
            #expect(try await world.stock(store: world.storeA2, product: shop.coffee) == 5)
            #expect(try await world.stock(store: world.storeA2, product: shop.tea) == 3)
            let transfer = try await client.call(.get, "/api/transfers/\(shop.transfer)", as: owner).json()
            #expect(transfer["status"] == .string("received") && transfer["units_lost"] == .int(1) && transfer["units_in_transit"] == .int(0))
            let losses =
                try await client.call(
                    .get, "/api/stock-movements?store_id=\(world.storeA2)&kind=transfer_loss", as: owner
                ).json()["data"]?.array ?? []
            #expect(losses.count == 1 && losses.first?["reason"] == .string("Broken in the van") && losses.first?["delta"] == .int(-1))
        }
    }

    /// The values of the receive form's count boxes, in order.
    static func counts(_ browser: WebDriver) async throws -> [String] {
        try await browser.script("return [...document.querySelectorAll('#receive input.count')].map((box) => box.value)") as? [String] ?? []
    }
}

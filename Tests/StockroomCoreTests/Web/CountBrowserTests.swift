import BrowserDriver
import Foundation
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Counting the shelves on a 390 px phone in a real Chromium: a burst of scans (a code and Enter typed with no pause,
/// again and again) counted each exactly once, a number typed for another line, the count posted; the stock changes
/// by exactly the differences, checked in the database and through the API. Then a return taken from the sale page,
/// and the look of the count, sale and valuation pages on a phone.
@Suite("Counting in a browser", .serialized)
struct CountBrowserTests {
    @Test("a count on a phone: nine fast scans count nine, a typed number sets a line, posting moves the stock by the differences")
    func countOnAPhone() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let owner = try await client.signIn(world.ownerA)
            let shop = try await SupplyShop.make(client, world, owner: owner)
            let admin = try await client.signIn(world.adminA1)
            let count = try await StockCountPageTests.openCount(client, world, as: admin)
            let coffee = try #require(try await world.stock(store: world.storeA1, product: shop.coffee))
            let tea = try #require(try await world.stock(store: world.storeA1, product: shop.tea))
            try await WebDriver.session(width: 390, height: 844) { browser in
                try await browser.signIn(at: base, "admina1", ShopWorld.password)
                try await browser.open(base + "/stock-counts/\(count)")

                // nine codes in one burst, typed while the page itself has the focus (stray keys go to the scan field)
                _ = try await browser.script("document.activeElement.blur(); return 0")
                try await browser.keys(String(repeating: SupplyShop.coffeeCode + "\n", count: 9))
                try await browser.waitUntil(
                    "document.body.dataset.pending === '0' && document.querySelector('#count-\(shop.coffee)').value === '9'",
                    giveUpAfter: .seconds(20))
                #expect(try await browser.text("#scan-status") == "Coffee beans: 9", "the last scan, by name, with its line's count")
                #expect(try await browser.script("return document.activeElement.id") as? String == "scan-code")
                let difference = "document.querySelector('tr[data-product=\"%@\"] .difference').textContent"
                #expect(
                    try await browser.script("return " + difference.replacingOccurrences(of: "%@", with: "\(shop.coffee)")) as? String
                        == "-\(coffee - 9)")

                // an unknown code is refused in the reader's words and counts nothing
                try await browser.keys("NOT-ON-IT\n")
                try await browser.waitUntil("!document.getElementById('scan-message').hidden")
                #expect(try await browser.text("#scan-problems").contains("“NOT-ON-IT”: no product has that code."))

                // the tea counted by hand
                try await browser.clear("#count-\(shop.tea)")
                try await browser.type("#count-\(shop.tea)", "5\n")
                try await browser.waitUntil(
                    "document.body.dataset.pending === '0' && " + difference.replacingOccurrences(of: "%@", with: "\(shop.tea)") + " === '\(5 - tea)'"
                )
                #expect(try await browser.text("#counted-lines") == "2")
                let widths = try await browser.script("return [document.documentElement.scrollWidth, screen.width]") as? [Int]
                #expect(widths?.count == 2 && widths![0] <= widths![1], "the count is \(widths ?? []) px wide")

                _ = try await browser.script("window.confirm = () => true; return 0")
                try await browser.click("#post-count")
                try await browser.waitUntil("location.search.includes('saved=1')", giveUpAfter: .seconds(20))
                #expect(try await browser.text("#count-status") == "posted")
            }
            // each scan counted once: the API's line says 9, and the stock moved by exactly the differences
            let read = try await client.call(.get, "/api/stock-counts/\(count)", as: owner).json()
            let lines = read["lines"]?.array ?? []
            #expect(read["status"] == .string("posted"))
            #expect(lines.first { $0["product_id"] == .int(shop.coffee) }?["counted"] == .int(9))
            #expect(lines.first { $0["product_id"] == .int(shop.tea) }?["counted"] == .int(5))
            #expect(try await world.stock(store: world.storeA1, product: shop.coffee) == 9)
            #expect(try await world.stock(store: world.storeA1, product: shop.tea) == 5)
            let movements =
                try await client.call(.get, "/api/stock-movements?store_id=\(world.storeA1)&kind=count", as: owner).json()["data"]?.array ?? []
            #expect(movements.count == 2, "one count movement per product that differed")
            #expect(movements.contains { $0["delta"] == .int(9 - coffee) } && movements.contains { $0["delta"] == .int(5 - tea) })
        }
    }

    @Test(
        "a return from the sale page on a phone: a write-off needs its reason, the refund answered shows; the new pages fit and read in both languages"
    )
    func returnOnAPhone() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let owner = try await client.signIn(world.ownerA)
            let shop = try await SupplyShop.make(client, world, owner: owner)
            let vendor = try await client.signIn(world.vendorA1)
            let sold = try await client.call(
                .post, "/api/sales/bulk", as: vendor,
                json: #"{"items": [{"item_id": \#(shop.coffee), "quantity": 3}, {"item_id": \#(shop.tea), "quantity": 2}]}"#)
            let sale = try #require(try sold.json()["sale_id"]?.int, "\(sold.text)")
            let count = try await StockCountPageTests.openCount(client, world, as: try await client.signIn(world.adminA1))
            let coffee = try #require(try await world.stock(store: world.storeA1, product: shop.coffee))
            let tea = try #require(try await world.stock(store: world.storeA1, product: shop.tea))
            let pages = ["/stock-counts", "/stock-counts/\(count)", "/sales/\(sale)", "/reports/valuation"]
            try await WebDriver.session(width: 390, height: 844) { browser in
                try await browser.signIn(at: base, "admin", TestDatabase.ownerPassword)
                let problems = try await PageLookBrowserTests.phoneLook(browser, base: base, pages: pages, languages: ["es", "en"])
                #expect(problems.isEmpty, "\(problems.count) problems:\n\(problems.prefix(30).joined(separator: "\n"))")

                // two coffees back on the shelf, one tea written off: its reason is asked for first
                try await browser.open(base + "/sales/\(sale)")
                try await browser.clear("#return-\(shop.coffee)")
                try await browser.type("#return-\(shop.coffee)", "2")
                try await browser.clear("#return-\(shop.tea)")
                try await browser.type("#return-\(shop.tea)", "1")
                _ = try await browser.script(
                    "const s = document.getElementById('restock-\(shop.tea)'); s.value = 'write_off'; s.dispatchEvent(new Event('change')); return 0")
                try await browser.click("#return-button")
                #expect(try await browser.text("#return-form .form-error") == "“Green tea”: say why it is written off.")
                #expect(try await world.stock(store: world.storeA1, product: shop.coffee) == coffee, "nothing sent without the reason")
                try await browser.type("#reason-\(shop.tea)", "Crushed")
                try await browser.click("#return-button")
                try await browser.waitUntil("!document.getElementById('return-done').hidden")
                #expect(try await browser.text("#return-done") == "Returned. Refund: €23.00", "2 × 9.00 + 5.00")
                let left = "document.querySelector('tr[data-product=\"\(shop.coffee)\"]').dataset.left"
                #expect(try await browser.script("return " + left) as? String == "1")
            }
            #expect(try await world.stock(store: world.storeA1, product: shop.coffee) == coffee + 2)
            #expect(try await world.stock(store: world.storeA1, product: shop.tea) == tea, "written off")
            let returns = try await client.call(.get, "/api/sales/\(sale)/returns", as: owner).jsonArray()
            #expect(returns.count == 1 && [.double(23), .int(23)].contains(returns.first?["refund"]))
        }
    }
}

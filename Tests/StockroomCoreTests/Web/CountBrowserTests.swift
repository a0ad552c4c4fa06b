import BrowserDriver
import Foundation
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Counting the shelves on a 390 px phone in a real Chromium: a burst of scans (a code and Enter typed with no pause,
/// again and again) counted each exactly once, a number typed for another line, the count posted; the stock changes
/// by exactly the differences, checked in the database and through the API.
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
}

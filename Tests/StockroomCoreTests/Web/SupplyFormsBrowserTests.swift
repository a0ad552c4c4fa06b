import BrowserDriver
import Foundation
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Orders and transfers written on the pages, in a real Chromium: the line editor finds products by name or by a
/// scanned code, and what the pages saved is checked through the API.
@Suite("Supply forms in a browser", .serialized)
struct SupplyFormsBrowserTests {
    @Test("a new order written on a phone: one product chosen by name, one scanned twice, a count and a cost typed; a draft, changed, placed")
    func writeAnOrder() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let owner = try await client.signIn(world.ownerA)
            let shop = try await SupplyShop.make(client, world, owner: owner)
            let (coffee, tea) = ("#lines tr[data-product='\(shop.coffee)']", "#lines tr[data-product='\(shop.tea)']")
            try await WebDriver.session(width: 390, height: 844) { browser in
                try await browser.signIn(at: base, "admin", TestDatabase.ownerPassword)
                // a supplier added on its form: a name taken is refused in the reader's words, another is saved
                try await browser.open(base + "/suppliers/new")
                try await browser.type("#supplier-form [name=name]", "norte & <sur>")
                try await browser.type("#supplier-form [name=phone]", "+34 600 000 000")
                try await browser.click("#save")
                try await browser.waitUntil("!document.querySelector('#supplier-form .form-error').hidden")
                #expect(try await browser.text("#supplier-form .form-error") == "A supplier with that name exists.")
                try await browser.clear("#supplier-form [name=name]")
                try await browser.type("#supplier-form [name=name]", "Sur")
                try await browser.click("#save")
                try await browser.waitUntil("location.pathname === '/suppliers' && location.search.includes('saved=1')")
                #expect(
                    try await browser.script("return [...document.querySelectorAll('#suppliers td a')].map((a) => a.textContent)") as? [String] == [
                        "Norte & <Sur>", "Sur",
                    ])
                let listed = try await client.call(.get, "/api/suppliers?search=Sur", as: owner).json()["data"]?.array ?? []
                #expect(listed.map { $0["phone"] }.contains(.string("+34 600 000 000")))

                try await browser.open(base + "/purchase-orders/new")
                try await browser.type("#line-search", "coffee\n")
                try await browser.waitUntil("document.querySelector('#line-results button')")
                try await browser.click("#line-results button")
                try await browser.click("#line-search")
                try await browser.keys(SupplyShop.teaCode + "\n" + SupplyShop.teaCode + "\n")
                try await browser.waitUntil("document.querySelector(\"\(tea) input.qty\")?.value === '2'")
                #expect(try await browser.script("return document.querySelector(\"\(coffee) input.cost\").value") as? String == "4.00")
                try await browser.clear("\(coffee) input.qty")
                try await browser.type("\(coffee) input.qty", "10")
                try await browser.clear("\(coffee) input.cost")
                try await browser.type("\(coffee) input.cost", "3.95")
                let widths = try await browser.script("return [document.documentElement.scrollWidth, screen.width]") as? [Int]
                #expect(widths?.count == 2 && widths![0] <= widths![1], "the order form is \(widths ?? []) px wide")
                try await browser.click("#save")
                try await browser.waitUntil("/^\\/purchase-orders\\/\\d+$/.test(location.pathname) && location.search.includes('saved=1')")
                let id = try #require(Int64((try await browser.script("return location.pathname.split('/').pop()") as? String) ?? ""))
                let draft = try await client.call(.get, "/api/purchase-orders/\(id)", as: owner).json()
                #expect(draft["status"] == .string("draft") && draft["store_id"] == .int(world.storeA1))
                #expect(
                    draft["lines"]?.array.map { [$0["product_id"], $0["quantity"], $0["unit_cost"]] } == [
                        [.int(shop.coffee), .int(10), .double(3.95)], [.int(shop.tea), .int(2), .double(2.5)],
                    ])

                // the draft changed (tea taken off) and placed
                try await browser.click("\(tea) .remove-line")
                try await browser.click("#save")
                try await browser.waitUntil("document.querySelectorAll('#order-lines tbody tr').length === 1")
                _ = try await browser.script("window.confirm = () => true; return 0")
                try await browser.click("#place")
                try await browser.waitUntil("document.querySelector('#order-status')?.textContent === 'awaiting goods'")
                #expect(try await browser.script("return Boolean(document.querySelector('#receive'))") as? Bool == true)
            }
            let placed = try await client.call(.get, "/api/purchase-orders?status=ordered&supplier_id=\(shop.supplier)", as: owner).json()
            #expect(placed["total"] == .int(2), "the shop's order and the one written here: \(placed)")
        }
    }

    @Test("stock sent from the page: no lines and a shortage are refused in the reader's words, with the numbers; then it is on its way")
    func sendStock() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let owner = try await client.signIn(world.ownerA)
            let shop = try await SupplyShop.make(client, world, owner: owner)
            let left = try #require(try await world.stock(store: world.storeA1, product: shop.coffee))
            let quantity = "#lines tr[data-product='\(shop.coffee)'] input.qty"
            try await WebDriver.session { browser in
                try await browser.signIn(at: base, "admina1", ShopWorld.password)
                try await browser.open(base + "/transfers/new")
                try await browser.click("#save")
                #expect(try await browser.text("#transfer-form .form-error") == "Add at least one product.")

                try await browser.type("#line-search", SupplyShop.coffeeCode + "\n")
                try await browser.waitUntil("document.querySelector(\"\(quantity)\")")
                try await browser.clear(quantity)
                try await browser.type(quantity, "50")
                try await browser.click("#save")
                try await browser.waitUntil("document.querySelector(\"\(quantity)\").getAttribute('aria-invalid') === 'true'")
                #expect(try await browser.text("#transfer-form .form-error") == "Not enough stock of “Coffee beans”: 50 asked, \(left) available.")

                try await browser.clear(quantity)
                try await browser.type(quantity, "4")
                try await browser.click("#save")
                try await browser.waitUntil("location.search.includes('saved=1')")
                #expect(try await browser.text("#transfer-status") == "in transit")
            }
            #expect(try await world.stock(store: world.storeA1, product: shop.coffee) == left - 4)
            let coming = try await client.call(.get, "/api/transfers/in-transit?store_id=\(world.storeA2)", as: owner).jsonArray()
            #expect(coming.first { $0["product_id"] == .int(shop.coffee) }?["quantity"] == .int(10), "6 from before and the 4 sent here")
        }
    }
}

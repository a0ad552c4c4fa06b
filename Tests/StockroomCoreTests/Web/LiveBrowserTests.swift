import BrowserDriver
import Foundation
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Two people in two real browsers: a sale at one till shows up live in the other's, then the owner edits a
/// product and transfers stock through the pages.
@Suite("Web UI in two browsers", .serialized)
struct LiveBrowserTests {
    @Test("a sale in one browser raises a low-stock toast in another without reload; edit a product; run a transfer")
    func liveToastEditAndTransfer() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let owner = try await client.signIn(world.ownerA)
            let soap = try await client.createProduct(as: owner, barcode: "SOAP", name: "Soap", quantity: 6, minQuantity: 5, price: 1.2)
            let ownerBrowser = try await WebDriver.start()
            let vendorBrowser: WebDriver
            do { vendorBrowser = try await WebDriver.start() } catch {
                await ownerBrowser.quit()
                throw error
            }
            do {
                // the owner waits on the dashboard with the bell connected
                try await ownerBrowser.signIn(at: base, "admin", TestDatabase.ownerPassword)
                try await ownerBrowser.waitUntil("document.body.dataset.live === 'on'")
                #expect(try await ownerBrowser.script("return document.querySelector('#toasts').children.length") as? Int == 0)
                let unreadBefore =
                    Int(try await ownerBrowser.script("return document.querySelector('#bell-count').textContent") as? String ?? "") ?? -1

                // the vendor sells two at the till: 6 → 4, under the minimum of 5
                try await vendorBrowser.signIn(at: base, "vendora1", ShopWorld.password)
                try await vendorBrowser.open(base + "/till")
                try await vendorBrowser.type("#code", "SOAP*2\n")
                try await vendorBrowser.waitUntil("document.querySelectorAll('#cart tbody tr').length === 1")
                try await vendorBrowser.click("#checkout")
                try await vendorBrowser.waitUntil("!document.querySelector('#receipt').hidden")

                // the owner's page shows it without a reload
                try await ownerBrowser.waitUntil("[...document.querySelectorAll('#toasts .toast')].some(t => t.textContent.includes('Low stock'))")
                #expect(try await ownerBrowser.text("#toasts .toast").contains("Soap is down to 4"))
                #expect(try await ownerBrowser.text("#bell-count") == "\(unreadBefore + 1)", "one more unread")
                #expect(try await ownerBrowser.script("return performance.getEntriesByType('navigation').length") as? Int == 1, "no reload")

                // edit the product's price through its form
                try await ownerBrowser.open(base + "/products/\(soap)?store_id=\(world.storeA1)")
                try await ownerBrowser.clear("input[name=price]")
                try await ownerBrowser.type("input[name=price]", "1.5")
                try await ownerBrowser.click("#save")
                try await ownerBrowser.waitUntil("location.pathname === '/products' && document.querySelector('#saved')")
                #expect(try await ownerBrowser.text("tr[data-barcode=SOAP]").contains("1.50"))

                // transfer three to store A2 from the stock page
                try await ownerBrowser.open(base + "/stock")
                try await ownerBrowser.click("tr[data-barcode=SOAP] details:has(form.transfer) summary")
                try await ownerBrowser.type("tr[data-barcode=SOAP] form.transfer input[name=quantity]", "3")
                try await ownerBrowser.click("tr[data-barcode=SOAP] form.transfer button[type=submit]")
                try await ownerBrowser.waitUntil("document.querySelector('tr[data-barcode=SOAP] .stock')?.textContent === '1'")
                #expect(try await world.stock(store: world.storeA2, product: soap) == 3)
                #expect(try await world.ledgerProblems().mismatches.isEmpty)
            } catch {
                await ownerBrowser.quit()
                await vendorBrowser.quit()
                throw error
            }
            await ownerBrowser.quit()
            await vendorBrowser.quit()
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The valuation page over HTTP: each role and language, the totals per store and in transit in the shop's money, and
/// the CSV link carrying the page's filters.
@Suite("Valuation page")
struct ValuationPageTests {
    @Test(
        "the valuation page for owners and admins in English and Spanish, totals per store and in transit, the CSV with its filters; vendors get 403")
    func valuation() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            _ = try await SupplyShop.make(client, world, owner: owner)
            let admin = try await client.signIn(world.adminA1)
            for session in [owner, admin] {
                let en = try await client.call(.get, "/reports/valuation", as: session, headers: [.acceptLanguage: "en"])
                #expect(en.status == .ok && en.text.contains("<h1>Stock valuation"), "\(en.status)")
                let es = try await client.call(.get, "/reports/valuation", as: session, headers: [.acceptLanguage: "es"])
                #expect(es.status == .ok && es.text.contains("<h1>Valorización del stock"), "\(es.status)")
            }
            #expect(try await client.call(.get, "/reports", as: owner).text.contains(#"href="/reports/valuation""#))

            // A1 holds 14 coffee at 4.00 and 7 tea at 2.50; 6 coffee and 3 tea are on their way to A2
            let page = try await client.call(.get, "/reports/valuation", as: owner).text
            #expect(page.contains(#"<strong id="valuation-value">€105.00</strong>"#), "73.50 + 31.50")
            let a2 = try #require(SupplyPageTests.row(page, attribute: #"data-store="A2""#))
            #expect(SupplyPageTests.cells(a2) == ["0", "€0.00", "9", "€31.50"], "\(a2)")
            #expect(page.contains(#"<option value="\#(world.storeA2)">A2</option>"#))
            let adminPage = try await client.call(.get, "/reports/valuation", as: admin).text
            #expect(adminPage.contains(#"<strong id="valuation-value">€73.50</strong>"#) && !adminPage.contains(#"data-store="A2""#))

            let past = try await client.call(.get, "/reports/valuation?at=2020-01-01&store_id=\(world.storeA2)", as: owner).text
            #expect(past.contains(#"href="/api/export/valuation.csv?at=2020-01-01&amp;store_id=\#(world.storeA2)""#))
            #expect(past.contains(#"value="2020-01-01""#) && past.contains(#"<strong id="valuation-value">€0.00</strong>"#))
            let bad = try await client.call(.get, "/reports/valuation?at=yesterday", as: owner, headers: StaffPageTests.html)
            #expect(bad.status == .badRequest)
            let vendor = try await client.call(.get, "/reports/valuation", as: try await client.signIn(world.vendorA1), headers: StaffPageTests.html)
            #expect(vendor.status == .forbidden)
            let stranger = try await client.call(.get, "/reports/valuation", as: try await client.signIn(world.ownerB)).text
            #expect(!stranger.contains("Coffee"))
        }
    }
}

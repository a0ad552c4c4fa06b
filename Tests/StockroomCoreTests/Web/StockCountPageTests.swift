import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The stock count pages over HTTP: the list and a count for each role and language, another company's or another
/// store's count, and each line's expected, counted and difference as the API recorded them.
@Suite("Stock count pages")
struct StockCountPageTests {
    /// A count of store A1 opened through the API by its admin (coffee and tea: SupplyShop's products).
    static func openCount(_ client: any TestClientProtocol, _ world: ShopWorld, as admin: SignedIn) async throws -> Int64 {
        let opened = try await client.call(.post, "/api/stock-counts", as: admin, json: #"{"note": "Monthly <shelf>"}"#)
        try #require(opened.status == .created, "\(opened.text)")
        return try #require(try opened.json()["id"]?.int)
    }

    @Test("the counts list and a count open for everyone who works in the store, in English and Spanish; only owners and admins open and post")
    func rolesAndLanguages() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            _ = try await SupplyShop.make(client, world, owner: owner)
            let admin = try await client.signIn(world.adminA1)
            let vendor = try await client.signIn(world.vendorA1)
            let count = try await Self.openCount(client, world, as: admin)
            let pages = [("/stock-counts", "<h1>Stock counts", "<h1>Conteos de stock"), ("/stock-counts/\(count)", "Expected", "Esperado")]
            for session in [owner, admin, vendor] {
                for (path, english, spanish) in pages {
                    let en = try await client.call(.get, path, as: session, headers: [.acceptLanguage: "en"])
                    #expect(en.status == .ok && en.text.contains(english) && en.text.contains(#"<html lang="en" "#), "\(path): \(en.status)")
                    let es = try await client.call(.get, path, as: session, headers: [.acceptLanguage: "es"])
                    #expect(es.status == .ok && es.text.contains(spanish) && es.text.contains(#"<html lang="es" "#), "\(path) es: \(es.status)")
                }
                let menu = try await client.call(.get, "/stock", as: session).text
                #expect(menu.contains(#"href="/stock-counts""#), "everyone counts")
            }
            let ownerList = try await client.call(.get, "/stock-counts", as: owner).text
            #expect(ownerList.contains(#"id="open-count""#) && ownerList.contains(#"<option value="\#(world.storeA2)">A2</option>"#))
            #expect(ownerList.contains("Monthly &lt;shelf&gt;") && ownerList.contains(#"<span class="badge open">open</span>"#))
            let adminList = try await client.call(.get, "/stock-counts", as: admin).text
            #expect(
                adminList.contains(#"id="open-count""#) && !adminList.contains(#"<select name="store_id" data-type="number">"#), "their own store")
            #expect(!(try await client.call(.get, "/stock-counts", as: vendor).text.contains(#"id="open-count""#)), "vendors count, not open")

            let counting = try await client.call(.get, "/stock-counts/\(count)", as: vendor).text
            #expect(counting.contains(#"id="scan-code""#) && counting.contains(#"<script src="/assets/counting.js"></script>"#))
            #expect(!counting.contains(#"id="post-count""#), "a vendor neither posts nor abandons")
            let closing = try await client.call(.get, "/stock-counts/\(count)", as: admin).text
            #expect(closing.contains(#"id="post-count""#) && closing.contains(#"id="abandon-count""#))
        }
    }

    @Test("another company's count and another store's are 404 pages; a bad filter is a 400 page")
    func otherCompanyAndStore() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            _ = try await SupplyShop.make(client, world, owner: owner)
            let count = try await Self.openCount(client, world, as: try await client.signIn(world.adminA1))
            let stranger = try await client.signIn(world.ownerB)
            let page = try await client.call(.get, "/stock-counts/\(count)", as: stranger, headers: StaffPageTests.html)
            #expect(page.status == .notFound && page.text.contains("Not found") && !page.text.contains("Coffee"))
            #expect(!(try await client.call(.get, "/stock-counts", as: stranger).text.contains("Monthly")))
            let adminA2 = try await client.signIn(world.adminA2)
            #expect(try await client.call(.get, "/stock-counts/\(count)", as: adminA2, headers: StaffPageTests.html).status == .notFound)
            #expect(!(try await client.call(.get, "/stock-counts", as: adminA2).text.contains("Monthly")))
            let bad = try await client.call(.get, "/stock-counts?status=lost", as: owner, headers: StaffPageTests.html)
            #expect(bad.status == .badRequest && bad.text.contains("status"))
        }
    }

    @Test("a count's lines show expected, counted and the difference; a posted count shows what posting changed and takes no scans")
    func linesAndPosting() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let shop = try await SupplyShop.make(client, world, owner: owner)
            let admin = try await client.signIn(world.adminA1)
            let count = try await Self.openCount(client, world, as: admin)
            for entry in [#"{"barcode": "\#(SupplyShop.coffeeCode)", "add": 1}"#, #"{"product_id": \#(shop.tea), "counted": 12}"#] {
                let sent = try await client.call(.post, "/api/stock-counts/\(count)/lines", as: admin, json: entry)
                #expect(sent.status == .ok, "\(sent.text)")
            }
            let page = try await client.call(.get, "/stock-counts/\(count)", as: admin).text
            let coffee = try #require(SupplyPageTests.row(page, barcode: SupplyShop.coffeeCode))
            #expect(coffee.contains(#"class="short""#) && coffee.contains(#"value="1""#) && coffee.contains(">-13<"), "\(coffee)")
            let tea = try #require(SupplyPageTests.row(page, barcode: SupplyShop.teaCode))
            #expect(tea.contains(#"class="over""#) && tea.contains(#"value="12""#) && tea.contains(">+5<"), "\(tea)")
            #expect(page.contains(#"<span id="counted-lines">2</span> / 2"#))

            let posted = try await client.call(.post, "/api/stock-counts/\(count)/post", as: admin)
            #expect(posted.status == .ok, "\(posted.text)")
            let done = try await client.call(.get, "/stock-counts/\(count)", as: admin, headers: [.acceptLanguage: "es"]).text
            #expect(done.contains(#"<span class="badge posted" id="count-status">registrado</span>"#))
            #expect(!done.contains(#"id="scan-code""#) && !done.contains("counting.js") && !done.contains(#"id="post-count""#))
            #expect(Self.cells(try #require(SupplyPageTests.row(done, barcode: SupplyShop.teaCode))) == ["7", "12", "+5", "+5"])
            let list = try await client.call(.get, "/stock-counts?status=open", as: owner).text
            #expect(!list.contains(#"data-count="\#(count)""#))
        }
    }

    /// The text of a row's numeric cells, in order.
    static func cells(_ row: String) -> [String] {
        row.matches(of: /<td class="num[^"]*">([^<]*)/).map { String($0.output.1).trimmingCharacters(in: .whitespaces) }
    }
}

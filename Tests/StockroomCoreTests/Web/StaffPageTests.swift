import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Every staff page over HTTP: what each role sees and may do, error pages, and that pages show the API's data.
@Suite("Staff pages by role")
struct StaffPageTests {
    static let html: HTTPFields = [.accept: "text/html,application/xhtml+xml"]

    @Test("products, stock, movements and sales pages show the shop's data to an owner, with the actions an owner has")
    func ownerPages() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let coffee = try await client.createProduct(
                as: owner, barcode: "COFFEE", name: "Coffee & <Beans>", quantity: 3, minQuantity: 5, price: 2.5)
            let sold = try await client.call(.post, "/api/sales/bulk", as: owner, json: #"{"items": [{"item_id": \#(coffee), "quantity": 2}]}"#)
            #expect(sold.status == .created)
            guard case .int(let saleID)? = try sold.json()["sale_id"] else {
                Issue.record("no sale id: \(sold.text)")
                return
            }

            let products = try await client.call(.get, "/products?search=coffee", as: owner).text
            #expect(products.contains("Coffee &amp; &lt;Beans&gt;") && products.contains(#"class="num stock low">1<"#))
            #expect(
                products.contains(#"href="/products/new?store_id=\#(world.storeA1)""#)
                    && products.contains(#"data-api="/api/products/\#(coffee)" data-method="DELETE""#))
            #expect(products.contains(#"<option value="\#(world.storeA2)">A2</option>"#), "owners pick the store")

            let form = try await client.call(.get, "/products/\(coffee)?store_id=\(world.storeA1)", as: owner).text
            #expect(
                form.contains(#"data-api="/api/products/\#(coffee)?store_id=\#(world.storeA1)" data-method="PUT""#) && form.contains(#"value="2.50""#)
            )

            let stock = try await client.call(.get, "/stock", as: owner).text
            #expect(
                stock.contains(#"data-api="/api/store-inventory/transfer""#)
                    && stock.contains(#"data-api="/api/store-inventory/stock" data-method="PATCH""#))
            #expect(Self.transferDestinations(stock) == ["A2"], "the other store is where stock can go")
            // an admin sends from their own store to any other of the company's
            let adminStock = try await client.call(.get, "/stock", as: try await client.signIn(world.adminA1)).text
            #expect(Self.transferDestinations(adminStock) == ["A2"])
            let page = try await client.call(.get, "/stock", as: owner)
            #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)

            let movements = try await client.call(.get, "/stock/movements?product_id=\(coffee)", as: owner).text
            #expect(
                movements.contains("Opening stock") && movements.contains("<td class=\"num\">-2</td>")
                    && movements.contains("Coffee &amp; &lt;Beans&gt;"))
            #expect(movements.contains(#"href="/api/export/stock-movements.csv?product_id=\#(coffee)""#), "the download keeps the filter")

            let sales = try await client.call(.get, "/sales", as: owner).text
            #expect(sales.contains(#"<a href="/sales/\#(saleID)">"#) && sales.contains("5.00"))
            #expect(sales.contains(#"href="/api/export/sales.csv""#))
            let filtered = try await client.call(.get, "/sales?product=Caf%C3%A9%20%26%20co&page=2", as: owner).text
            #expect(filtered.contains(#"href="/api/export/sales.csv?product=Caf%C3%A9%20%26%20co""#), "filters kept, paging dropped")
            let sale = try await client.call(.get, "/sales/\(saleID)", as: owner).text
            #expect(
                sale.contains(#"id="edit-sale""#) && sale.contains(#"name="items[0].quantity""#)
                    && sale.contains(#"data-api="/api/sales/\#(saleID)/void""#))
        }
    }

    /// The store names offered in the first transfer form of a stock page.
    static func transferDestinations(_ html: String) -> [String] {
        guard let form = html.range(of: #"<form class="stack transfer""#), let end = html[form.upperBound...].range(of: "</form>") else { return [] }
        return html[form.upperBound..<end.lowerBound].matches(of: /<option value="\d+">([^<]*)<\/option>/).map { String($0.output.1) }
    }

    @Test("products archived in a store are listed apart and restored there")
    func archiveAndRestore() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let soap = try await client.createProduct(as: owner, barcode: "SOAP", name: "Soap", quantity: 2)
            #expect(try await client.call(.delete, "/api/products/\(soap)?storeId=\(world.storeA1)", as: owner).status == .ok)
            #expect(!(try await client.call(.get, "/products", as: owner).text.contains("data-barcode=\"SOAP\"")))
            let archived = try await client.call(.get, "/products?view_mode=archived", as: owner).text
            #expect(
                archived.contains("data-barcode=\"SOAP\"")
                    && archived.contains(#"data-api="/api/products/\#(soap)/activate?storeId=\#(world.storeA1)""#))
            #expect(try await client.call(.post, "/api/products/\(soap)/activate?storeId=\(world.storeA1)", as: owner).status == .ok)
            #expect(try await client.call(.get, "/products", as: owner).text.contains("data-barcode=\"SOAP\""))
        }
    }

    @Test("a vendor sees lists without management actions and gets a 403 page for management pages")
    func vendorPages() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let tea = try await client.createProduct(as: owner, barcode: "TEA", name: "Tea", quantity: 4)
            let vendor = try await client.signIn(world.vendorA1)
            let sold = try await client.call(.post, "/api/sales/bulk", as: vendor, json: #"{"items": [{"item_id": \#(tea), "quantity": 1}]}"#)
            guard case .int(let saleID)? = try sold.json()["sale_id"] else {
                Issue.record("no sale id: \(sold.text)")
                return
            }

            let products = try await client.call(.get, "/products", as: vendor).text
            #expect(products.contains("Tea") && !products.contains("/products/new") && !products.contains("data-api"))
            let stock = try await client.call(.get, "/stock", as: vendor).text
            #expect(stock.contains("Tea") && !stock.contains("data-api"))
            let sale = try await client.call(.get, "/sales/\(saleID)", as: vendor).text
            #expect(sale.contains("Tea") && !sale.contains("edit-sale"))
            let nav = try await client.call(.get, "/till", as: vendor).text
            #expect(!nav.contains(#"href="/users""#) && !nav.contains(#"href="/reports""#))

            for path in ["/products/new", "/products/\(tea)"] {
                let refused = try await client.call(.get, path, as: vendor, headers: Self.html)
                #expect(refused.status == .forbidden && refused.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                #expect(refused.text.contains("Your role cannot open this page"), "\(path)")
            }
        }
    }

    @Test("errors are pages for browsers: a bad filter, another company's sale, an unknown address; visitors sign in first")
    func errorPages() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let tea = try await client.createProduct(as: owner, barcode: "TEA", name: "Tea", quantity: 4)
            let sold = try await client.call(.post, "/api/sales/bulk", as: owner, json: #"{"items": [{"item_id": \#(tea), "quantity": 1}]}"#)
            guard case .int(let saleID)? = try sold.json()["sale_id"] else {
                Issue.record("no sale id: \(sold.text)")
                return
            }

            let bad = try await client.call(.get, "/products?view_mode=bogus", as: owner, headers: Self.html)
            #expect(bad.status == .badRequest && bad.text.contains("Check what you sent") && bad.text.contains("view_mode"))
            let spanish = try await client.call(.get, "/products?view_mode=bogus", as: owner, headers: Self.html.merging([.acceptLanguage: "es"]))
            #expect(
                spanish.text.contains("Revisa el filtro «view_mode».") && spanish.text.contains("<small>Query parameter"),
                "the reader's language first, the API's exact words beneath")
            #expect(spanish.text.contains(#"data-insufficient_stock="No hay stock suficiente para eso.""#), "the page's script has the same words")
            let otherCompany = try await client.call(.get, "/sales/\(saleID)", as: try await client.signIn(world.ownerB), headers: Self.html)
            #expect(otherCompany.status == .notFound && otherCompany.text.contains("Not found") && !otherCompany.text.contains("Tea"))
            let unknown = try await client.execute(uri: "/no-such-page", method: .get, headers: Self.html)
            #expect(unknown.status == .notFound && unknown.headers[.contentType] == "text/html; charset=utf-8")
            let api = try await client.execute(uri: "/api/no-such-thing", method: .get, headers: Self.html)
            #expect(api.status == .notFound && api.headers[.contentType] == "application/json; charset=utf-8", "the API always answers JSON")

            let visitor = try await client.execute(uri: "/sales?from=2026-01-01", method: .get)
            #expect(visitor.status == .found && visitor.headers[.location] == "/login?next=/sales%3Ffrom%3D2026-01-01")
            for back in ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "/%0D%0A/evil.example"] {
                let response = try await client.execute(uri: "/language/en?back=" + back, method: .get)
                #expect(response.headers[.location] == "/", "back=\(back)")
            }
            let login = try await client.execute(uri: "/login?next=/sales", method: .get).text
            #expect(login.contains(#"<input type="hidden" name="next" value="/sales">"#))
            let password = TestDatabase.ownerPassword.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            for (next, landing) in [
                ("%2Fsales", "/sales"), ("%2F%2Fevil.example", "/"), ("https%3A%2F%2Fevil.example", "/"),
                ("%2F%09%2Fevil.example", "/"), ("%2F%0A%2Fevil.example", "/"), ("%2F%5Cevil.example", "/"), ("%2F%5C%5Cevil.example", "/"),
            ] {
                let signedIn = try await client.execute(
                    uri: "/login", method: .post, headers: PageTests.form,
                    body: ByteBuffer(string: "username=admin&password=\(password)&next=\(next)"))
                #expect(signedIn.headers[.location] == landing, "next=\(next)")
            }
        }
    }
}

/// The people and company pages: users and registrations, settings (language), stores, audit, notifications, import.
@Suite("Staff pages for people and the company")
struct AccountPageTests {
    @Test("an owner reviews a registration and manages users; an admin offers only the vendor role")
    func users() async throws {
        try await ShopWorld.run { client, world in
            let registered = try await client.call(
                .post, "/api/register", as: nil, json: #"{"username": "newbie", "email": "newbie@example.com", "password": "password-123"}"#)
            #expect(registered.status == .created)
            let owner = try await client.signIn(world.ownerA)
            let page = try await client.call(.get, "/users", as: owner).text
            #expect(page.contains("newbie@example.com") && page.contains(#"/api/applications/"#) && page.contains(#"data-username="vendora1""#))
            #expect(page.contains(#"<option value="owner">owner</option>"#))
            // the pending account is reviewed as a registration, not switched on from the list
            let row = try #require(
                page.components(separatedBy: #"<tr data-username="newbie">"#).dropFirst().first?.components(separatedBy: "</tr>").first)
            #expect(row.contains(##"<a href="#applications">Review the registration</a>"##) && !row.contains(#"{"status":"active"}"#), "\(row)")
            let admin = try await client.signIn(world.adminA1)
            let adminPage = try await client.call(.get, "/users?page=2", as: admin).text
            #expect(!adminPage.contains(#"<option value="owner">"#) && adminPage.contains(#"<option value="vendor">vendor</option>"#))
            #expect(adminPage.contains("newbie@example.com"), "registrations are listed whatever page the users list is on")
            let firstPage = try await client.call(.get, "/users", as: admin).text
            #expect(
                Self.hasActions(firstPage, "vendora1") && !Self.hasActions(firstPage, "admin") && !Self.hasActions(firstPage, "admina1"),
                "an admin manages the store's vendors only")
            #expect(try await client.call(.get, "/users", as: try await client.signIn(world.vendorA1)).status == .forbidden)
            let visitor = try await client.execute(uri: "/register", method: .get)
            #expect(visitor.status == .ok && String(buffer: visitor.body).contains(#"data-api="/api/register""#))
        }
    }

    /// Whether the users list offers edit actions on `username`'s row.
    static func hasActions(_ html: String, _ username: String) -> Bool {
        guard let row = html.range(of: "data-username=\"\(username)\""), let end = html[row.upperBound...].range(of: "</tr>") else { return false }
        return html[row.upperBound..<end.lowerBound].contains("data-api")
    }

    @Test("a CSV whose columns are not recognised is previewed, mapped, previewed again and imported")
    func importMapping() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            var headers = owner.headers
            headers[.contentType] = "text/csv"
            let upload = try await client.execute(
                uri: "/api/import/products", method: .post, headers: headers,
                body: ByteBuffer(string: "Artikel;Preis EUR;Menge\nKaffee;2,50;4\nTee;1,75;3\n"))
            #expect(upload.status == .created, "\(upload.text)")
            let preview = try upload.json()
            #expect(preview["missing"] == .array([.string("name"), .string("price")]) && preview["valid"] == .int(0))
            guard case .int(let id)? = try upload.json()["id"] else {
                Issue.record("no import id: \(upload.text)")
                return
            }
            let early = try await client.call(.post, "/api/import/products/\(id)/confirm", as: owner)
            #expect(early.status == .badRequest && early.text.contains("missing_columns"), "nothing to import without the columns")
            let mapping = #"{"mapping": {"Artikel": "name", "Preis EUR": "price", "Menge": "quantity"}}"#
            let mapped = try await client.call(.post, "/api/import/products/\(id)/preview", as: owner, json: mapping)
            let again = try mapped.json()
            #expect(mapped.status == .ok && again["valid"] == .int(2) && again["missing"] == .array([]), "\(mapped.text)")
            let done = try await client.call(.post, "/api/import/products/\(id)/confirm", as: owner, json: mapping)
            let imported = try done.json()
            #expect(done.status == .ok && imported["created"] == .int(2), "\(done.text)")
            #expect(try await client.call(.get, "/api/products?search=kaffee", as: owner).text.contains(#""price":2.5"#))
        }
    }

    @Test("the language setting is kept per person and wins over the browser; the header switch wins on its browser")
    func languageSetting() async throws {
        try await ShopWorld.run { client, world in
            let vendor = try await client.signIn(world.vendorA1)
            let english = try await client.call(.get, "/settings", as: vendor, headers: [.acceptLanguage: "en"]).text
            #expect(english.contains(#"<html lang="en" "#) && english.contains(#"<option value="" selected>As my browser</option>"#))
            let saved = try await client.call(.put, "/api/settings/language", as: vendor, json: #"{"language": "es"}"#)
            #expect(saved.status == .ok && saved.text.contains(#""language":"es""#))
            let spanish = try await client.call(.get, "/till", as: vendor, headers: [.acceptLanguage: "en"]).text
            #expect(spanish.contains(#"<html lang="es" "#) && spanish.contains("Cobrar"))
            let switched = try await client.call(
                .get, "/till", as: vendor, headers: [.cookie: "\(Authenticator.cookieName)=\(vendor.cookie); stockroom_lang=en"]
            ).text
            #expect(switched.contains(#"<html lang="en" "#))
            let other = try await client.signIn(world.vendorA2)
            #expect(
                try await client.call(.get, "/till", as: other, headers: [.acceptLanguage: "en"]).text.contains(#"<html lang="en" "#),
                "one person's setting only")
            let bad = try await client.call(.put, "/api/settings/language", as: vendor, json: #"{"language": "fr"}"#)
            #expect(bad.status == .badRequest && bad.text.contains(#""field":"language""#))
            #expect(try await client.call(.put, "/api/settings/language", as: vendor, json: #"{"language": null}"#).status == .ok)
            #expect(try await client.call(.get, "/till", as: vendor, headers: [.acceptLanguage: "en"]).text.contains(#"<html lang="en" "#))
        }
    }

    @Test("stores, audit, notifications and import pages")
    func companyPages() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let tea = try await client.createProduct(as: owner, barcode: "TEA", name: "Tea", quantity: 1, minQuantity: 2)
            #expect(try await client.call(.put, "/api/products/\(tea)", as: owner, json: #"{"name": "Green <tea>"}"#).status == .ok)
            let stores = try await client.call(.get, "/stores", as: owner).text
            #expect(
                stores.contains(#"data-api="/api/stores/\#(world.storeA2)""#)
                    && stores.contains(#"data-api="/api/stores/deactivate/\#(world.storeA2)""#))
            let audit = try await client.call(.get, "/audit?action=product_updated", as: owner).text
            #expect(audit.contains("<code>name</code>: Tea → Green &lt;tea&gt;"))
            let sent = try await client.call(
                .post, "/api/notifications/create", as: owner,
                json: #"""
                    {"user_id": \#(world.ownerA.id), "title": "Count <today>", "message": "Count the shelves", "action_url": "/stock?store_id=\#(world.storeA1)"}
                    """#)
            #expect(sent.status == .created)
            _ = try await client.call(
                .post, "/api/notifications/create", as: owner,
                json: #"{"user_id": \#(world.ownerA.id), "title": "Away", "message": "Elsewhere", "action_url": "https://evil.example/x"}"#)
            let notes = try await client.call(.get, "/notifications", as: owner).text
            #expect(
                notes.contains("<strong>Count &lt;today&gt;</strong>") && notes.contains(#"<a href="/stock?store_id=\#(world.storeA1)">Open</a>"#))
            #expect(notes.contains("Elsewhere") && !notes.contains("evil.example"), "links only inside the site")
            // older notifications page by page, newest first
            let first = try await client.call(.get, "/notifications?limit=1", as: owner).text
            #expect(first.components(separatedBy: #"<li class="note"#).count == 2 && first.contains("Elsewhere"))
            #expect(first.contains(#"href="/notifications?limit=1&amp;offset=1" rel="next""#) && !first.contains(#"rel="prev""#))
            let second = try await client.call(.get, "/notifications?limit=1&offset=1", as: owner).text
            #expect(second.contains("Count &lt;today&gt;") && !second.contains("Elsewhere") && second.contains(#"rel="prev""#))
            let importPage = try await client.call(.get, "/import", as: owner).text
            #expect(
                importPage.contains(#"<script src="/assets/import.js"></script>"#)
                    && importPage.contains(#"<option value="min_quantity">Minimum stock</option>"#))
            let admin = try await client.signIn(world.adminA1)
            #expect(try await client.call(.get, "/stores", as: admin).status == .forbidden)
            #expect(try await client.call(.get, "/audit", as: admin).status == .forbidden)
        }
    }
}

import BrowserDriver
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The tools for the people who run the shop, in a real Chromium: API tokens on the settings page, the API page,
/// the import's progress, the CSV downloads with the list's filters, and the label sheet. On a desktop in English
/// and on a 390 px phone in Spanish.
@Suite("Owner tools in a browser", .serialized)
struct OwnerToolsBrowserTests {
    @Test("desktop, English: /api/docs lists every operation of the document; a 5,000-row import counts up to 100 %; labels draw EAN-13")
    func docsImportAndLabels() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let owner = try await client.signIn(world.ownerA)
            let ean = try await client.createProduct(as: owner, barcode: "4006381333931", name: "Green tea", quantity: 4, price: 1234.5)
            let plain = try await client.createProduct(as: owner, barcode: "TEA-LOOSE", name: "Loose tea", quantity: 2, price: 3)
            // A product without a barcode gets one of Stockroom's in-store codes, which are EAN-13.
            let made = try await client.call(.post, "/api/products", as: owner, json: #"{"name": "Bread", "price": 2}"#).json()
            guard case .int(let bread)? = made["id"], case .string(let breadCode)? = made["barcode"] else {
                throw ClusterError("no product: \(made)")
            }
            let directory = FileManager.default.temporaryDirectory.appending(path: "stockroom-tools-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appending(path: "catalog.csv")
            let rows = 5000
            try Data(("barcode,name,price,quantity\n" + (1...rows).map { "IMP\($0),Item \($0),1.5,3\n" }.joined()).utf8).write(to: file)

            try await WebDriver.session { browser in
                // The API page needs no sign-in, like the document it draws.
                try await browser.open(base + "/api/docs")
                try await browser.waitUntil("document.body.dataset.apiDocs === 'ready'")
                let drawn =
                    try await browser.script("return [...document.querySelectorAll('.api-op')].map(op => op.dataset.method + ' ' + op.dataset.path)")
                    as? [String] ?? []
                let documented = try OpenAPI.shared().operations.map(\.key)
                #expect(Set(drawn) == Set(documented) && drawn.count == documented.count, "missing: \(Set(documented).subtracting(drawn))")
                #expect(try await browser.text("#op-exportStock .api-summary") == "One store's stock levels as CSV")
                // parameters, a resolved $ref with its properties, and responses are on the page
                #expect(try await browser.text("#op-getProductImportProgress .api-ref") == "ImportProgress")
                let fields = try await browser.script(
                    "return [...document.querySelector('#op-getProductImportProgress .api-props').children].map(li => li.querySelector('code').textContent)"
                )
                #expect(fields as? [String] == ["id", "status", "rows_done", "rows", "percent"])
                // the filter narrows the list; a deep link goes to its operation
                try await browser.type("#api-filter", "stock.csv")
                #expect(
                    try await browser.script("return [...document.querySelectorAll('.api-op')].filter(op => !op.hidden).map(op => op.id)")
                        as? [String] == ["op-exportStock"])
                #expect(try await browser.text("#api-count") == "1 operations")
                try await browser.open(base + "/api/docs#op-createToken")
                try await browser.waitUntil("document.body.dataset.apiDocs === 'ready'")
                #expect(try await browser.script("return document.querySelector(':target')?.id") as? String == "op-createToken")

                try await browser.signIn(at: base, "admin", TestDatabase.ownerPassword)
                // The import: the page follows rows done while the confirm runs, and ends at 100 %.
                try await browser.open(base + "/import")
                try await browser.type("#file", file.path)
                try await browser.click("#preview-button")
                try await browser.waitUntil("!document.querySelector('#mapping-card').hidden", giveUpAfter: .seconds(30))
                try await browser.script(
                    """
                    window.seen = [];
                    new MutationObserver(() => window.seen.push(document.querySelector('#import-bar').value))
                      .observe(document.querySelector('#import-percent'), { childList: true, characterData: true, subtree: true });
                    """)
                try await browser.click("#confirm")
                try await browser.waitUntil("!document.querySelector('#done').hidden", giveUpAfter: .seconds(60))
                #expect(try await browser.text("#import-percent") == "5000 of 5000 rows (100 %)")
                #expect(try await browser.script("return document.querySelector('#import-bar').value") as? Int == 100)
                let seen = try await browser.script("return window.seen") as? [Int] ?? []
                #expect(seen.contains { $0 > 0 && $0 < 100 }, "a percentage between 0 and 100 was shown while the import ran: \(seen)")
                #expect(seen == seen.sorted(), "the percentage never goes back: \(seen)")
                #expect(try await client.call(.get, "/api/products?search=IMP4999", as: owner).json()["total"] == .int(1))

                // Labels: ticked on the products page, one per product, the EAN-13 ones drawn as bars.
                try await browser.open(base + "/products?search=tea")
                for id in [ean, plain] { try await browser.click(".label-choice[value='\(id)']") }
                try await browser.click("#print-labels")
                try await browser.waitUntil("location.pathname === '/labels'")
                #expect(try await browser.script("return document.querySelectorAll('#labels .label').length") as? Int == 2)
                let green =
                    try await browser.script("return document.querySelector('.label[data-product=\"\(ean)\"] svg')?.dataset.modules") as? String
                #expect(green == EAN13("4006381333931")?.modules)
                #expect(try await browser.text(".label[data-product='\(ean)'] .label-price") == "€1,234.50")
                #expect(try await browser.script("return document.querySelector('.label[data-product=\"\(plain)\"] svg')") is NSNull)
                #expect(try await browser.text(".label[data-product='\(plain)'] .label-code") == "TEA-LOOSE")
                // Letter paper, and Stockroom's own in-store code drawn as EAN-13
                try await browser.open(base + "/labels?id=\(bread)&paper=letter")
                #expect(try await browser.script("return document.querySelector('#labels').className") as? String == "label-sheet letter")
                let breadBars = try await browser.script("return document.querySelector('.label svg')?.dataset.modules") as? String
                #expect(breadBars != nil && breadBars == EAN13(breadCode)?.modules, "\(breadCode)")
            }
            // A bad choice is a 400 naming it; another company's product is not found.
            #expect(try await client.call(.get, "/labels?id=abc", as: owner, headers: StaffPageTests.html).status == .badRequest)
            let none = try await client.call(.get, "/labels?store_id=\(world.storeA1)", as: owner, headers: StaffPageTests.html)
            #expect(none.status == .badRequest && none.text.contains("Tick at least one product on the products page, then Print labels."))
            #expect(try await client.call(.get, "/labels?id=\(ean)&paper=a5", as: owner, headers: StaffPageTests.html).status == .badRequest)
            let stranger = try await client.signIn(world.ownerB)
            #expect(try await client.call(.get, "/labels?id=\(ean)", as: stranger, headers: StaffPageTests.html).status == .notFound)
        }
    }

    @Test("390 px, Spanish: a token made in the settings works once shown and stops at revoke; products and stock download CSV as filtered")
    func tokensAndDownloadsOnAPhone() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let owner = try await client.signIn(world.ownerA)
            _ = try await client.createProduct(as: owner, barcode: "TEA1", name: "Té verde", quantity: 1, minQuantity: 5)
            _ = try await client.createProduct(as: owner, barcode: "TEA2", name: "Té negro", quantity: 9, minQuantity: 5)
            _ = try await client.createProduct(as: owner, barcode: "SOAP", name: "Jabón", quantity: 2, minQuantity: 5)
            _ = try await client.createProduct(as: owner, barcode: "MATE", name: "Mate", quantity: 3, minQuantity: 2, storeID: world.storeA2)
            try await WebDriver.session(width: 390, height: 844) { browser in
                try await browser.signIn(at: base, "admin", TestDatabase.ownerPassword)
                try await browser.open(base + "/language/es?back=/settings")
                try await browser.waitUntil("document.documentElement.lang === 'es' && document.querySelector('#token-form')")
                #expect(try await browser.text("#no-tokens") == "No tienes tokens de la API.")
                try await browser.type("#token-name", "Exportación nocturna")
                try await browser.click("#create-token")
                try await browser.waitUntil("!document.querySelector('#new-token').hidden")
                #expect(try await browser.text("#new-token strong") == "Copia este token ahora: no volverás a verlo.")
                let token = try await browser.text("#new-token-value")
                #expect(token.hasPrefix("sr_"))
                #expect(
                    try await browser.script("return document.querySelector('#tokens tbody tr td:nth-child(4)').textContent") as? String == "Nunca")
                #expect(try await browser.script("return document.documentElement.scrollWidth") as? Int ?? 0 <= 390, "the settings fit a phone")
                let me = try await client.execute(uri: "/api/me", method: .get, headers: [.authorization: "Bearer \(token)"])
                let username = try me.json()["username"]
                #expect(me.status == .ok && username == .string("admin"))
                // listed after a reload, the secret never again
                try await browser.open(base + "/settings")
                #expect(try await browser.text("#tokens tbody tr td:first-child") == "Exportación nocturna")
                #expect(try await browser.script("return document.body.innerHTML.includes(\(Self.quoted(token)))") as? Bool == false)
                let lastUsed = try await browser.script("return document.querySelector('#tokens tbody tr td:nth-child(4)').textContent") as? String
                #expect(lastUsed != "Nunca" && lastUsed?.isEmpty == false, "the call with the token is its last use: \(lastUsed ?? "")")
                try await browser.script("window.confirm = (question) => { window.asked = question; return true; }")
                try await browser.click(".revoke-token")
                try await browser.waitUntil("!document.querySelector('#token-revoked').hidden")
                #expect(
                    try await browser.script("return window.asked") as? String
                        == "¿Revocar el token «Exportación nocturna»? Los scripts que lo usan dejan de funcionar de inmediato.")
                #expect(try await browser.script("return document.querySelectorAll('#tokens tbody tr').length") as? Int == 0)
                let after = try await client.execute(uri: "/api/me", method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(after.status == .unauthorized)
                #expect(try await client.call(.get, "/api/tokens", as: owner).json()["total"] == .int(0))

                // Products: the downloads carry the filters on screen, and the file holds only what they leave.
                try await browser.open(base + "/products?search=t%C3%A9&view_mode=low_stock")
                let links = try await browser.script(
                    "return [...document.querySelectorAll('#export-csv, #export-excel')].map(a => a.getAttribute('href'))")
                #expect(
                    links as? [String] == [
                        "/api/export/products.csv?search=t%C3%A9&view_mode=low_stock",
                        "/api/export/products.csv?search=t%C3%A9&view_mode=low_stock&bom=1",
                    ])
                #expect(try await browser.text("#export-excel") == "CSV para Excel")
                #expect(try await browser.script("return document.documentElement.scrollWidth") as? Int ?? 0 <= 390, "the products page fits a phone")
                let products = try await download(browser, "#export-csv")
                #expect(Self.lines(products).dropFirst().map { String($0.prefix(5)) } == ["TEA1,"], "\(products)")
                let excel = try await download(browser, "#export-excel", bytes: true)
                #expect(excel.hasPrefix("239,187,191,"), "the Excel file starts with the byte-order mark")

                // Stock of another store, low ones only
                try await browser.open(base + "/stock?store_id=\(world.storeA2)&view_mode=low_stock")
                #expect(
                    try await browser.script("return document.querySelector('#export-csv').getAttribute('href')") as? String
                        == "/api/export/stock.csv?store_id=\(world.storeA2)&view_mode=low_stock")
                let empty = try await download(browser, "#export-csv")
                #expect(empty == "store_id,product_id,barcode,name,stock,min_stock,low\r\n", "\(empty)")
                try await browser.open(base + "/stock?view_mode=low_stock")
                let low = try await download(browser, "#export-csv")
                #expect(Self.lines(low).dropFirst().map { $0.split(separator: ",")[2] } == ["SOAP", "TEA1"], "\(low)")
                #expect(low.contains(",Té verde,1,5,yes"), "\(low)")

                // The API page in Spanish, on the phone: every operation drawn, nothing wider than the screen.
                try await browser.open(base + "/api/docs")
                try await browser.waitUntil("document.body.dataset.apiDocs === 'ready'")
                #expect(try await browser.text("h1").hasPrefix("Documentación de la API"))
                #expect(try await browser.text("#api-count") == "\(try OpenAPI.shared().operations.count) operaciones")
                #expect(try await browser.script("return document.documentElement.scrollWidth") as? Int ?? 0 <= 390, "the API page fits a phone")

                // A password change revokes the person's tokens: the list empties with it, and a token still shown
                // leaves the page (last: the change may end the test's other sessions).
                try await browser.open(base + "/settings")
                try await browser.type("#token-name", "Hoja de cálculo")
                try await browser.click("#create-token")
                try await browser.waitUntil("!document.querySelector('#new-token').hidden")
                try await browser.type("#password-form [name=current_password]", TestDatabase.ownerPassword)
                try await browser.type("#password-form [name=new_password]", "another-password-2")
                try await browser.type("#password-form [name=confirm_password]", "another-password-2")
                try await browser.click("#password-form [type=submit]")
                try await browser.waitUntil("!document.querySelector('#password-form .form-done').hidden")
                #expect(try await browser.script("return document.querySelectorAll('#tokens tbody tr').length") as? Int == 0)
                #expect(
                    try await browser.script(
                        "return document.querySelector('#new-token').hidden && !document.querySelector('#new-token-value').textContent") as? Bool
                        == true)
                #expect(try await browser.script("return document.querySelector('#no-tokens').hidden") as? Bool == false)
            }
            // The stock download keeps to the caller's store, like the stock page.
            let admin = try await client.signIn(world.adminA1)
            #expect(try await client.call(.get, "/api/export/stock.csv?store_id=\(world.storeA2)", as: admin).status == .forbidden)
            #expect(try await client.call(.get, "/api/export/stock.csv?view_mode=sideways", as: admin).status == .badRequest)
            let stranger = try await client.signIn(world.ownerB)
            #expect(
                try await client.call(.get, "/api/export/stock.csv", as: stranger).text == "store_id,product_id,barcode,name,stock,min_stock,low\r\n")
        }
    }

    /// What the link `selector` downloads, fetched by the page itself (its session): text, or the first bytes.
    private func download(_ browser: WebDriver, _ selector: String, bytes: Bool = false) async throws -> String {
        try await browser.script(
            """
            window.downloaded = undefined;
            fetch(document.querySelector('\(selector)').href).then(r => r.arrayBuffer()).then(b => {
              window.downloaded = \(bytes ? "[...new Uint8Array(b).slice(0, 8)].join(',')" : "new TextDecoder().decode(b)");
            });
            """)
        try await browser.waitUntil("window.downloaded !== undefined")
        return try await browser.script("return window.downloaded") as? String ?? ""
    }

    /// A CSV download's lines (the exports end each with CRLF, which Swift reads as one character).
    static func lines(_ text: String) -> [Substring] {
        text.split(whereSeparator: \.isNewline)
    }

    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}

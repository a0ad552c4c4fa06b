import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Automatic notifications are stored as English text plus a key and its values, and each reader gets them in
/// their own language (cookie, setting, Accept-Language, else English).
@Suite("Notifications in the reader's language")
struct NotificationLanguageTests {
    static let spanish: HTTPFields = [.acceptLanguage: "es-MX,es;q=0.9"]
    static let english: HTTPFields = [.acceptLanguage: "en"]

    @Test(
        "low stock and sales read in each reader's language, name the store and the bill number, and link a page a vendor may open",
        arguments: Engine.allCases)
    func readersLanguage(engine: Engine) async throws {
        try await ShopWorld.run(engine, live: true) { client, world, _ in
            let port = try #require(client.port)
            let owner = try await client.signIn(world.ownerA)
            let admin = try await client.signIn(world.adminA1)
            let vendor = try await client.signIn(world.vendorA1)
            let otherVendor = try await client.signIn(world.vendorA2)
            #expect(try await client.call(.put, "/api/settings/language", as: vendor, json: #"{"language": "es"}"#).status == .ok)
            #expect(try await client.call(.put, "/api/settings/language", as: owner, json: #"{"language": "en"}"#).status == .ok)
            let storeA1 = try await storeName(world.storeA1, world)
            let storeA2 = try await storeName(world.storeA2, world)

            // a sale in the other store first: sale ids and store A1's bill numbers differ from then on
            _ = try await client.createProduct(as: owner, barcode: "ELSE", name: "Elsewhere", quantity: 5, storeID: world.storeA2)
            #expect(try await client.call(.post, "/api/sales", as: otherVendor, json: #"{"barcode": "ELSE", "quantity": 1}"#).status == .created)
            // a name the pages must escape and a barcode the link must encode; the sale takes 5 to 2, under the minimum of 3
            let name = "Soap <b> & Co"
            let soap = try await client.createProduct(as: owner, barcode: "S&P+1#", name: name, quantity: 5, minQuantity: 3)
            let sold = try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "S&P+1#", "quantity": 3}"#)
            guard case .int(let saleID)? = try sold.json()["sale_id"] else { throw ClusterError("no sale id: \(sold.text)") }
            guard case .int(let bill)? = try await client.call(.get, "/api/sales/\(saleID)", as: owner).json()["bill_number"] else {
                throw ClusterError("no bill number")
            }
            #expect(bill != saleID, "the test tells the bill number from the id")

            // the vendor reads Spanish (their setting) with the store's name and the bill number, in JSON verbatim
            let lowES = ["Stock bajo", "\(name) bajó a 2 en \(storeA1) (mínimo 3)."]
            let lowEN = ["Low stock", "\(name) is down to 2 in \(storeA1) (minimum 3)."]
            let vendorNotes = try await NotificationTests().unread(client, vendor, atLeast: 2)
            #expect(Set(Self.texts(vendorNotes["notifications"])) == [lowES, ["Venta registrada", "La venta #\(bill) se registró en \(storeA1)."]])
            let raw = try await client.call(.get, "/api/notifications/unread", as: vendor).text
            #expect(raw.contains(#""\#(name) bajó a 2"#), "no escaping in JSON: the pages escape")
            let all = try await client.call(.get, "/api/notifications/all", as: vendor)
            #expect(Self.texts(try JSONDecoder().decode(JSONValue.self, from: Data(buffer: all.body))).contains(lowES))

            // … and so does the live stream's init
            let stream = try SSEClient(port: port, path: "/api/notifications/stream", cookie: "\(Authenticator.cookieName)=\(vendor.cookie)")
            let initial = try #require(await stream.events.nextEvent())
            #expect(initial.name == "init")
            let payload = try JSONDecoder().decode(JSONValue.self, from: Data(initial.data.utf8))
            #expect(Self.texts(payload["notifications"]).contains(lowES), "\(initial.data)")
            stream.close()

            // the same dip read by the owner (setting English) with Accept-Language: en, and by an admin with no hints: English
            _ = try await NotificationTests().unread(client, owner, atLeast: 3)
            let ownerNotes = try await client.call(.get, "/api/notifications/unread", as: owner, headers: Self.english).json()
            #expect(Self.texts(ownerNotes["notifications"]).contains(lowEN))
            _ = try await NotificationTests().unread(client, admin, atLeast: 1)
            #expect(Self.texts(try await client.call(.get, "/api/notifications/unread", as: admin).json()["notifications"]) == [lowEN])
            #expect(
                Self.texts(try await client.call(.get, "/api/notifications/unread", as: admin, headers: Self.spanish).json()["notifications"])
                    == [lowES], "Accept-Language when there is no setting")
            // an API client with no language hints reads the sale as before, with the bill number
            let otherNotes = try await NotificationTests().unread(client, otherVendor, atLeast: 1)
            #expect(Self.texts(otherNotes["notifications"]) == [["Sale registered", "Sale #1 was recorded in \(storeA2)."]])

            // the link opens for the vendor and finds the product (the barcode's `&`, `+` and `#` survive)
            let link = try #require(vendorNotes["notifications"]?.array.first { $0["title"] == .string("Stock bajo") }?["action_url"])
            #expect(link == .string("/stock?search=S%26P%2B1%23&store_id=\(world.storeA1)"))
            let stockPage = try await client.call(.get, "/stock?search=S%26P%2B1%23&store_id=\(world.storeA1)", as: vendor)
            #expect(stockPage.status == .ok && stockPage.text.contains("Soap &lt;b&gt; &amp; Co"))

            // the notifications page: the reader's language, the name escaped
            let page = try await client.call(.get, "/notifications", as: vendor).text
            #expect(page.contains("Stock bajo") && page.contains("Soap &lt;b&gt; &amp; Co bajó a 2 en") && !page.contains("Soap <b>"))

            // an edit names the bill number too; a refused sale says its error in the reader's words
            #expect(
                try await client.call(.put, "/api/sales/\(saleID)", as: admin, json: #"{"items": [{"item_id": \#(soap), "quantity": 3}]}"#)
                    .status == .ok)
            _ = try await NotificationTests().unread(client, admin, atLeast: 2)
            let edited = try await client.call(.get, "/api/notifications/unread", as: admin, headers: Self.spanish).json()
            #expect(Self.texts(edited["notifications"]).contains(["Venta modificada", "La venta #\(bill) de \(storeA1) se modificó."]))
            #expect(try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "S&P+1#", "quantity": 50}"#).status == .conflict)
            let refused = try await NotificationTests().unread(client, vendor, atLeast: 3)
            #expect(Self.texts(refused["notifications"]).first == ["Error en la venta", "No hay stock suficiente para eso."])
        }
    }

    @Test("every key the triggers write renders in both languages; values are put in once and kept verbatim")
    func rendering() throws {
        var texts: [NotificationText] = [
            .lowStock(product: "P", store: "S", stock: 1, minimum: 2), .saleRegistered(bill: 7, store: "S"), .saleUpdated(bill: 7, store: "S"),
            .saleVoided(bill: 7, store: "S"),
            try #require(.saleError(code: "insufficient_stock")),
        ]
        texts += [ProductAction.created, .updated, .disabled, .activated].map { .product($0, product: "P") }
        texts += [ProductAction.archived, .unarchived].map { .product($0, product: "P", store: "S") }
        texts += [AccountChange.email("e@example.com"), .role("admin"), .password, .activated, .approved].map { .account($0) }
        texts.append(.account(.store(2), store: "S"))
        for text in texts {
            for language in Language.allCases {
                let rendered = try #require(text.rendered(in: language), "\(text.key) in \(language)")
                #expect(!rendered.title.isEmpty && !rendered.message.contains("{"), "\(text.key) in \(language): \(rendered)")
            }
            #expect(NotificationText(key: text.key, paramsJSON: text.paramsJSON) == text, "stored and read back")
        }
        // a product named like a placeholder stays as named; a missing value leaves the stored English to show
        let tricky = NotificationText.lowStock(product: "{store} & <i>", store: "Centro", stock: 0, minimum: 1)
        #expect(tricky.rendered(in: .es)?.message == "{store} & <i> bajó a 0 en Centro (mínimo 1).")
        #expect(NotificationText(key: "low_stock", params: ["product": "P"]).rendered(in: .es) == nil)
        #expect(NotificationText(key: "from_a_newer_version", params: [:]).rendered(in: .es) == nil)
        #expect(NotificationText.saleError(code: "no_words_for_this") == nil, "a code the pages cannot say keeps the API's message")
    }

    /// `[title, message]` of each notification, in the answer's order.
    static func texts(_ notifications: JSONValue?) -> [[String]] {
        notifications?.array.map { note in
            [note["title"], note["message"]].map { if case .string(let text)? = $0 { text } else { "" } }
        } ?? []
    }

    func storeName(_ id: Int64, _ world: ShopWorld) async throws -> String {
        try await world.database.read {
            try await $0.raw("SELECT name FROM stores WHERE id = \(bind: id)").first(decodingColumn: "name", as: String.self) ?? ""
        }
    }
}

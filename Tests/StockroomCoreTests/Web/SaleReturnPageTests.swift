import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// A sale's returns on its page over HTTP: each role and language, what the API recorded in the shop's money, and the
/// return form with what is left to return.
@Suite("Sale return pages")
struct SaleReturnPageTests {
    @Test("the sale page lists its returns; owners and admins get the return form with what is left, vendors do not; no edit after a return")
    func saleReturns() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let admin = try await client.signIn(world.adminA1)
            let vendor = try await client.signIn(world.vendorA1)
            let wine = try await client.createProduct(as: owner, barcode: "RW-1", name: "Wine", quantity: 10, price: 9.99, cost: 4)
            let cheese = try await client.createProduct(as: owner, barcode: "RW-2", name: "Cheese", quantity: 10, price: 7.5, cost: 3)
            let sold = try await client.call(
                .post, "/api/sales/bulk", as: vendor,
                json: #"{"items": [{"item_id": \#(wine), "quantity": 3}, {"item_id": \#(cheese), "quantity": 2}]}"#)
            let sale = try #require(try sold.json()["sale_id"]?.int, "\(sold.text)")
            let before = try await client.call(.get, "/sales/\(sale)", as: admin).text
            #expect(before.contains(#"id="edit-sale""#) && before.contains("Nothing has come back.") && before.contains(#"data-left="3""#))
            let taken = try await client.call(
                .post, "/api/sales/\(sale)/returns", as: admin,
                json:
                    #"{"items": [{"item_id": \#(wine), "quantity": 1}, {"item_id": \#(cheese), "quantity": 1, "restock": false, "reason": "Broken"}], "note": "Corked"}"#
            )
            #expect(taken.status == .created, "\(taken.text)")

            let page = try await client.call(.get, "/sales/\(sale)", as: admin, headers: [.acceptLanguage: "en"]).text
            #expect(page.contains("Refund <strong>€17.49</strong> · Corked"), "one return of 9.99 + 7.50")
            #expect(
                page.contains("<li>Wine × 1 · €9.99 · back on the shelf</li>") && page.contains("<li>Cheese × 1 · €7.50 · written off (Broken)</li>"))
            #expect(page.contains(#"data-api-return="/api/sales/\#(sale)/returns""#) && page.contains(#"<script src="/assets/returns.js"></script>"#))
            #expect(page.contains(#"data-product="\#(wine)" data-name="Wine" data-left="2""#), "3 sold, 1 back")
            #expect(!page.contains(#"id="edit-sale""#), "a sale with returns is not edited any more")
            let spanish = try await client.call(.get, "/sales/\(sale)", as: owner, headers: [.acceptLanguage: "es"]).text
            #expect(spanish.contains("<h2>Devoluciones</h2>") && spanish.contains("de vuelta al estante") && spanish.contains(#"id="return-form""#))
            let vendorPage = try await client.call(.get, "/sales/\(sale)", as: vendor).text
            #expect(vendorPage.contains("<h2>Returns</h2>") && !vendorPage.contains(#"id="return-form""#), "vendors see returns, take none")

            // everything back: nothing is left to return, so no form
            let rest = try await client.call(
                .post, "/api/sales/\(sale)/returns", as: owner,
                json: #"{"items": [{"item_id": \#(wine), "quantity": 2}, {"item_id": \#(cheese), "quantity": 1}]}"#)
            #expect(rest.status == .created, "\(rest.text)")
            #expect(!(try await client.call(.get, "/sales/\(sale)", as: owner).text.contains(#"id="return-form""#)))
        }
    }
}

import Foundation
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The till's company settings (receipt header and paper, the largest discount each role may give) and the limit
/// the sale service enforces on every API sale and edit, on both engines.
@Suite("Discount limits and receipt settings")
struct DiscountLimitTests {
    @Test("owners set the receipt and the limits; vendors and admins past their limit are refused with 403, owners never", arguments: Engine.allCases)
    func limits(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let admin = try await client.signIn(world.adminA1)
            let vendor = try await client.signIn(world.vendorA1)
            let tea = try await client.createProduct(as: owner, barcode: "TEA", name: "Tea", quantity: 100, price: 10)

            // setup: the defaults change nothing for an existing shop (100 % each, an 80 mm receipt, no header)
            let before = try await client.call(.get, "/api/settings/company", as: vendor).json()
            #expect(before["max_discount_admin"] == .int(100) && before["max_discount_vendor"] == .int(100))
            #expect(before["receipt_width"] == .int(80) && before["shop_name"] == .string("") && before["tax_id"] == .string(""))
            let set = try await client.call(
                .put, "/api/settings/company", as: owner,
                json: """
                    {"shop_name": " Almacén Sol ", "shop_address": "Calle Mayor 1", "tax_id": "B-12345678", "receipt_footer": "Gracias",
                     "receipt_width": 58, "max_discount_admin": 25, "max_discount_vendor": 10}
                    """)
            #expect(set.status == .ok, "\(set.text)")
            let after = try await client.call(.get, "/api/settings/company", as: admin).json()
            #expect(after["shop_name"] == .string("Almacén Sol") && after["shop_address"] == .string("Calle Mayor 1"))
            #expect(after["tax_id"] == .string("B-12345678") && after["receipt_footer"] == .string("Gracias") && after["receipt_width"] == .int(58))
            #expect(after["max_discount_admin"] == .int(25) && after["max_discount_vendor"] == .int(10))
            // other companies keep their own
            let ownerB = try await client.signIn(world.ownerB)
            #expect(try await client.call(.get, "/api/settings/company", as: ownerB).json()["max_discount_vendor"] == .int(100))
            // bad settings are refused naming the field, and nothing of the request is saved
            for (json, field) in [
                (#"{"receipt_width": 60}"#, "receipt_width"), (#"{"max_discount_vendor": 100.01}"#, "max_discount_vendor"),
                (#"{"max_discount_admin": -1}"#, "max_discount_admin"), (#"{"max_discount_admin": 1.005}"#, "max_discount_admin"),
                (#"{"tax_id": null}"#, "tax_id"), (#"{"shop_name": "\#(String(repeating: "a", count: 101))"}"#, "shop_name"),
                (#"{"receipt_footer": "a\u0000b", "tax_rate": 5}"#, "receipt_footer"),
            ] {
                let refused = try await client.call(.put, "/api/settings/company", as: owner, json: json)
                #expect(try refused.status == .badRequest && refused.json()["field"] == .string(field), "\(json) → \(refused.text)")
            }
            #expect(try await client.call(.get, "/api/settings/company", as: owner).json()["tax_rate"] == .int(0))
            #expect(try await client.call(.put, "/api/settings/company", as: admin, json: #"{"max_discount_admin": 100}"#).status == .forbidden)

            // a vendor: 5 % off the line and 1.00 off the sale is 2.00 of 20.00, exactly the 10 % allowed
            func sell(_ session: SignedIn, line: String, sale: String) async throws -> TestResponse {
                try await client.call(
                    .post, "/api/sales/bulk", as: session,
                    json: """
                        {"items": [{"item_id": \(tea), "quantity": 2, "discount_percentage": \(line)}], "discount_amount": \(sale)}
                        """)
            }
            let allowed = try await sell(vendor, line: "5", sale: "1")
            #expect(allowed.status == .created, "\(allowed.text)")
            let sold = try allowed.json()
            #expect(sold["subtotal"] == .int(19) && sold["discount"] == .int(1) && sold["total"] == .int(18) && sold["tax"] == .int(0))
            #expect(sold["items"]?.array.first?["discount_percentage"] == .int(5) && sold["items"]?.array.first?["subtotal"] == .int(19))
            // one cent more is refused, with the limit and what was asked; nothing is sold
            let over = try await sell(vendor, line: "5", sale: "1.01")
            #expect(over.status == .forbidden)
            let refusal = try over.json()
            #expect(refusal["code"] == .string("discount_over_limit") && refusal["max_discount"] == .int(10) && refusal["discount"] == .double(10.05))
            #expect(try await world.stock(store: world.storeA1, product: tea) == 98)
            // an admin: 25 %, not 30 %; the owner: anything
            #expect(try await sell(admin, line: "25", sale: "0").status == .created)
            #expect(try await sell(admin, line: "30", sale: "0").status == .forbidden)
            let generous = try await sell(owner, line: "90", sale: "0")
            #expect(generous.status == .created)
            #expect(try await world.stock(store: world.storeA1, product: tea) == 94)
            // Credith's bills go through the same rule
            let bill = try await client.call(
                .post, "/api/bills", as: vendor,
                json: """
                    {"storeId": \(world.storeA1), "details": [{"productId": \(tea), "quantity": 1, "discountPercentage": 50}]}
                    """)
            #expect(try bill.status == .forbidden && bill.json()["code"] == .string("discount_over_limit"))

            // edits: an admin may correct the owner's 90 % sale keeping its share, but not raise a sale past 25 %
            guard case .int(let ownersSale)? = try generous.json()["sale_id"], case .int(let vendorsSale)? = sold["sale_id"] else {
                throw ClusterError("no sale ids")
            }
            let kept = try await client.call(.put, "/api/sales/\(ownersSale)", as: admin, json: #"{"items": [{"item_id": \#(tea), "quantity": 3}]}"#)
            #expect(kept.status == .ok, "\(kept.text)")
            let raised = try await client.call(
                .put, "/api/sales/\(vendorsSale)", as: admin,
                json: """
                    {"items": [{"item_id": \(tea), "quantity": 2, "discount_percentage": 40}]}
                    """)
            #expect(try raised.status == .forbidden && raised.json()["code"] == .string("discount_over_limit"))
            #expect(try await world.stock(store: world.storeA1, product: tea) == 93)
            // an edit that names 0 takes the discount off (naming none kept it above)
            func number(_ value: JSONValue?) -> Double? {
                switch value {
                case .int(let whole)?: Double(whole)
                case .double(let amount)?: amount
                default: nil
                }
            }
            let discounted = try #require(try await client.call(.get, "/api/sales/\(ownersSale)", as: owner).json()["products"]?.array.first)
            #expect(try #require(number(discounted["subtotal"])) < 3 * (try #require(number(discounted["price"]))), "\(discounted)")
            let undone = try await client.call(
                .put, "/api/sales/\(ownersSale)", as: owner,
                json: """
                    {"items": [{"item_id": \(tea), "quantity": 3, "discount_percentage": 0}]}
                    """)
            #expect(undone.status == .ok, "\(undone.text)")
            let full = try #require(try await client.call(.get, "/api/sales/\(ownersSale)", as: owner).json()["products"]?.array.first)
            #expect(number(full["subtotal"]) == 3 * (try #require(number(full["price"]))), "\(full)")
        }
    }
}

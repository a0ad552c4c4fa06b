import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

extension Tour {
    /// Suppliers, a product's suppliers, purchase orders from draft to received, and their refusals.
    func purchasing(_ world: ShopWorld, owner: SignedIn, admin: SignedIn, vendor: SignedIn) async throws {
        let product = try id(
            try await object(
                .post, "/api/products", as: owner, json: #"{"barcode": "TOUR-PO", "name": "Yerba 1kg", "quantity": 10, "price": 12, "cost": 6}"#,
                expect: 201)["id"], "product id")
        let supplier = try id(
            try await object(
                .post, "/api/suppliers", as: admin,
                json: #"{"name": "Distribuidora Norte", "contact": "Ana", "email": "ventas@norte.example", "tax_id": "30-1"}"#, expect: 201)["id"],
            "supplier id")
        try await call(.post, "/api/suppliers", as: owner, json: #"{"name": "distribuidora norte"}"#, expect: 409)
        try await call(.post, "/api/suppliers", as: owner, json: #"{"name": "X", "email": "nope"}"#, expect: 400)
        try await call(.post, "/api/suppliers", as: vendor, json: #"{"name": "V"}"#, expect: 403)
        try await call(.get, "/api/suppliers?search=norte&active=true&page=1&limit=5", as: owner, expect: 200)
        try await call(.get, "/api/suppliers", as: vendor, expect: 403)
        try await call(.get, "/api/suppliers/\(supplier)", as: admin, expect: 200)
        try await call(.get, "/api/suppliers/999999", as: admin, expect: 404)
        try await call(.put, "/api/suppliers/\(supplier)", as: owner, json: #"{"phone": "555-0199"}"#, expect: 200)
        try await call(.put, "/api/suppliers/999999", as: owner, json: #"{"phone": "1"}"#, expect: 404)
        try await call(
            .put, "/api/products/\(product)/suppliers/\(supplier)", as: owner, json: #"{"supplier_code": "YB-1000", "last_cost": 4.35}"#, expect: 200)
        try await call(.put, "/api/products/\(product)/suppliers/999999", as: owner, json: "{}", expect: 404)
        try await call(.get, "/api/products/\(product)/suppliers", as: owner, expect: 200)
        try await call(.get, "/api/products/999999/suppliers", as: owner, expect: 404)

        let draft = try await object(
            .post, "/api/purchase-orders", as: admin,
            json: #"{"supplier_id": \#(supplier), "notes": "Weekly", "lines": [{"product_id": \#(product), "quantity": 20, "unit_cost": 7.01}]}"#,
            expect: 201)
        let order = try id(draft["id"], "order id")
        try await call(
            .post, "/api/purchase-orders", as: admin,
            json: #"{"supplier_id": 999999, "lines": [{"product_id": \#(product), "quantity": 1, "unit_cost": 1}]}"#,
            expect: 404)
        try await call(.put, "/api/purchase-orders/\(order)", as: admin, json: #"{"notes": "Weekly order"}"#, expect: 200)
        try await call(.put, "/api/purchase-orders/\(order)", as: admin, json: #"{"lines": []}"#, expect: 400)
        try await call(
            .post, "/api/purchase-orders/\(order)/receipts", as: admin, json: #"{"lines": [{"product_id": \#(product), "quantity": 1}]}"#, expect: 409
        )
        try await call(.post, "/api/purchase-orders/\(order)/order", as: admin, expect: 200)
        try await call(.post, "/api/purchase-orders/\(order)/order", as: admin, expect: 409)
        try await call(.put, "/api/purchase-orders/\(order)", as: admin, json: #"{"notes": "late"}"#, expect: 409)
        try await call(
            .post, "/api/purchase-orders/\(order)/receipts", as: admin,
            json: #"{"note": "Truck 1", "lines": [{"product_id": \#(product), "quantity": 8}]}"#,
            headers: [HTTPField.Name("Idempotency-Key")!: "tour-truck-1"], expect: 201)
        try await call(
            .post, "/api/purchase-orders/\(order)/receipts", as: admin, json: #"{"lines": [{"product_id": \#(product), "quantity": 13}]}"#,
            expect: 409)
        try await call(.post, "/api/purchase-orders/\(order)/receipts", as: admin, json: #"{"lines": [{"quantity": 1}]}"#, expect: 400)
        try await call(.get, "/api/purchase-orders/\(order)", as: owner, expect: 200)
        try await call(.get, "/api/purchase-orders/999999", as: owner, expect: 404)
        try await call(
            .get, "/api/purchase-orders?status=partially_received&supplier_id=\(supplier)&store_id=\(world.storeA1)&page=1&limit=5", as: owner,
            expect: 200)
        try await call(.get, "/api/purchase-orders?status=lost", as: owner, expect: 400)
        try await call(.get, "/api/purchase-orders", as: vendor, expect: 403)
        try await call(
            .post, "/api/purchase-orders/\(order)/receipts", as: admin, json: #"{"lines": [{"product_id": \#(product), "quantity": 12}]}"#,
            expect: 201)
        try await call(.post, "/api/purchase-orders/\(order)/cancel", as: owner, expect: 409)
        let second = try id(
            try await object(
                .post, "/api/purchase-orders", as: owner,
                json:
                    #"{"supplier_id": \#(supplier), "store_id": \#(world.storeA1), "lines": [{"product_id": \#(product), "quantity": 1, "unit_cost": 1}]}"#,
                expect: 201)["id"], "order id")
        try await call(.post, "/api/purchase-orders/\(second)/cancel", as: owner, expect: 200)
        try await call(.post, "/api/purchase-orders/999999/cancel", as: owner, expect: 404)
        try await call(.delete, "/api/products/\(product)/suppliers/\(supplier)", as: owner, expect: 200)
        try await call(.delete, "/api/products/\(product)/suppliers/\(supplier)", as: owner, expect: 404)
    }

    /// Two-step transfers: dispatched, in transit, received with a loss, and their refusals.
    func transfers(_ world: ShopWorld, owner: SignedIn, admin: SignedIn, vendor: SignedIn) async throws {
        let product = try id(
            try await object(
                .post, "/api/products", as: owner, json: #"{"barcode": "TOUR-TR", "name": "Cola 2L", "quantity": 20, "price": 3}"#, expect: 201)[
                    "id"],
            "product id")
        try await call(
            .patch, "/api/store-inventory/stock", as: owner, json: #"{"productId": \#(product), "storeId": \#(world.storeA2), "stock": 0}"#,
            expect: 200)
        let lines = #"[{"product_id": \#(product), "quantity": 10}]"#
        let transfer = try id(
            try await object(
                .post, "/api/transfers", as: admin,
                json: #"{"from_store_id": \#(world.storeA1), "to_store_id": \#(world.storeA2), "note": "Weekend", "lines": \#(lines)}"#,
                headers: [HTTPField.Name("Idempotency-Key")!: "tour-transfer-1"], expect: 201)["id"], "transfer id")
        try await call(
            .post, "/api/transfers", as: owner,
            json: #"{"from_store_id": \#(world.storeA1), "to_store_id": \#(world.storeA2), "lines": [{"product_id": \#(product), "quantity": 99}]}"#,
            expect: 409)
        try await call(
            .post, "/api/transfers", as: owner, json: #"{"from_store_id": \#(world.storeA1), "to_store_id": \#(world.storeA1), "lines": \#(lines)}"#,
            expect: 400)
        try await call(
            .post, "/api/transfers", as: vendor, json: #"{"from_store_id": \#(world.storeA1), "to_store_id": \#(world.storeA2), "lines": \#(lines)}"#,
            expect: 403)
        try await call(.get, "/api/transfers/in-transit?store_id=\(world.storeA2)", as: owner, expect: 200)
        try await call(.get, "/api/transfers/in-transit", as: vendor, expect: 403)
        try await call(
            .get, "/api/transfers?status=in_transit&from_store_id=\(world.storeA1)&to_store_id=\(world.storeA2)&page=1&limit=5", as: owner,
            expect: 200)
        try await call(.get, "/api/transfers?status=lost", as: owner, expect: 400)
        try await call(.get, "/api/transfers/\(transfer)", as: admin, expect: 200)
        try await call(.get, "/api/transfers/999999", as: owner, expect: 404)
        try await call(
            .post, "/api/transfers/\(transfer)/receipts", as: owner, json: #"{"lines": [{"product_id": \#(product), "received": 11}]}"#, expect: 409)
        try await call(
            .post, "/api/transfers/\(transfer)/receipts", as: owner, json: #"{"lines": [{"product_id": \#(product), "received": 1, "lost": 1}]}"#,
            expect: 400)
        try await call(
            .post, "/api/transfers/\(transfer)/receipts", as: owner,
            json: #"{"note": "Van 1", "lines": [{"product_id": \#(product), "received": 9, "lost": 1, "reason": "Crushed can"}]}"#, expect: 201)
        try await call(
            .post, "/api/transfers/\(transfer)/receipts", as: owner, json: #"{"lines": [{"product_id": \#(product), "received": 1}]}"#, expect: 409)
        try await call(
            .post, "/api/transfers/999999/receipts", as: owner, json: #"{"lines": [{"product_id": \#(product), "received": 1}]}"#, expect: 404)
    }

    /// A sale's returns: taken back on the shelf and written off, listed, refused past what was sold.
    func returns(_ world: ShopWorld, owner: SignedIn, admin: SignedIn, vendor: SignedIn) async throws {
        let product = try id(
            try await object(
                .post, "/api/products", as: owner, json: #"{"barcode": "TOUR-RET", "name": "Wine", "quantity": 10, "price": 9.99}"#, expect: 201)[
                    "id"],
            "product id")
        let sale = try id(
            try await object(.post, "/api/sales/bulk", as: vendor, json: #"{"items": [{"item_id": \#(product), "quantity": 3}]}"#, expect: 201)[
                "sale_id"],
            "sale id")
        try await call(
            .post, "/api/sales/\(sale)/returns", as: admin, json: #"{"items": [{"item_id": \#(product), "quantity": 1}], "note": "Corked"}"#,
            headers: [HTTPField.Name("Idempotency-Key")!: "tour-return-1"], expect: 201)
        try await call(
            .post, "/api/sales/\(sale)/returns", as: owner,
            json: #"{"items": [{"item_id": \#(product), "quantity": 1, "restock": false, "reason": "Broken"}]}"#, expect: 201)
        try await call(.post, "/api/sales/\(sale)/returns", as: owner, json: #"{"items": [{"item_id": \#(product), "quantity": 2}]}"#, expect: 409)
        try await call(.post, "/api/sales/\(sale)/returns", as: owner, json: #"{"items": []}"#, expect: 400)
        try await call(.post, "/api/sales/\(sale)/returns", as: vendor, json: #"{"items": [{"item_id": \#(product), "quantity": 1}]}"#, expect: 403)
        try await call(.post, "/api/sales/999999/returns", as: owner, json: #"{"items": [{"item_id": \#(product), "quantity": 1}]}"#, expect: 404)
        try await call(.get, "/api/sales/\(sale)/returns", as: vendor, expect: 200)
        try await call(.get, "/api/sales/999999/returns", as: owner, expect: 404)
    }

    /// A stock count: opened, scanned, recounted, posted; another abandoned; their refusals.
    func counts(_ world: ShopWorld, owner: SignedIn, admin: SignedIn, vendor: SignedIn) async throws {
        _ = try await object(
            .post, "/api/products", as: owner, json: #"{"barcode": "TOUR-CNT", "name": "Apples", "quantity": 10, "price": 1}"#, expect: 201)
        let count = try id(
            try await object(
                .post, "/api/stock-counts", as: admin, json: #"{"note": "Monthly", "search": "apples"}"#,
                headers: [HTTPField.Name("Idempotency-Key")!: "tour-count-1"], expect: 201)["id"], "count id")
        try await call(.post, "/api/stock-counts", as: admin, json: "{}", expect: 409)
        try await call(.post, "/api/stock-counts", as: vendor, json: "{}", expect: 403)
        try await call(.post, "/api/stock-counts/\(count)/lines", as: vendor, json: #"{"barcode": "TOUR-CNT", "add": 1}"#, expect: 200)
        try await call(.post, "/api/stock-counts/\(count)/lines", as: vendor, json: #"{"barcode": "TOUR-CNT", "counted": 8}"#, expect: 200)
        try await call(.post, "/api/stock-counts/\(count)/lines", as: vendor, json: #"{"barcode": "TOUR-CNT"}"#, expect: 400)
        try await call(.post, "/api/stock-counts/\(count)/lines", as: vendor, json: #"{"barcode": "NO-SUCH-CODE", "add": 1}"#, expect: 404)
        try await call(.get, "/api/stock-counts/\(count)", as: vendor, expect: 200)
        try await call(.get, "/api/stock-counts/999999", as: owner, expect: 404)
        try await call(.get, "/api/stock-counts?status=open&store_id=\(world.storeA1)&page=1&limit=5", as: owner, expect: 200)
        try await call(.get, "/api/stock-counts?status=lost", as: owner, expect: 400)
        try await call(.post, "/api/stock-counts/\(count)/post", as: vendor, expect: 403)
        try await call(.post, "/api/stock-counts/\(count)/post", as: admin, expect: 200)
        try await call(.post, "/api/stock-counts/\(count)/post", as: admin, expect: 409)
        try await call(.post, "/api/stock-counts/\(count)/lines", as: vendor, json: #"{"barcode": "TOUR-CNT", "add": 1}"#, expect: 409)
        let second = try id(try await object(.post, "/api/stock-counts", as: owner, json: "{}", expect: 201)["id"], "count id")
        try await call(.post, "/api/stock-counts/\(second)/abandon", as: admin, expect: 200)
        try await call(.post, "/api/stock-counts/\(second)/abandon", as: admin, expect: 409)
        try await call(.post, "/api/stock-counts/999999/abandon", as: admin, expect: 404)
        try await call(.post, "/api/stock-counts/999999/post", as: admin, expect: 404)
    }

    /// The stock's value now, at a day and an instant, and as CSV.
    func valuation(_ world: ShopWorld, owner: SignedIn, admin: SignedIn, vendor: SignedIn) async throws {
        try await call(.get, "/api/reports/valuation", as: owner, expect: 200)
        try await call(.get, "/api/reports/valuation?at=2026-01-31&store_id=\(world.storeA1)", as: owner, expect: 200)
        try await call(.get, "/api/reports/valuation?at=2026-11-23T14:05:09Z", as: admin, expect: 200)
        try await call(.get, "/api/reports/valuation?at=someday", as: owner, expect: 400)
        try await call(.get, "/api/reports/valuation?store_id=999999", as: owner, expect: 404)
        try await call(.get, "/api/reports/valuation", as: vendor, expect: 403)
        try await call(.get, "/api/export/valuation.csv?bom=true", as: owner, expect: 200)
        try await call(.get, "/api/export/valuation.csv", as: vendor, expect: 403)
    }
}

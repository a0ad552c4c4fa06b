import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// StockManager's browser client, replayed: the requests its pages send (with the empty filters a form sends) and
/// the fields each page reads, with the types it reads them as (`../shared/STOCKMANAGER-API.md`). The metrics page
/// has its own suite (`StockManagerMetricsTests`).
@Suite("StockManager's client, replayed")
struct StockManagerClientTests {
    static func number(_ value: JSONValue?) -> Bool {
        switch value {
        case .int?, .double?: true
        default: false
        }
    }

    static func text(_ value: JSONValue?) -> Bool {
        if case .string? = value { return true }
        return false
    }

    /// `{data, total, page, pages, limit}`, as every paged list of the client reads it.
    static func envelope(_ body: [String: JSONValue], _ what: String) -> [JSONValue] {
        #expect(number(body["total"]) && number(body["page"]) && number(body["pages"]) && number(body["limit"]), "\(what): \(body.keys.sorted())")
        guard case .array(let rows)? = body["data"] else {
            Issue.record("\(what): no data array")
            return []
        }
        return rows
    }

    @Test("products, stock window, product form, till search, sales and their history as the client sends and reads them", arguments: Engine.allCases)
    func replay(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)

            // the product form
            let created = try await client.call(
                .post, "/api/products", as: owner,
                json: """
                    {"barcode": "7790001", "name": "Yerba mate", "description": "1 kg", "quantity": 10, "min_quantity": 3,
                     "price": 1500.5, "expiration_date": "2027-01-31"}
                    """)
            #expect(created.status == .created, "\(created.text)")
            let product = try created.json()
            #expect(Self.text(product["message"]))
            guard case .int(let id)? = product["id"] else {
                Issue.record("no id: \(product)")
                return
            }
            let changed = try await client.call(
                .put, "/api/products/\(id)", as: owner,
                json: """
                    {"name": "Yerba mate suave", "description": "1 kg", "price": 1600, "min_quantity": 3, "expiration_date": "", "status": 1}
                    """)
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(try changed.json()["expiration_date"] == .null, "an emptied date is cleared")

            // the products page and the stock window, with the form's empty filters
            let page = try await client.call(.get, "/api/products?page=1&limit=24&search=&view_mode=all&sort=name&order=asc", as: vendor).json()
            let rows = Self.envelope(page, "products")
            let row = try #require(rows.first)
            for key in ["id", "stock", "min_stock", "price", "status"] { #expect(Self.number(row[key]), "products: \(key)") }
            for key in ["barcode", "name", "description"] { #expect(Self.text(row[key]), "products: \(key)") }
            #expect(row["expiration_date"] == .null)
            let window = try await client.call(.get, "/api/products_all?page=1&limit=50&search=&view_mode=in_stock&sort=stock&order=desc", as: owner)
                .json()
            #expect(Self.envelope(window, "stock window").count == 1)

            // the till: search, then a bulk sale as the client sends it, then a single sale by barcode
            let found = try await client.call(.get, "/api/items?q=yerba", as: vendor)
            let items = try JSONDecoder().decode([JSONValue].self, from: Data(buffer: found.body))
            #expect(items.first?["id"] == .int(id) && Self.number(items.first?["price"]) && Self.number(items.first?["stock"]))
            let bulk = try await client.call(
                .post, "/api/sales/bulk", as: vendor,
                json: """
                    {"items": [{"item_id": \(id), "quantity": 2}], "payment_method": "Efectivo"}
                    """)
            #expect(bulk.status == .created, "\(bulk.text)")
            let sold = try bulk.json()
            #expect(sold["ok"] == .bool(true) && Self.number(sold["sale_id"]) && sold["total"] == .int(3200))
            let line = sold["items"]?.array.first
            #expect(
                line?["item_id"] == .int(id) && Self.text(line?["name"]) && line?["quantity"] == .int(2)
                    && line?["unit_price"] == .int(1600) && line?["subtotal"] == .int(3200))
            let single = try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "7790001", "quantity": 1}"#)
            #expect(single.status == .created, "\(single.text)")
            let one = try single.json()
            #expect(
                Self.text(one["message"]) && one["product"] == .string("Yerba mate suave") && one["quantity"] == .int(1) && one["total"] == .int(1600)
            )

            // the sales history with the form's empty filters, and a sale's detail
            let history = try await client.call(.get, "/api/sales?page=1&limit=10&from=&to=&product=&vendedor=", as: owner).json()
            let sales = Self.envelope(history, "sales")
            #expect(sales.count == 2)
            for sale in sales {
                #expect(Self.number(sale["id"]) && Self.text(sale["date"]) && Self.number(sale["total_quantity"]) && Self.number(sale["total"]))
                #expect(sale["vendedor"] == .string("vendora1") && Self.text(sale["payment_method"]))
                let first = sale["products"]?.array.first
                #expect(Self.text(first?["name"]) && Self.number(first?["quantity"]) && Self.number(first?["price"]))
            }
            guard case .int(let saleID)? = sold["sale_id"] else { return }
            let detail = try await client.call(.get, "/api/sales/\(saleID)", as: vendor).json()
            #expect(detail["id"] == .int(saleID) && detail["total"] == .int(3200) && detail["vendedor"] == .string("vendora1"))
            #expect(detail["products"]?.array.count == 1 && Self.text(detail["date"]) && Self.text(detail["payment_method"]))
            let filtered = try await client.call(.get, "/api/sales?page=1&limit=10&product=yerba+mate&vendedor=vendor", as: owner).json()
            #expect(filtered["total"] == .int(2), "'+' is a space and the seller matches in part")
            // an empty list is one empty page, as StockManager counts pages
            let none = try await client.call(.get, "/api/products?search=nothing-like-this", as: vendor).json()
            #expect(none["total"] == .int(0) && none["pages"] == .int(1) && none["page"] == .int(1))
        }
    }
}

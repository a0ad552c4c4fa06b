import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Products and categories (StockManager, Credith)")
struct ProductTests {
    @Test("create, list with filters and sort, partial update, stock through adjustments, disable, activate, archive", arguments: Engine.allCases)
    func lifecycle(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let created = try await client.call(
                .post, "/api/products", as: owner,
                json: """
                    {"barcode": "111", "name": "Té verde", "description": "Caja", "quantity": 20, "min_quantity": 5, "price": 25.5,
                     "cost": 12.25, "expiration_date": "2027-01-31", "category": "Bebidas"}
                    """)
            #expect(created.status == .created)
            let tea = try created.json()
            #expect(
                Set(tea.keys).isSuperset(of: [
                    "id", "barcode", "name", "description", "stock", "min_stock", "price", "cost", "status",
                    "expiration_date", "category",
                ]))
            #expect(tea["price"] == .double(25.5) && tea["cost"] == .double(12.25) && tea["stock"] == .int(20) && tea["min_stock"] == .int(5))
            #expect(tea["status"] == .int(1) && tea["category"] == .string("Bebidas"))
            guard case .int(let teaID)? = tea["id"] else { throw ClusterError("\(tea)") }
            let coffee = try await client.createProduct(as: owner, barcode: "222", name: "Café", quantity: 3, minQuantity: 5, price: 40)
            let sugar = try await client.createProduct(as: owner, barcode: "333", name: "Azúcar", quantity: 0, price: 15)
            let blankBarcode = try await client.call(.post, "/api/products", as: owner, json: #"{"name": "Pan", "quantity": 1, "price": 2}"#).json()
            guard case .string(let generated)? = blankBarcode["barcode"] else { throw ClusterError("\(blankBarcode)") }
            #expect(
                generated.count == 13 && generated.hasPrefix("2") && Barcode.checkDigit(String(generated.prefix(12))) == Int(String(generated.last!)))

            // lists
            func names(_ query: String) async throws -> [String] {
                try await client.call(.get, "/api/products?\(query)", as: owner).json()["data"]?.array.compactMap {
                    if case .string(let name)? = $0["name"] { name } else { nil }
                } ?? []
            }
            #expect(try await names("view_mode=low_stock") == ["Café"])
            #expect(try await names("view_mode=out_of_stock") == ["Azúcar"])
            #expect(try await names("view_mode=in_stock&sort=stock&order=desc") == ["Té verde", "Café", "Pan"])
            #expect(try await names("sort=price&order=asc&limit=2&page=2") == ["Té verde", "Café"], "Pan 2, Azúcar 15 | Té 25.5, Café 40")
            #expect(try await names("search=caf") == ["Café"])
            // Pan's generated barcode is random: about one in a hundred contains "111" too.
            #expect(try await names("search=111") == (generated.contains("111") ? ["Pan", "Té verde"] : ["Té verde"]))
            #expect(try await names("search=%25") == [], "LIKE metacharacters match literally")
            #expect(try await client.call(.get, "/api/products?view_mode=weird", as: owner).status == .badRequest)

            // partial update: only the price changes; quantity goes through an adjustment
            let updated = try await client.call(.put, "/api/products/\(teaID)", as: owner, json: #"{"price": 27, "quantity": 18}"#).json()
            #expect(
                updated["price"] == .int(27) && updated["name"] == .string("Té verde") && updated["stock"] == .int(18)
                    && updated["expiration_date"] == .string("2027-01-31") && updated["category"] == .string("Bebidas"))
            let cleared = try await client.call(.put, "/api/products/\(teaID)", as: owner, json: #"{"expiration_date": null}"#).json()
            #expect(cleared["expiration_date"] == .null && cleared["price"] == .int(27))
            let duplicate = try await client.call(.put, "/api/products/\(teaID)", as: owner, json: #"{"barcode": "222"}"#)
            #expect(try duplicate.status == .conflict && duplicate.json()["code"] == .string("duplicate_barcode"))
            #expect(
                try await client.call(.post, "/api/products", as: owner, json: #"{"barcode": "111", "name": "Otro", "price": 1}"#).status == .conflict
            )

            // disable hides it from /products but not /products_all; activate brings it back
            #expect(try await client.call(.delete, "/api/products/\(coffee)", as: owner).status == .ok)
            #expect(try await names("search=caf") == [])
            #expect(try await client.call(.get, "/api/products_all?search=caf", as: owner).json()["total"] == .int(1))
            #expect(try await client.call(.post, "/api/products/\(coffee)/activate", as: owner).json()["status"] == .int(1))

            // per-store archive (Credith): gone from that store's lists only
            #expect(try await client.call(.delete, "/api/products/\(sugar)?storeId=\(world.storeA1)", as: owner).status == .ok)
            #expect(try await names("search=az") == [])
            #expect(try await names("search=az&store_id=\(world.storeA2)") == ["Azúcar"])
            // totals: counted from indexes for a plain list, by the page's own scan for a filtered one, and past the end
            func total(_ query: String) async throws -> JSONValue? {
                try await client.call(.get, "/api/products?\(query)", as: owner).json()["total"]
            }
            #expect(try await names("store_id=\(world.storeA1)") == ["Café", "Pan", "Té verde"])
            #expect(try await total("store_id=\(world.storeA1)") == .int(3))
            #expect(try await total("store_id=\(world.storeA2)") == .int(4))
            #expect(try await total("store_id=\(world.storeA1)&view_mode=archived") == .int(1))
            #expect(try await names("store_id=\(world.storeA1)&view_mode=archived") == ["Azúcar"])
            for (query, expected) in [("view_mode=in_stock", 3), ("search=a", 2), ("search=a&page=9", 2), ("page=9", 3)] {
                #expect(try await total("store_id=\(world.storeA1)&\(query)") == .int(expected), "\(query)")
            }
            #expect(try await client.call(.delete, "/api/products/\(coffee)", as: owner).status == .ok)
            #expect(try await total("store_id=\(world.storeA1)") == .int(2))
            #expect(try await client.call(.get, "/api/products_all?store_id=\(world.storeA1)", as: owner).json()["total"] == .int(3))
            #expect(try await client.call(.post, "/api/products/\(coffee)/activate", as: owner).status == .ok)

            // the point-of-sale search
            let items = try await client.call(.get, "/api/items?q=t", as: owner)
            #expect(items.text.contains("Té verde"))

            // roles: vendors read, never write; admins write in their store
            let vendor = try await client.signIn(world.vendorA1)
            #expect(try await client.call(.get, "/api/products", as: vendor).status == .ok)
            #expect(try await client.call(.put, "/api/products/\(teaID)", as: vendor, json: #"{"price": 1}"#).status == .forbidden)
            let admin = try await client.signIn(world.adminA1)
            #expect(try await client.call(.put, "/api/products/\(teaID)", as: admin, json: #"{"price": 28}"#).status == .ok)
            #expect(
                try await client.call(.put, "/api/products/\(teaID)?store_id=\(world.storeA2)", as: admin, json: #"{"quantity": 1}"#).status
                    == .forbidden)
            let ownerB = try await client.signIn(world.ownerB)
            #expect(try await client.call(.get, "/api/products/\(teaID)", as: ownerB).status == .notFound)

            let movements = try await client.call(.get, "/api/stock-movements?product_id=\(teaID)&kind=adjustment", as: owner).json()
            #expect(movements["total"] == .int(1) && movements["data"]?.array.first?["delta"] == .int(-2))
            let problems = try await world.ledgerProblems()
            #expect(problems.mismatches.isEmpty && problems.negative == 0)
        }
    }

    @Test("the till's lookup puts the product whose barcode is the code first, however many names contain it", arguments: Engine.allCases)
    func exactCodeFirst(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            // twelve names with "42" that sort before the product whose in-store code is 42, and one mixed-case code
            for index in 0..<12 {
                _ = try await client.createProduct(as: owner, barcode: "77900\(index)", name: "A tile 42x\(index)", quantity: 1)
            }
            let shortCode = try await client.createProduct(as: owner, barcode: "42", name: "Zucchini", quantity: 5)
            let lettered = try await client.createProduct(as: owner, barcode: "BOX-7", name: "Z box", quantity: 5)
            let lowerCase = try await client.createProduct(as: owner, barcode: "box-7", name: "Z box, small", quantity: 5)
            func ids(_ q: String) async throws -> [Int64] {
                try await client.call(.get, "/api/items?q=\(q)", as: owner).jsonArray().compactMap {
                    if case .int(let id)? = $0["id"] { return id } else { return nil }
                }
            }
            let found = try await ids("42")
            #expect(found.count == 10 && found.first == shortCode, "\(found)")
            #expect(Set(found).count == found.count)
            // barcodes are unique as written: the code as typed first, then the same letters in another case
            #expect(try await ids("box-7").prefix(2) == [lowerCase, lettered])
            #expect(try await ids("BOX-7").prefix(2) == [lettered, lowerCase])
            // without an exact code the list stays in name order
            let tiles = try await ids("tile")
            #expect(tiles.count == 10 && !tiles.contains(shortCode))
            // a product archived in the store is not offered even by its exact code
            #expect(try await client.call(.delete, "/api/products/\(shortCode)?storeId=\(world.storeA1)", as: owner).status == .ok)
            let afterArchive = try await ids("42")
            #expect(!afterArchive.contains(shortCode))
        }
    }

    @Test("bad product input answers 400 naming the field and changes nothing")
    func validation() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let cases: [(String, String)] = [
                (#"{"name": "A", "price": -1}"#, "price"),
                (#"{"name": "A", "price": 1.234}"#, "price"),
                (#"{"name": "A", "price": 1000000.01}"#, "price"),
                (#"{"name": "A", "price": 1, "quantity": -5}"#, "quantity"),
                (#"{"name": "A", "price": 1, "quantity": 2.5}"#, "quantity"),
                (#"{"name": "A", "price": 1, "quantity": 1000001}"#, "quantity"),
                (#"{"name": "\#(String(repeating: "n", count: 101))", "price": 1}"#, "name"),
                (#"{"name": "A", "price": 1, "description": "\#(String(repeating: "d", count: 501))"}"#, "description"),
                (#"{"name": "A", "price": 1, "barcode": "\#(String(repeating: "9", count: 65))"}"#, "barcode"),
                (#"{"name": "A", "price": 1, "expiration_date": "2027-02-30"}"#, "expiration_date"),
                (#"{"name": "bad\u0007bell", "price": 1}"#, "name"),
                (#"{"price": 1}"#, "name"),
                (#"{"name": "A"}"#, "price"),
                (#"{"name": "A", "price": "cheap"}"#, "price"),
            ]
            for (body, field) in cases {
                let response = try await client.call(.post, "/api/products", as: owner, json: body)
                #expect(try response.status == .badRequest && response.json()["field"] == .string(field), "\(body) → \(response.text)")
            }
            let html = try await client.call(
                .post, "/api/products", as: owner, json: #"{"name": "<script>alert(1)</script>' OR 1=1 --", "price": 1}"#)
            #expect(try html.status == .created && html.json()["name"] == .string("<script>alert(1)</script>' OR 1=1 --"), "stored as text, verbatim")
            let count = try await world.database.read {
                try await $0.raw("SELECT COUNT(*) AS n FROM products").first(decodingColumn: "n", as: Int.self)
            }
            #expect(count == 1)
        }
    }

    @Test("categories: list, create, rename, activate and deactivate; duplicates refused; vendors read only")
    func categories() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let created = try await client.call(.post, "/api/categories", as: owner, json: #"{"name": "Lácteos"}"#)
            #expect(created.status == .created)
            let category = try created.json()
            #expect(Set(category.keys) == ["categoryId", "name", "isActive", "createdAt"])
            guard case .int(let id)? = category["categoryId"] else { throw ClusterError("\(category)") }
            #expect(try await client.call(.post, "/api/categories", as: owner, json: #"{"name": "lácteos"}"#).status == .conflict)
            #expect(try await client.call(.put, "/api/categories/\(id)", as: owner, json: #"{"name": "Leche"}"#).json()["name"] == .string("Leche"))
            #expect(try await client.call(.patch, "/api/categories/\(id)/deactivate", as: owner).json()["isActive"] == .bool(false))
            #expect(try await client.call(.patch, "/api/categories/\(id)/activate", as: owner).json()["isActive"] == .bool(true))
            let vendor = try await client.signIn(world.vendorA1)
            #expect(try await client.call(.get, "/api/categories", as: vendor).json()["total"] == .int(1))
            #expect(try await client.call(.post, "/api/categories", as: vendor, json: #"{"name": "X"}"#).status == .forbidden)
            let ownerB = try await client.signIn(world.ownerB)
            #expect(try await client.call(.get, "/api/categories", as: ownerB).json()["total"] == .int(0))
            #expect(try await client.call(.put, "/api/categories/\(id)", as: ownerB, json: #"{"name": "Mine"}"#).status == .notFound)
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Every writable field fed what a careless or hostile client sends: wrong types, huge and fractional numbers,
/// control characters, oversized text, deep nesting, oversized bodies. Each answer is a precise 4xx (400 naming the
/// field where there is one) and the database is exactly as it was. SQL and HTML metacharacters are not bad input —
/// a shop may sell "Tom's <Best> coffee" — so they are stored verbatim and read back unchanged.
@Suite("Bad input")
struct BadInputTests {
    /// One request with one field spoiled: `template` holds `§` where the value goes.
    struct Case: CustomStringConvertible {
        let method: HTTPRequest.Method
        let path: String
        let template: String
        let field: String
        let value: String

        var body: String { template.replacingOccurrences(of: "§", with: value) }
        var description: String { "\(method) \(path) \(field)=\(value.prefix(40))" }
    }

    static let badText = [
        #""\u0000""#, #""bell\u0007""#, #""esc\u001b[31m""#, "12345", "[]", "{}", "true", "\"\(String(repeating: "x", count: 20_000))\"",
    ]
    static let badCount = ["-1", "1.5", "1e400", "9223372036854775808", "-9223372036854775809", #""3""#, "true", "null", "[]"]
    static let badMoney = ["-1", "1e400", "1.001", #""2.50""#, "true", "[]", "100000000000000"]
    static let badID = ["0", "-5", "1.5", #""1""#, "true", "9223372036854775808"]

    /// The templates: a valid body of each writing endpoint with each field spoiled in turn.
    static func cases(product: Int64, store: Int64, otherStore: Int64, user: Int64, sale: Int64, category: Int64) -> [Case] {
        var cases: [Case] = []
        func spoil(_ method: HTTPRequest.Method, _ path: String, _ fields: [String: (String, [String])]) {
            for (field, (_, bad)) in fields {
                let template = "{" + fields.map { key, entry in "\"\(key)\": \(key == field ? "§" : entry.0)" }.joined(separator: ", ") + "}"
                cases += bad.map { Case(method: method, path: path, template: template, field: field, value: $0) }
            }
        }
        spoil(
            .post, "/api/products",
            [
                "barcode": (#""NEW-1""#, badText), "name": (#""New""#, badText), "description": (#""d""#, badText),
                "category": (#""Drinks""#, badText), "price": ("2.5", badMoney), "cost": ("1", badMoney),
                "quantity": ("3", badCount + ["-3"]), "min_quantity": ("1", badCount),
                "expiration_date": (#""2030-01-01""#, badText + [#""2030-02-30""#, #""tomorrow""#]),
                "image_url": (#""https://example.com/a.png""#, badText + [#""javascript:alert(1)""#]),
            ])
        spoil(.put, "/api/products/\(product)", ["name": (#""Renamed""#, badText), "price": ("3", badMoney), "min_quantity": ("2", badCount)])
        spoil(
            .post, "/api/sales", ["barcode": (#""BAD-IN""#, badText), "quantity": ("1", badCount + ["0"]), "payment_method": (#""cash""#, badText)])
        spoil(
            .post, "/api/sales/bulk",
            [
                "items": (
                    #"[{"item_id": \#(product), "quantity": 1}]"#,
                    [
                        "[]", #"[{"item_id": \#(product), "quantity": 0}]"#, #"[{"item_id": \#(product), "quantity": -2}]"#,
                        #"[{"item_id": \#(product), "quantity": 1.5}]"#, #"[{"item_id": \#(product), "quantity": 1e400}]"#,
                        #"[{"item_id": \#(product), "quantity": "1"}]"#, #"[{"item_id": 0, "quantity": 1}]"#, #"[{"item_id": "x", "quantity": 1}]"#,
                        #"[{"item_id": \#(product)}]"#, "{}", "null",
                        #"[{"item_id": \#(product), "quantity": 1, "discount_percentage": 100.01}]"#,
                        #"[{"item_id": \#(product), "quantity": 1, "discount_percentage": -1}]"#,
                    ]
                ), "payment_method": (#""card""#, badText), "discount_amount": ("0", badMoney),
            ])
        spoil(
            .put, "/api/sales/\(sale)",
            [
                "items": (
                    #"[{"item_id": \#(product), "quantity": 1}]"#,
                    [
                        #"[{"item_id": \#(product), "quantity": 0}]"#, #"[{"item_id": \#(product), "quantity": 2.5}]"#, "[]", "7",
                    ]
                )
            ])
        spoil(
            .patch, "/api/store-inventory/stock",
            [
                "productId": ("\(product)", badID), "storeId": ("\(store)", badID), "stock": ("4", badCount), "reason": (#""count""#, badText),
            ])
        spoil(
            .post, "/api/store-inventory/transfer",
            [
                "productId": ("\(product)", badID), "fromStoreId": ("\(store)", badID), "toStoreId": ("\(otherStore)", badID),
                "quantity": ("1", badCount + ["0"]),
            ])
        spoil(
            .post, "/api/bills",
            [
                "storeId": ("\(store)", badID),
                "details": (
                    #"[{"productId": \#(product), "quantity": 1}]"#,
                    [
                        "[]", #"[{"productId": \#(product), "quantity": 0}]"#,
                        #"[{"productId": \#(product), "quantity": 1, "discountPercentage": 101}]"#,
                        #"[{"productId": \#(product), "quantity": 1, "discountPercentage": -1}]"#,
                    ]
                ), "customer": (#""Ana""#, badText), "discountAmount": ("0", ["-1", "1e400", #""1""#]),
            ])
        spoil(
            .post, "/api/users",
            [
                "username": (#""newperson""#, badText + [#""a b""#, #""x""#]), "email": (#""new@example.com""#, badText + [#""not-an-email""#]),
                "password": (#""password-123""#, ["12345", #""short""#, "\"\(String(repeating: "p", count: 100))\""]),
                "role": (#""vendor""#, badText + [#""king""#]),
            ])
        spoil(.put, "/api/users/\(user)", ["email": (#""changed@example.com""#, badText), "role": (#""vendor""#, [#""emperor""#, "1"])])
        spoil(.post, "/api/stores", ["name": (#""Kiosk""#, badText), "address": (#""Main St 1""#, badText)])
        spoil(.post, "/api/categories", ["name": (#""Snacks""#, badText)])
        spoil(
            .post, "/api/notifications/create",
            [
                "user_id": ("\(user)", badID), "title": (#""Hi""#, badText), "message": (#""Hello""#, badText),
                "type": (#""info""#, [#""loud""#, "1"]),
                "action_url": (#""/stock""#, badText + [#""/a\u0000""#, #""javascript:alert(1)""#]),
            ])
        spoil(.put, "/api/categories/\(category)", ["name": (#""Snacks 2""#, badText)])
        spoil(.put, "/api/stores/\(otherStore)", ["name": (#""Kiosk 2""#, badText), "address": (#""Main St 2""#, badText)])
        spoil(.post, "/api/debug/log", ["message": (#""boom""#, badText), "url": (#""/till""#, badText), "stack": (#""at x""#, badText)])
        spoil(
            .put, "/api/settings/company",
            [
                "tax_rate": ("16", ["-1", "100.5", "1e400", #""16""#, "0.001"]), "prices_include_tax": ("false", [#""yes""#, "1", "null"]),
                "shop_name": (#""Sol""#, badText), "tax_id": (#""B-1""#, badText), "receipt_width": ("58", ["60", #""80""#, "80.5", "null"]),
                "max_discount_vendor": ("10", ["-1", "100.5", "0.001", #""10""#, "null"]),
            ])
        spoil(.put, "/api/settings/language", ["language": (#""es""#, [#""fr""#, "1", "[]", #""es\u0000""#])])
        spoil(.put, "/api/settings/profile", ["email": (#""me@example.com""#, badText + [#""me@""#])])
        spoil(.post, "/api/tokens", ["name": (#""till 2""#, badText)])
        return cases
    }

    @Test("each spoiled field answers a precise 4xx and nothing changes", arguments: Engine.allCases)
    func spoiledFields(_ engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "BAD-IN", name: "Bad input", quantity: 50)
            let sold = try await client.call(.post, "/api/sales/bulk", as: owner, json: #"{"items": [{"item_id": \#(product), "quantity": 1}]}"#)
            guard case .int(let sale)? = try sold.json()["sale_id"] else {
                Issue.record("no sale: \(sold.text)")
                return
            }
            let created = try await client.call(.post, "/api/categories", as: owner, json: #"{"name": "Spoilt"}"#)
            guard case .int(let category)? = try created.json()["categoryId"] else {
                Issue.record("no category: \(created.text)")
                return
            }
            // The product's and the sale's notifications are written after commit: wait for them, or the "before"
            // picture would miss them and a late one would look like a change made by a refused request.
            try await Self.waitForNotifications(world.database, keys: ["product_created", "sale_registered"])
            let before = try await Self.snapshot(world.database)

            var wrong: [String] = []
            let cases = Self.cases(
                product: product, store: world.storeA1, otherStore: world.storeA2, user: world.vendorA1.id, sale: sale, category: category)
            for item in cases {
                let response = try await client.call(item.method, item.path, as: owner, json: item.body)
                let body = (try? response.json()) ?? [:]
                let namesField = body["field"].map { "\($0)".contains(item.field) } ?? false
                let precise = [400, 404, 409, 413, 422].contains(response.status.code) && (namesField || body["code"] != nil)
                if !precise || response.status.code >= 500 { wrong.append("\(item) → \(response.status.code) \(response.text.prefix(160))") }
            }
            #expect(wrong.isEmpty, "\(wrong.count) of \(cases.count) answers were not a precise 4xx:\n\(wrong.joined(separator: "\n"))")
            let after = try await Self.snapshot(world.database)
            let changed = before.keys.filter { before[$0] != after[$0] }.sorted()
            #expect(changed.isEmpty, "a refused request changed rows of \(changed)")
            print(
                "Bad input (\(engine)): \(cases.count) spoiled requests, \(cases.count - wrong.count) precise 4xx, "
                    + (changed.isEmpty ? "every row of \(before.count) tables unchanged" : "rows changed in \(changed)"))
        }
    }

    @Test("deep nesting, oversized bodies, invalid UTF-8 and wrong content types", arguments: Engine.allCases)
    func malformedBodies(_ engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let before = try await Self.snapshot(world.database)
            let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            let deepObject = String(repeating: #"{"a":"#, count: 20_000) + "1" + String(repeating: "}", count: 20_000)
            let bodies: [(String, ByteBuffer, HTTPFields, Set<Int>)] = [
                ("deep array", ByteBuffer(string: deep), owner.headers, [400, 413]),
                ("deep object", ByteBuffer(string: deepObject), owner.headers, [400, 413]),
                ("2 MiB", ByteBuffer(string: #"{"name": ""# + String(repeating: "x", count: 2 << 20) + #""}"#), owner.headers, [413]),
                (
                    "invalid UTF-8",
                    ByteBuffer(bytes: Array(#"{"barcode": "A", "name": ""#.utf8) + [0xC3, 0x28, 0xFF] + Array(#"", "price": 1}"#.utf8)),
                    owner.headers, [400]
                ),
                (
                    "form body", ByteBuffer(string: "name=x&price=1"), owner.headers.merging([.contentType: "application/x-www-form-urlencoded"]),
                    [415]
                ),
                ("empty", ByteBuffer(), owner.headers, [400]),
                ("a JSON string", ByteBuffer(string: #""just text""#), owner.headers, [400]),
                ("duplicate keys", ByteBuffer(string: #"{"barcode": "D1", "name": "a", "name": "b", "price": 1}"#), owner.headers, [201, 400]),
            ]
            for (name, body, headers, expected) in bodies {
                let response = try await client.execute(uri: "/api/products", method: .post, headers: headers, body: body)
                #expect(expected.contains(Int(response.status.code)), "\(name): \(response.status) \(response.text.prefix(200))")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, "\(name): a JSON error")
            }
            // Duplicate keys may be refused or take one value; either way at most that one product exists.
            let after = try await Self.snapshot(world.database)
            #expect(
                after.filter {
                    $0.key != "products" && $0.key != "stock_levels" && $0.key != "stock_movements" && $0.key != "audit_log"
                        && $0.key != "notifications"
                }
                    == before.filter {
                        $0.key != "products" && $0.key != "stock_levels" && $0.key != "stock_movements" && $0.key != "audit_log"
                            && $0.key != "notifications"
                    })
            #expect((after["products"]?.count ?? 0) - (before["products"]?.count ?? 0) <= 1)
            // a CSV with a NUL (a binary file sent as CSV) is a 400, on PostgreSQL too (it was a 500 there)
            var csvHeaders = owner.headers
            csvHeaders[.contentType] = "text/csv"
            let binary = try await client.execute(
                uri: "/api/import/products", method: .post, headers: csvHeaders,
                body: ByteBuffer(string: "name,price\nTe\u{0}a,1\n"))
            #expect(binary.status == .badRequest && binary.text.contains(#""code":"not_text""#), "\(binary.status) \(binary.text)")
            let huge = try await client.execute(
                uri: "/api/products?search=" + String(repeating: "a", count: 5_000), method: .get, headers: owner.headers)
            #expect(huge.status == .badRequest, "an oversized query value is refused: \(huge.status)")
        }
    }

    @Test("SQL and HTML metacharacters are data: stored and read back verbatim", arguments: Engine.allCases)
    func metacharacters(_ engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let names = [
                #"Tom's "Best" <b>coffee</b>"#, "x'); DROP TABLE products; --", #"%_\ 'OR 1=1 --"#, "Café ☕️ 日本 🇪🇸", "<script>alert(1)</script>",
            ]
            for (index, name) in names.enumerated() {
                let json =
                    String(decoding: try JSONEncoder().encode(["barcode": "META-\(index)", "name": name, "category": name]), as: UTF8.self)
                    .dropLast() + #", "price": 1}"#
                let created = try await client.call(.post, "/api/products", as: owner, json: String(json))
                #expect(created.status == .created, "\(name): \(created.text)")
                guard case .int(let id)? = try created.json()["id"] else { continue }
                let read = try await client.call(.get, "/api/products/\(id)", as: owner)
                #expect(try read.json()["name"] == .string(name) && read.json()["category"] == .string(name), "\(name) read back as \(read.text)")
                let found = try await client.call(
                    .get, "/api/products?search=" + name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, as: owner)
                #expect(found.text.contains(#""id":\#(id)"#), "searching for \(name) finds it")
            }
            #expect(try await client.call(.get, "/api/products?search=%25", as: owner).status == .ok)
            let page = try await client.call(.get, "/products", as: owner).text
            #expect(!page.contains("<script>alert(1)") && page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }

    /// Every row of every table a request could write, each column as text: what "nothing changed" means (a
    /// refused request must not add, remove or edit a row). Sessions and login attempts are left out: signing in is
    /// not what these tests refuse.
    static func snapshot(_ database: any DatabaseClient) async throws -> [String: [String]] {
        let tables = [
            "companies", "stores", "users", "categories", "products", "stock_levels", "stock_movements", "sales", "sale_lines",
            "notifications", "audit_log", "api_tokens", "product_imports", "sales_hourly", "product_sales_daily",
            "product_sales_blocks", "store_bill_counters", "idempotency_keys",
        ]
        return try await database.read { db in
            var rows: [String: [String]] = [:]
            for table in tables {
                rows[table] = try await db.raw("SELECT * FROM \(unsafeRaw: table)").all().map(Self.text(of:)).sorted()
            }
            return rows
        }
    }

    /// A row as `column=value` pairs, whatever each column's type on either engine.
    static func text(of row: any SQLRow) -> String {
        row.allColumns.sorted().map { column in
            if (try? row.decodeNil(column: column)) == true { return "\(column)=null" }
            if let value = try? row.decode(column: column, as: String.self) { return "\(column)=\(value)" }
            if let value = try? row.decode(column: column, as: Int64.self) { return "\(column)=\(value)" }
            if let value = try? row.decode(column: column, as: Double.self) { return "\(column)=\(value)" }
            if let value = try? row.decode(column: column, as: Bool.self) { return "\(column)=\(value)" }
            return "\(column)=?"
        }.joined(separator: " ")
    }

    /// Waits (up to 10 s) until a notification of each key exists.
    static func waitForNotifications(_ database: any DatabaseClient, keys: [String]) async throws {
        for _ in 0..<200 {
            let found = try await database.read { db in
                try await db.raw("SELECT COUNT(DISTINCT text_key) AS n FROM notifications WHERE text_key IN (\(binds: keys))")
                    .first(decodingColumn: "n", as: Int.self) ?? 0
            }
            if found == keys.count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("notifications \(keys) never arrived")
    }
}

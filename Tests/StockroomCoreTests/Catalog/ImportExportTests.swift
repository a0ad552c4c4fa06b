import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("CSV import and export")
struct ImportExportTests {
    func upload(_ client: some TestClientProtocol, _ session: SignedIn, _ csv: String, query: String = "") async throws -> TestResponse {
        var headers = session.headers
        headers[.contentType] = "text/csv"
        return try await client.execute(uri: "/api/import/products\(query)", method: .post, headers: headers, body: ByteBuffer(string: csv))
    }

    @Test("Spanish headers, ';' and decimal commas are understood; a bad row imports nothing and is reported; then all rows import")
    func previewAndConfirm() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let bad = "Código;Nombre;Precio de venta;Existencias;Categoría\n111;Té verde;25,50;10;Bebidas\n222;Café;gratis;5;Bebidas\n;Pan;2;-1;\n"
            let preview = try await upload(client, owner, bad)
            #expect(preview.status == .created)
            let body = try preview.json()
            #expect(body["rows"] == .int(3) && body["valid"] == .int(1) && body["error_count"] == .int(2))
            #expect(
                body["columns"]?.array.compactMap { $0["field"] } == [
                    .string("barcode"), .string("name"), .string("price"), .string("quantity"), .string("category"),
                ])
            #expect(body["errors"]?.array.map { $0["row"] } == [.int(3), .int(4)])
            #expect(body["errors"]?.array.map { $0["field"] } == [.string("price"), .string("quantity")])
            guard case .int(let badID)? = body["id"] else { throw ClusterError("\(body)") }
            let refused = try await client.call(.post, "/api/import/products/\(badID)/confirm", as: owner)
            #expect(try refused.status == .unprocessableContent && refused.json()["error_count"] == .int(2))
            #expect(try await client.call(.get, "/api/products", as: owner).json()["total"] == .int(0), "nothing was imported")

            // a mapping override: ignore the bad price column by mapping another one
            let csv = "sku,product,pvp,unidades,notes\n111,Té verde,25.5,10,x\n,Pan,2,4,y\n"
            let second = try await upload(client, owner, csv).json()
            guard case .int(let id)? = second["id"] else { throw ClusterError("\(second)") }
            let mapped = try await client.call(
                .post, "/api/import/products/\(id)/confirm", as: owner,
                json: #"{"mapping": {"sku": "barcode", "product": "name", "pvp": "price", "unidades": "quantity", "notes": ""}}"#)
            #expect(try mapped.status == .ok && mapped.json() == ["imported": .int(2), "created": .int(2), "updated": .int(0)])
            let products = try await client.call(.get, "/api/products?sort=name", as: owner).json()["data"]?.array ?? []
            #expect(products.map { $0["name"] } == [.string("Pan"), .string("Té verde")])
            #expect(products.map { $0["stock"] } == [.int(4), .int(10)])
            guard case .string(let generated)? = products.first?["barcode"] else { throw ClusterError("no barcode") }
            #expect(generated.count == 13, "a blank barcode is generated")

            // importing again updates by barcode and sets stock through import movements
            let again = try await upload(client, owner, "barcode,name,price,quantity\n111,Té verde grande,30,7\n").json()
            guard case .int(let againID)? = again["id"] else { throw ClusterError("\(again)") }
            #expect(try await client.call(.post, "/api/import/products/\(againID)/confirm", as: owner).json()["updated"] == .int(1))
            let movements = try await client.call(.get, "/api/stock-movements?kind=import", as: owner).json()
            #expect(movements["total"] == .int(3))
            #expect(try await world.ledgerProblems().mismatches.isEmpty)
            // someone else's import is not found; vendors cannot import
            let admin = try await client.signIn(world.adminA1)
            #expect(try await client.call(.post, "/api/import/products/\(againID)/confirm", as: admin).status == .notFound)
            #expect(try await upload(client, try await client.signIn(world.vendorA1), csv).status == .forbidden)
        }
    }

    @Test("10,000 rows import through the API, and through the command line's path with progress")
    func tenThousandRows() async throws {
        let csv =
            "barcode,name,price,cost,quantity,min_quantity,category\n"
            + (0..<10_000).map { index in
                "B\(index),Product \(index),\(index % 100).5,1,\(index % 50),5,Cat \(index % 20)\n"
            }.joined()
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let preview = try await upload(client, owner, csv).json()
            #expect(preview["valid"] == .int(10_000))
            guard case .int(let id)? = preview["id"] else { throw ClusterError("\(preview)") }
            let result = try await client.call(.post, "/api/import/products/\(id)/confirm", as: owner).json()
            #expect(result["created"] == .int(10_000))
            #expect(try await client.call(.get, "/api/products?limit=1", as: owner).json()["total"] == .int(10_000))

            // the CLI's path: same parser and service, into another store, reporting progress
            let reports = ProgressLog()
            let parsed = try ProductImport(csv: csv)
            let service = ImportService(
                database: world.database,
                catalogService: CatalogService(database: world.database, stockLedger: StockLedger(events: EventHub())))
            let cli = try await service.run(parsed, companyID: world.companyA, storeID: world.storeA2, actor: nil) { reports.add($0, $1) }
            #expect(cli.updated == 10_000)
            #expect(reports.last == [10_000, 10_000] && reports.count == 40)
            #expect(try await world.ledgerProblems().mismatches.isEmpty)
        }
        #expect(ProgressBar.render(done: 4_500, total: 10_000, width: 20) == "[#########-----------]  45%  4500/10000")
    }

    @Test("exports stream every product and movement as CSV, with formulas neutralised")
    func exports() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            _ = try await client.createProduct(as: owner, barcode: "X1", name: "=HYPERLINK(\\\"evil\\\")", quantity: 3)
            for index in 0..<600 {
                _ = try await client.call(
                    .patch, "/api/store-inventory/stock", as: owner, json: #"{"productId": 1, "storeId": \#(world.storeA1), "stock": \#(index + 10)}"#
                )
            }
            let products = try await client.call(.get, "/api/export/products.csv", as: owner)
            #expect(products.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = products.text.split(separator: "\r\n")
            #expect(lines.first == "barcode,name,description,price (EUR),cost (EUR),quantity,min_quantity,category,expiration_date,status")
            #expect(lines.count == 2 && lines[1].hasPrefix("X1,\"'=HYPERLINK(\"\"evil\"\")\""), "\(lines)")
            let movements = try await client.call(.get, "/api/export/stock-movements.csv", as: owner)
            #expect(movements.text.split(separator: "\r\n").count == 1 + 601, "header, opening and 600 adjustments across pages")
            let openings = try await client.call(.get, "/api/export/stock-movements.csv?kind=opening&from=2001-01-01", as: owner)
            #expect(openings.text.split(separator: "\r\n").count == 2, "the list's filters narrow the download")
            #expect(try await client.call(.get, "/api/export/stock-movements.csv?to=2001-01-01", as: owner).text.split(separator: "\r\n").count == 1)
            let ownerB = try await client.signIn(world.ownerB)
            #expect(try await client.call(.get, "/api/export/products.csv", as: ownerB).text.split(separator: "\r\n").count == 1)
        }
    }
}

extension ImportExportTests {
    /// 20 MiB files an attacker could send (the largest upload allowed), each refused by the limit it passes.
    static let hostileFiles: [(name: String, csv: String, code: String)] = {
        let size = 20 * 1024 * 1024 - 1024
        let wide = String(repeating: "a,", count: size / 2)
        let longCell = "name,price,notes\nTea,1," + String(repeating: "x", count: size - 32) + "\n"
        let longLine =
            "name,price," + (0..<60).map { "c\($0)" }.joined(separator: ",") + "\n"
            + String(repeating: "Tea,1," + String(repeating: String(repeating: "y", count: 4000) + ",", count: 60) + "\n", count: 80)
        let manyRows = "name,price\n" + String(repeating: "a\n", count: (size - 12) / 2)
        return [
            ("wide", wide, "too_many_columns"), ("one long cell", longCell, "field_too_long"),
            ("long lines", longLine, "line_too_long"), ("one-character rows", manyRows, "too_many_rows"),
        ]
    }()

    @Test(
        "20 MiB hostile files are refused by the limit they pass, a precise 400, while another company keeps working",
        arguments: Engine.allCases)
    func hostileUploads(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let vendorB = try await client.signIn(world.vendorB)
            for (name, csv, code) in Self.hostileFiles {
                let started = ContinuousClock.now
                async let others: [Int] = {
                    var statuses: [Int] = []
                    for _ in 0..<20 { statuses.append(Int(try await client.call(.get, "/api/products", as: vendorB).status.code)) }
                    return statuses
                }()
                let answer = try await upload(client, owner, csv)
                let took = ContinuousClock.now - started
                #expect(answer.status == .badRequest, "\(name): \(answer.status) \(answer.text.prefix(300))")
                #expect(try answer.json()["code"] == .string(code), "\(name): \(answer.text.prefix(300))")
                #expect(answer.text.utf8.count < 2_000, "\(name): the answer is small")
                #expect(try await others.allSatisfy { $0 == 200 }, "\(name): another company's requests are answered")
                print("hostile upload '\(name)' (\(csv.utf8.count) bytes, \(engine)): answered \(code) in \(took)")
            }
            // nothing was kept or imported
            let kept = try await world.database.read {
                try await $0.raw("SELECT COUNT(*) AS n FROM product_imports").first(decodingColumn: "n", as: Int.self)
            }
            #expect(kept == 0)
            #expect(try await client.call(.get, "/api/products", as: owner).json()["total"] == .int(0))
        }
    }

    @Test("a company reads or imports one file at a time; another company is not held up", arguments: Engine.allCases)
    func oneImportAtATime(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let service = ImportService(
                database: world.database,
                catalogService: CatalogService(database: world.database, stockLedger: StockLedger(events: EventHub())))
            func caller(_ company: Int64, _ user: Int64) -> Caller {
                Caller(
                    userID: user, companyID: company, storeID: 0, role: .owner, username: "u", email: "u@x", credential: .token(id: 0), ipAddress: nil
                )
            }
            let (started, release) = (AsyncStream<Void>.makeStream(), AsyncStream<Void>.makeStream())
            let first = Task {
                try await service.oneAtATime(caller(world.companyA, world.ownerA.id)) {
                    started.continuation.yield()
                    for await _ in release.stream { break }
                }
            }
            for await _ in started.stream { break }
            await #expect(throws: ShopError.self) { try await service.oneAtATime(caller(world.companyA, world.adminA1.id)) {} }
            do {
                try await service.oneAtATime(caller(world.companyA, world.adminA1.id)) {}
            } catch let error as ShopError {
                #expect(error.kind == .conflict && error.code == "import_running")
            }
            // another company goes ahead
            try await service.oneAtATime(caller(world.companyB, world.ownerB.id)) {}
            release.continuation.yield()
            try await first.value
            // and once the first is done, the company may go again
            try await service.oneAtATime(caller(world.companyA, world.adminA1.id)) {}
        }
    }

    /// Cells a spreadsheet runs as formulas although they do not start with the `=` character as Swift sees it.
    static let formulaBypasses = [
        "\t=1+1", "\r=1+1", "\n=1+1", " =1+1", "=\u{0301}1+1", "=\u{200D}cmd|' /C calc'!A0", "+\u{0308}1", "@\u{200D}SUM(A1)",
        "\t\r -2+3", "\u{00A0}=1", "-\u{0301}1",
    ]

    @Test(
        "the formula guard sees through leading whitespace and control characters and through combining marks",
        arguments: Engine.allCases)
    func formulaGuard(engine: Engine) async throws {
        // the rule itself, cell by cell
        for cell in Self.formulaBypasses {
            #expect(
                CSV.line([cell]).hasPrefix("\"'") || CSV.line([cell]).hasPrefix("'"), "\(cell.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        for plain in ["-5", "12.5", "Soap", "a=b", "  spaced", "e-mail"] {
            #expect(!CSV.line([plain]).contains("'"), "\(plain)")
        }
        // and every export of the server uses it: a product's description carries the cells out
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            var expected = 0
            for (index, cell) in Self.formulaBypasses.enumerated() {
                let description = String(decoding: try JSONEncoder().encode(cell), as: UTF8.self)
                let created = try await client.call(
                    .post, "/api/products", as: owner,
                    json: """
                        {"barcode": "F\(index)", "name": "Formula \(index)", "description": \(description), "price": 1}
                        """)
                if created.status == .created { expected += 1 }
            }
            #expect(expected >= Self.formulaBypasses.count - 4, "most cells are accepted as descriptions")
            let exported = try await client.call(.get, "/api/export/products.csv", as: owner).text
            let records = CSV.parse(exported).records.dropFirst()
            #expect(records.count == expected)
            for record in records {
                let description = record[2]
                #expect(description.hasPrefix("'"), "\(record[0]): \(description.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
    }
}

final class ProgressLog: @unchecked Sendable {
    private var reports: [[Int]] = []
    private let lock = NSLock()

    func add(_ done: Int, _ total: Int) { lock.withLock { reports.append([done, total]) } }
    var last: [Int]? { lock.withLock { reports.last } }
    var count: Int { lock.withLock { reports.count } }
}

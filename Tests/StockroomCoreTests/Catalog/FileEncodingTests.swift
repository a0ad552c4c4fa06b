import ChildProcesses
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// CSV files as shops have them: real bytes from Spanish Excel (Windows-1252), "Unicode text" (UTF-16 with a
/// byte-order mark, tab separated), Excel's "CSV UTF-8" (with a mark), and bytes valid in no encoding.
@Suite("CSV files as shops have them")
struct FileEncodingTests {
    /// "Jamón" in Windows-1252: ó is the single byte F3, invalid as UTF-8.
    static let jamon1252: [UInt8] = Array("codigo;nombre;precio;existencias\r\nJ1;Jam".utf8) + [0xF3] + Array("n;12,50;3\r\n".utf8)

    /// Excel's "Unicode text": UTF-16 little endian with its mark, tab separated, decimal commas.
    static let unicodeText: [UInt8] =
        [0xFF, 0xFE]
        + "Código\tNombre\tPrecio\tExistencias\r\nJ2\tJamón ibérico\t1.234,50\t2\r\n".utf16
        .flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }

    func upload(_ client: some TestClientProtocol, _ session: SignedIn, _ bytes: [UInt8]) async throws -> TestResponse {
        var headers = session.headers
        headers[.contentType] = "text/csv"
        return try await client.execute(uri: "/api/import/products", method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    @Test("bytes are read as UTF-8, UTF-16 LE/BE or UTF-8 with their marks, else Windows-1252; the same bytes always read the same")
    func detectsEncodings() {
        #expect(CSVText.decode(Array("nombre\nJamón".utf8)) == ("nombre\nJamón", .utf8))
        #expect(CSVText.decode([0xEF, 0xBB, 0xBF] + Array("nombre\nJamón".utf8)) == ("nombre\nJamón", .utf8BOM))
        #expect(CSVText.decode(Self.jamon1252).encoding == .windows1252)
        #expect(CSVText.decode(Self.jamon1252).text.contains("J1;Jamón;12,50;3"))
        #expect(CSVText.decode(Self.unicodeText) == ("Código\tNombre\tPrecio\tExistencias\r\nJ2\tJamón ibérico\t1.234,50\t2\r\n", .utf16LE))
        let bigEndian: [UInt8] = [0xFE, 0xFF] + "a\tñ".utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(CSVText.decode(bigEndian) == ("a\tñ", .utf16BE))
        // 0x80 is € in Windows-1252; 0x81 is unassigned there and invalid UTF-8 too: it reads as U+0081, every time
        let neither: [UInt8] = [0x6E, 0x80, 0x81, 0xC3, 0x28, 0xFF]
        #expect(CSVText.decode(neither) == ("n€\u{81}Ã(ÿ", .windows1252))
        #expect(CSVText.decode(neither) == CSVText.decode(neither))
        // an odd byte after UTF-16 text is a replacement character, not a crash
        #expect(CSVText.decode([0xFF, 0xFE, 0x61, 0x00, 0x62]) == ("a\u{FFFD}", .utf16LE))
        #expect(CSV.delimiter(of: "a\tb\tc,d\n") == "\t" && CSV.delimiter(of: "a;b\tc\n") == ";" && CSV.delimiter(of: "a,b\tc\n") == ",")
    }

    @Test("a Windows-1252 file from Spanish Excel imports \"Jamón\" as \"Jamón\", and the preview says how it was read", arguments: Engine.allCases)
    func importsWindows1252(_ engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let preview = try await upload(client, owner, Self.jamon1252)
            #expect(preview.status == .created, "\(preview.text)")
            let body = try preview.json()
            #expect(body["encoding"] == .string("windows-1252") && body["separator"] == .string("semicolon"))
            #expect(body["preview"]?.array.first?["name"] == .string("Jamón"))
            guard case .int(let id)? = body["id"] else { throw ClusterError("\(body)") }
            // a new mapping previews the stored upload again: it still says how the file was read
            let again = try await client.call(.post, "/api/import/products/\(id)/preview", as: owner).json()
            #expect(again["encoding"] == .string("windows-1252"))
            #expect(try await client.call(.post, "/api/import/products/\(id)/confirm", as: owner).json()["created"] == .int(1))
            let product = try await client.call(.get, "/api/products?search=J1", as: owner).json()["data"]?.array.first
            #expect(product?["name"] == .string("Jamón") && product?["price"] == .double(12.5))
        }
    }

    @Test("UTF-16 \"Unicode text\" with tabs and a UTF-8 file with a byte-order mark import whole", arguments: Engine.allCases)
    func importsUnicodeTextAndBOM(_ engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let unicode = try await upload(client, owner, Self.unicodeText).json()
            #expect(unicode["encoding"] == .string("utf-16le") && unicode["separator"] == .string("tab"), "\(unicode)")
            #expect(
                unicode["columns"]?.array.compactMap { $0["field"] } == [.string("barcode"), .string("name"), .string("price"), .string("quantity")])
            guard case .int(let first)? = unicode["id"] else { throw ClusterError("\(unicode)") }
            #expect(try await client.call(.post, "/api/import/products/\(first)/confirm", as: owner).json()["created"] == .int(1))

            let withMark = try await upload(client, owner, [0xEF, 0xBB, 0xBF] + Array("barcode,name,price\nJ3,Jamón serrano,7.25\n".utf8)).json()
            #expect(withMark["encoding"] == .string("utf-8-bom") && withMark["separator"] == .string("comma"), "\(withMark)")
            #expect(withMark["columns"]?.array.first?["header"] == .string("barcode"), "the mark is not part of the first header")
            guard case .int(let second)? = withMark["id"] else { throw ClusterError("\(withMark)") }
            #expect(try await client.call(.post, "/api/import/products/\(second)/confirm", as: owner).json()["created"] == .int(1))

            let products = try await client.call(.get, "/api/products?sort=name", as: owner).json()["data"]?.array ?? []
            #expect(products.map { $0["name"] } == [.string("Jamón ibérico"), .string("Jamón serrano")])
            #expect(products.map { $0["price"] } == [.double(1234.5), .double(7.25)])
            // a NUL in the text (not in UTF-16's bytes) is still a binary file
            #expect(try await upload(client, owner, Array("name,price\nA\u{0}B,1\n".utf8)).status == .badRequest)
        }
    }

    @Test("a file under the upload limit whose text would be larger (Windows-1252 € is three bytes in UTF-8) answers 413 text_too_large")
    func textLargerThanTheLimit() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            // 7.5 MiB of byte 80 (€ in Windows-1252) reads as 22.5 MiB of UTF-8 text
            let bytes = Array("name;price\r\n".utf8) + [UInt8](repeating: 0x80, count: 7_864_320) + Array(";1\r\n".utf8)
            #expect(bytes.count < ImportController.maxFileBytes)
            let response = try await upload(client, owner, bytes)
            #expect(response.status == .contentTooLarge, "\(response.text.prefix(300))")
            let body = try response.json()
            #expect(body["code"] == .string("text_too_large") && body["encoding"] == .string("windows-1252"), "\(body)")
            #expect(body["text_bytes"] == .int(12 + 3 * 7_864_320 + 4) && body["limit"] == .int(Int64(ImportService.maxTextBytes)), "\(body)")
            // nothing was kept, and the company may upload again at once
            let small = try await upload(client, owner, Self.jamon1252)
            #expect(small.status == .created, "\(small.text)")
        }
    }

    @Test("README: `stockroom import FILE` reads a Windows-1252 file as \"Jamón\" and says which encoding it used")
    func commandLineImport() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "stockroom-cli-import-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appending(path: "jamon.csv")
        try Data(Self.jamon1252).write(to: file)
        let environment = ["STOCKROOM_DATABASE_URL": "sqlite://\(directory.path)/shop.sqlite", "STOCKROOM_BCRYPT_COST": "4"]
        func run(_ arguments: [String]) async throws -> String {
            let log = directory.appending(path: "\(arguments[0]).log").path
            let process = try RunningProcess(
                try StockroomNode.executable, arguments, environment: environment, directory: directory.path, logPath: log)
            let deadline = ContinuousClock.now + .seconds(120)
            while process.exitStatus == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            let status = await process.terminate(giveUpAfter: .seconds(5))
            try #require(status == 0, "stockroom \(arguments.joined(separator: " ")): \(process.output)")
            return process.output
        }
        _ = try await run(["create-company", "--name", "Tienda", "--username", "dueno", "--email", "dueno@example.com"])
        let output = try await run(["import", file.path, "--company", "1"])
        #expect(output.contains("Read \(file.path) as windows-1252, semicolon-separated."), "\(output)")
        let config = try AppConfig(values: environment)
        let names = try await TestDatabase.withClient(.sqlite, config: config) { database in
            try await database.read { try await $0.raw("SELECT name FROM products").all(decodingColumn: "name", as: String.self) }
        }
        #expect(names == ["Jamón"])
    }

    @Test("exports offer a UTF-8 byte-order mark for Excel, name the currency in money headers, and import back as they are")
    func exportsForExcel() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            _ = try await client.createProduct(as: owner, barcode: "J4", name: "Jamón", quantity: 3, price: 12.5, cost: 8)
            let plain = try await client.call(.get, "/api/export/products.csv", as: owner)
            #expect(Array(plain.body.readableBytesView.prefix(3)) == Array("bar".utf8), "no mark unless asked")
            let marked = try await client.call(.get, "/api/export/products.csv?bom=1", as: owner)
            let bytes = Array(marked.body.readableBytesView)
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self).hasPrefix("barcode,name,description,price (EUR),cost (EUR),quantity,"))
            #expect(String(decoding: bytes, as: UTF8.self).contains("J4,Jamón,,12.5,8.0,3,"), "amounts stay plain numbers")
            for path in ["/api/export/sales.csv?bom=true", "/api/export/stock-movements.csv?bom=1"] {
                #expect(Array(try await client.call(.get, path, as: owner).body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(path)")
            }
            // the file Excel gets imports back: same columns, the product updated, not duplicated
            let again = try await upload(client, owner, bytes).json()
            #expect(again["encoding"] == .string("utf-8-bom"))
            #expect(
                again["columns"]?.array.prefix(6).compactMap { $0["field"] } == [
                    .string("barcode"), .string("name"), .string("description"), .string("price"), .string("cost"), .string("quantity"),
                ])
            guard case .int(let id)? = again["id"] else { throw ClusterError("\(again)") }
            #expect(try await client.call(.post, "/api/import/products/\(id)/confirm", as: owner).json()["updated"] == .int(1))
        }
    }
}

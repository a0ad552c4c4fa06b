import Foundation
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// `ResponseJSON` writes what Foundation's `JSONEncoder` (ISO-8601 dates, slashes unescaped) writes for the same
/// leaves, byte for byte, and the same document for the same types — except that `AllKeysEncodable` types keep
/// their nil keys as `null` under their key style, which is why it exists.
@Suite struct ResponseJSONTests {
    private static let foundation: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    /// An array keeps its order, so both encoders' bytes can be compared directly.
    private func sameBytes<T: Encodable>(_ values: [T], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let ours = try ResponseJSON.string(values)
        let theirs = String(decoding: try Self.foundation.encode(values), as: UTF8.self)
        #expect(ours == theirs, sourceLocation: sourceLocation)
    }

    @Test func stringsEscapeAsFoundationDoes() throws {
        let every = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        try sameBytes(every)
        try sameBytes(["", "Jamón ibérico", "a/b", "tab\there", "quote \" and \\ back", "emoji 🧀", "\u{2028}\u{2029}", "\u{7F}"])
    }

    @Test func numbersAsFoundationWritesThem() throws {
        try sameBytes([0, 1, -1, 9, 10, 99, 100, Int64.max, Int64.min, 229_350, -42])
        try sameBytes([0.0, 1.0, 10.0, 12.5, 0.1, 0.01, 229_350.75, 1_000_000.01, -3.25, 1e14, 123_456_789.125, 0.000_01, 1e16, 1e300])
        try sameBytes([true, false])
        try sameBytes([UInt64.max, 0])
        try sameBytes([Float(1.5), Float(3), Float(0.1)])
        #expect(throws: EncodingError.self) { try ResponseJSON.bytes([Double.nan]) }
        #expect(throws: EncodingError.self) { try ResponseJSON.bytes([Double.infinity]) }
    }

    @Test func datesAsFoundationWritesThem() throws {
        var random = SystemRandomNumberGenerator()
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: -0.5),
            Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: 1_796_587_199.999), Date(timeIntervalSince1970: 253_402_300_799),
        ]
        for _ in 0..<2_000 {
            // From 1900 to 2200, with milliseconds as Stockroom stores them.
            dates.append(Date(timeIntervalSince1970: Double(Int64.random(in: -2_208_988_800_000...7_258_118_400_000, using: &random)) / 1000))
        }
        try sameBytes(dates)
    }

    struct Shelf: Encodable, AllKeysEncodable {
        let shelfID: Int64
        let label: String?
        let lastCountedAt: Date?
        let tags: [String]?
        let bin: Bin?
        let sku2Code: String
    }

    struct Bin: Encodable {
        let row: Int
        let note: String?
    }

    struct CredithShelf: Encodable, AllKeysEncodable {
        static var keyStyle: JSONKeyStyle { .asWritten }
        let storeId: Int64
        let address: String?
    }

    struct Aisle: Encodable {
        let name: String?
        let shelves: [Shelf]
        let credith: CredithShelf
        let byName: [String: Int]
    }

    @Test func allKeysTypesWriteNilAsNullUnderTheirKeyStyle() throws {
        let shelf = Shelf(shelfID: 7, label: nil, lastCountedAt: nil, tags: nil, bin: Bin(row: 2, note: nil), sku2Code: "x")
        #expect(
            try ResponseJSON.string(shelf)
                == #"{"shelf_id":7,"label":null,"last_counted_at":null,"tags":null,"bin":{"row":2},"sku2_code":"x"}"#)
        #expect(try ResponseJSON.string(CredithShelf(storeId: 3, address: nil)) == #"{"storeId":3,"address":null}"#)
        // A plain type leaves nil out, around and inside all-keys ones.
        let aisle = Aisle(name: nil, shelves: [shelf, shelf], credith: CredithShelf(storeId: 1, address: "Calle 1"), byName: [:])
        let json = try ResponseJSON.string(aisle)
        #expect(json.hasPrefix(#"{"shelves":[{"shelf_id":7,"label":null"#))
        #expect(json.hasSuffix(#""credith":{"storeId":1,"address":"Calle 1"},"byName":{}}"#))
    }

    /// The same document as Foundation's for types without nil keys (the keys' order aside: ours is declaration
    /// order), and the same values for every key Foundation writes.
    @Test func theSameDocumentAsFoundation() throws {
        let shelf = Shelf(
            shelfID: 1, label: "Top", lastCountedAt: Date(timeIntervalSince1970: 1_765_000_000.250), tags: ["a", "b/c"],
            bin: Bin(row: 1, note: "n"), sku2Code: "Z")
        let aisle = Aisle(
            name: "Dairy", shelves: [shelf], credith: CredithShelf(storeId: 9, address: "Avenida 3"),
            byName: ["milk": 3, "cheese": 12, "\"odd\" key": -1])
        let ours = try JSONDecoder().decode(JSONValue.self, from: ResponseJSON.data(aisle))
        let theirs = try JSONDecoder().decode(JSONValue.self, from: Self.foundation.encode(aisle))
        // Foundation keeps property names; ours renames the all-keys shelf's keys to snake_case.
        guard case .object(var oursAisle) = ours, case .object(var theirsAisle) = theirs,
            case .array(let oursShelves) = oursAisle.removeValue(forKey: "shelves"),
            case .array(let theirsShelves) = theirsAisle.removeValue(forKey: "shelves"),
            case .object(let oursShelf) = oursShelves.first, case .object(let theirsShelf) = theirsShelves.first
        else {
            Issue.record("not the expected shapes: \(ours) \(theirs)")
            return
        }
        #expect(oursAisle == theirsAisle)
        #expect(oursShelf.count == theirsShelf.count)
        for (key, value) in theirsShelf { #expect(oursShelf[JSONKeyStyle.snakeCase(key)] == value, "\(key)") }
    }

    /// Hand-written encoders that nest containers, ask twice or use a super encoder still give valid JSON.
    struct Handwritten: Encodable {
        enum Keys: String, CodingKey { case outer, list, after, more }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var outer = container.nestedContainer(keyedBy: Keys.self, forKey: .outer)
            try outer.encode(1, forKey: .after)
            var list = outer.nestedUnkeyedContainer(forKey: .list)
            try list.encode("x")
            var deeper = list.nestedContainer(keyedBy: Keys.self)
            try deeper.encodeNil(forKey: .more)
            try container.encode(true, forKey: .after)
            var again = encoder.container(keyedBy: AnyKey.self)
            try again.encode([1, 2], forKey: AnyKey("again"))
            try Bin(row: 5, note: nil).encode(to: container.superEncoder(forKey: .more))
        }
    }

    @Test func auditValuesSortedAndReadBackTheSame() throws {
        let values: [String: JSONValue] = [
            "total": .double(229_350.75), "lines": .array([.object(["qty": .int(2), "name": .string("Jamón / ibérico \"5J\"")])]),
            "voided": .bool(false), "note": .null, "bill_number": .int(42), "Zeta": .string("🧀\n"),
        ]
        let written = try #require(AuditRepository.json(values))
        let sorted = JSONEncoder()
        sorted.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(written == String(decoding: try sorted.encode(values), as: UTF8.self))
        #expect(try JSONDecoder().decode([String: JSONValue].self, from: Data(written.utf8)) == values)
        #expect(AuditRepository.json(nil) == nil)
    }

    @Test func handWrittenProductsAsTheirEncodableWrites() throws {
        func item(_ id: Int64, category: (Int64, String)?, expires: String?, image: String?, active: Bool) -> StoreProduct {
            StoreProduct(
                product: Product(
                    id: id, companyID: 1, categoryID: category?.0, categoryName: category?.1, barcode: "84\(id)\"/\\",
                    name: "Jamón ibérico \(id)\n", description: id % 2 == 0 ? "" : "tab\tand 🧀", priceCents: 229_350_75 + id,
                    costCents: id * 100, expirationDate: expires, imageURL: image, isActive: active,
                    createdAt: Date(timeIntervalSince1970: 1_765_000_000.75 + Double(id)), updatedAt: Date(timeIntervalSince1970: -86_399.5)),
                storeID: 7, stock: -id, minStock: Int64.max, isActiveInStore: id % 3 != 0)
        }
        let page = Paged(
            [
                item(1, category: (3, "Charcutería"), expires: "2026-12-31", image: "https://x/y.png", active: true),
                item(2, category: nil, expires: nil, image: nil, active: false),
                item(3, category: (Int64.min, ""), expires: "", image: "", active: true),
            ].map(ProductResponse.init),
            total: 3, page: PageRequest(page: 1, limit: 50))
        let generic = JSONOutput(useWriters: false)
        try generic.value(page)
        generic.close(to: 0)
        let written = try ResponseJSON.bytes(page)
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: generic.bytes, as: UTF8.self))
        #expect(
            try ResponseJSON.string(ProductResponse(item(4, category: nil, expires: nil, image: nil, active: true))).contains(#""category_id":null"#))
    }

    @Test func nestedContainersCloseWhereTheyShould() throws {
        #expect(
            try ResponseJSON.string([Handwritten(), Handwritten()])
                == #"[{"outer":{"after":1,"list":["x",{"more":null}]},"after":true,"again":[1,2],"more":{"row":5}},"#
                + #"{"outer":{"after":1,"list":["x",{"more":null}]},"after":true,"again":[1,2],"more":{"row":5}}]"#)
        #expect(
            try ResponseJSON.string(JSONValue.object(["b": .int(1), "a": .array([.null, .double(2.5), .bool(true)])]))
                == #"{"a":[null,2.5,true],"b":1}"#)
        // Dictionaries keyed by strings are sorted: equal answers are equal bytes whatever the hash order.
        #expect(try ResponseJSON.string(["b": 1, "é": 4, "a": 2, "c": 3]) == #"{"a":2,"b":1,"c":3,"é":4}"#)
    }
}

import Foundation
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Every string a page shows exists in English and Spanish.
@Suite("Translations")
struct TranslationTests {
    @Test("each {{t.key}} of every template is in the table, no key is defined twice, no text is blank")
    func everyStringTranslated() throws {
        let templates = try WebRenderer.resources().appending(path: "templates")
        let files = try FileManager.default.contentsOfDirectory(atPath: templates.path).filter { $0.hasSuffix(".mustache") }
        #expect(files.count >= 10)
        var used = Set<String>()
        for file in files {
            let text = try String(contentsOf: templates.appending(path: file), encoding: .utf8)
            for match in text.matches(of: /\{\{[#^\/]?t\.([a-z0-9_]+)\}\}/) { used.insert(String(match.output.1)) }
        }
        #expect(used.count > 150, "the scan finds the keys")
        let table = Language.table
        #expect(used.subtracting(table.keys).sorted() == [], "used in templates but not translated")
        #expect(Language.areas.map(\.count).reduce(0, +) == table.count, "a key is defined in two areas")
        for (key, text) in table {
            #expect(!text.en.isEmpty && !text.es.isEmpty, "\(key)")
        }
        // Strings the Swift code looks up by name (roles, statuses, kinds, options) are in the table too.
        for key in [
            "role_owner", "role_admin", "role_vendor", "sale_completed", "sale_voided", "kind_transfer_in", "option_low_stock", "account_pending",
        ] {
            #expect(table[key] != nil, "\(key)")
        }
    }
}

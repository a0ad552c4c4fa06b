import Foundation
import Logging
import NIOConcurrencyHelpers
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The product search (lists' `search`, the till's lookup) through its index: SQLite's trigram table, PostgreSQL's
/// `pg_trgm` indexes. It must find exactly what the substring scan it replaced found, on both engines, and follow
/// every change of a product within the transaction that makes it.
@Suite("Product search index")
struct ProductSearchTests {
    /// Names and barcodes with what a search has to take literally: LIKE's wildcards, FTS5's quote and operators,
    /// a backslash, mixed case, accents, spaces, digits inside longer numbers.
    static let catalog: [(barcode: String, name: String)] = {
        var products = (1...300).map { ("P\($0)", "Product \($0)") }
        products += [
            ("ABC-123", "Tile 42x42 white"), ("abc-124", "tile 42X42 Black"), ("750100", "Agua 50% off"), ("750101", "Agua 5 litros"),
            ("UNDER_1", "under_score soap"), ("UNDERX1", "underXscore soap"), ("Q1", #"Quote "x" tea"#), ("Q2", "Quote x tea"),
            ("BS1", #"back\slash"#), ("J1", "jamón serrano"), ("J2", "Jamon iberico"), ("C1", "café molido"),
            ("NEAR", "NEAR OR AND NOT"), ("STAR", "star* (x) {y} ^z"), ("SP", "  two  spaces  "),
        ]
        return products
    }()

    static let searches = [
        "product 4", "PRODUCT 42", "Product 300", "42", "4", "30", "roduct 1", "duct 2", "x42", "42X4", "abc-12", "C-1",
        "50%", "%", "5 l", "_", "under_", "under_s", "derx", #""x""#, #"e "x" t"#, #"""#, #"\"#, #"k\s"#, "jamón", "jamon",
        "amó", "café", "NEAR OR", "or and", "star*", "(x)", "{y}", "^z", "  two", "two  spaces  ", "zzz", "7501", "P1",
    ]

    @Test("the index finds what the substring scan finds, on both engines alike", arguments: Engine.allCases)
    func sameAsScan(engine: Engine) async throws {
        try await ShopWorld.run(engine) { _, world in
            try await Self.seed(world)
            for search in Self.searches {
                let indexed = try await Self.search(search, world)
                let scanned = try await Self.scan(search, world)
                #expect(indexed == scanned, "\(engine) \"\(search)\": index \(indexed), scan \(scanned)")
            }
            // the ones that must find something, do (the comparison above cannot hide an index that finds nothing)
            #expect(try await Self.search("PRODUCT 42", world) == ["P42"])
            #expect(try await Self.search("50%", world) == ["750100"])
            #expect(try await Self.search(#""x""#, world) == ["Q1"])
            #expect(try await Self.search(#"k\s"#, world) == ["BS1"])
            #expect(try await Self.search("under_", world) == ["UNDER_1"])
            #expect(try await Self.search("x42", world) == ["ABC-123", "abc-124"])
        }
    }

    @Test("the same searches answer the same products on SQLite and PostgreSQL")
    func sameOnBothEngines() async throws {
        let answers = NIOLockedValueBox<[Engine: [String: [String]]]>([:])
        for engine in Engine.allCases {
            try await ShopWorld.run(engine) { _, world in
                try await Self.seed(world)
                var found: [String: [String]] = [:]
                for search in Self.searches { found[search] = try await Self.search(search, world) }
                answers.withLockedValue { [found] in $0[engine] = found }
            }
        }
        let both = answers.withLockedValue { $0 }
        #expect(both[.sqlite] != nil && both[.sqlite] == both[.postgres])
    }

    @Test("a new, renamed or recoded product is found as it now is, at once", arguments: Engine.allCases)
    func followsChanges(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let id = try await client.createProduct(as: owner, barcode: "OLD-CODE", name: "Lavender soap")
            #expect(try await Self.search("ender so", world) == ["OLD-CODE"])
            let renamed = try await client.call(.put, "/api/products/\(id)", as: owner, json: #"{"name": "Rosemary shampoo", "barcode": "NEW-CODE"}"#)
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect(try await Self.search("ender so", world) == [])
            #expect(try await Self.search("semary sh", world) == ["NEW-CODE"])
            #expect(try await Self.search("old-co", world) == [])
            #expect(try await Self.search("new-co", world) == ["NEW-CODE"])
            // the till's lookup, through the API, finds it by a piece of its name
            let items = try await client.call(.get, "/api/items?q=rosemary", as: owner)
            #expect(items.text.contains("NEW-CODE"), "\(items.text)")
        }
    }

    @Test("products that were there before the index are found once it is built; the search goes through it", arguments: Engine.allCases)
    func builtOverExistingProducts(engine: Engine) async throws {
        try await TestDatabase.withClient(engine) { database in
            let logger = Logger(label: "test")
            try await Migrator(migrations: Migration.all.filter { $0.id < 11 }, logger: logger).migrate(database)
            let company = try await database.withTransaction { transaction in
                let company = try await transaction.db.raw(
                    """
                    INSERT INTO companies (name, created_at) VALUES ('Old shop', 0) RETURNING id
                    """
                ).first(decodingColumn: "id", as: Int64.self)!
                try await transaction.db.raw(
                    """
                    INSERT INTO products (company_id, barcode, name, price_cents, created_at, updated_at)
                    VALUES (\(bind: company), 'OLD-1', 'Candle of beeswax', 100, 0, 0)
                    """
                ).run()
                return company
            }
            #expect(try await Migrator(migrations: Migration.all.filter { $0.id <= 11 }, logger: logger).migrate(database) == [11])
            let found = try await database.read { db in
                try await db.raw("SELECT p.barcode FROM products p WHERE p.company_id = \(bind: company) AND \(SQLText.productSearch("EESWA", db))")
                    .all(decodingColumn: "barcode", as: String.self)
            }
            #expect(found == ["OLD-1"])
            let plan = try await database.read { db in
                switch engine {
                case .sqlite:
                    try await db.raw("EXPLAIN QUERY PLAN SELECT p.id FROM products p WHERE \(SQLText.productSearch("eeswa", db))")
                        .all(decodingColumn: "detail", as: String.self).joined(separator: "; ")
                case .postgres:
                    try await db.raw("SELECT indexname FROM pg_indexes WHERE tablename = 'products' AND indexname LIKE '%trigrams' ORDER BY 1")
                        .all(decodingColumn: "indexname", as: String.self).joined(separator: "; ")
                }
            }
            #expect(
                plan.contains(engine == .sqlite ? "product_search VIRTUAL TABLE INDEX" : "products_barcode_trigrams; products_name_trigrams"),
                "\(plan)")
        }
    }

    static func seed(_ world: ShopWorld) async throws {
        try await world.database.withTransaction { transaction in
            for (barcode, name) in catalog {
                try await transaction.db.raw(
                    """
                    INSERT INTO products (company_id, barcode, name, price_cents, created_at, updated_at)
                    VALUES (\(bind: world.companyA), \(bind: barcode), \(bind: name), 100, 0, 0)
                    """
                ).run()
            }
        }
    }

    /// The barcodes a search finds, through the repository (the index where there is one).
    static func search(_ text: String, _ world: ShopWorld) async throws -> [String] {
        let query = ProductQuery(companyID: world.companyA, storeID: world.storeA1, search: text)
        return try await world.database.read { db in
            try await CatalogRepository().storeProducts(query, limit: 1000, offset: 0, db).products.map(\.product.barcode).sorted()
        }
    }

    /// The barcodes the substring scan the index replaced finds (`LOWER(…) LIKE '%text%'`, as before migration 11).
    static func scan(_ text: String, _ world: ShopWorld) async throws -> [String] {
        let pattern = "%" + SQLText.escapeLike(text.lowercased()) + "%"
        return try await world.database.read { db in
            try await db.raw(
                """
                SELECT barcode FROM products p WHERE company_id = \(bind: world.companyA) AND is_active
                AND (LOWER(p.name) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(p.barcode) LIKE \(bind: pattern) ESCAPE '\\')
                """
            ).all(decodingColumn: "barcode", as: String.self).sorted()
        }
    }
}

import Foundation
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The plain product list in name order (issue #19): its page found on an index and its total from the counts the
/// triggers keep. It must answer exactly what the join over every product answered before — every page, both
/// directions, with disabled products and products archived in the store — on both engines alike.
@Suite("Product list pages")
struct ProductListPageTests {
    /// 230 products: names that tie (so `id` decides), mixed case (the order is by `LOWER`), accents; every 7th
    /// disabled; every 11th archived in store A1 (and every 13th in A2, which A1's list must not notice).
    static func seed(_ world: ShopWorld) async throws {
        try await world.database.withTransaction { transaction in
            for number in 1...230 {
                let name =
                    switch number % 4 {
                    case 0: "Widget \(number % 17)"
                    case 1: "widget \(number % 17)"
                    case 2: "Ñandú \(number)"
                    default: "apple \(number % 9)"
                    }
                let id = try await transaction.db.raw(
                    """
                    INSERT INTO products (company_id, barcode, name, price_cents, is_active, created_at, updated_at)
                    VALUES (\(bind: world.companyA), \(bind: "L\(number)"), \(bind: name), 100, \(bind: number % 7 != 0), 0, 0)
                    RETURNING id
                    """
                ).first(decodingColumn: "id", as: Int64.self)!
                for (store, archived) in [(world.storeA1, number % 11 == 0), (world.storeA2, number % 13 == 0)] {
                    try await transaction.db.raw(
                        """
                        INSERT INTO stock_levels (store_id, product_id, in_stock, min_stock, is_active, updated_at)
                        VALUES (\(bind: store), \(bind: id), 0, 0, \(bind: !archived), 0)
                        """
                    ).run()
                }
            }
        }
    }

    /// A page through the repository, as the API asks for it.
    static func page(_ world: ShopWorld, offset: Int, limit: Int, descending: Bool, includeDisabled: Bool) async throws -> (ids: [Int64], total: Int)
    {
        let query = ProductQuery(companyID: world.companyA, storeID: world.storeA1, includeDisabled: includeDisabled, descending: descending)
        let (products, total) = try await world.database.read { try await CatalogRepository().storeProducts(query, limit: limit, offset: offset, $0) }
        return (products.map(\.product.id), total)
    }

    /// The same page as the join over every product answered it before (the query of migration 9's time).
    static func joined(
        _ world: ShopWorld, offset: Int, limit: Int, descending: Bool, includeDisabled: Bool
    ) async throws -> (ids: [Int64], total: Int) {
        let direction: SQLQueryString = descending ? "DESC" : "ASC"
        let active: SQLQueryString = includeDisabled ? "TRUE" : "p.is_active"
        return try await world.database.read { db in
            let from: SQLQueryString = """
                FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id AND s.store_id = \(bind: world.storeA1)
                WHERE p.company_id = \(bind: world.companyA) AND (s.is_active IS NULL OR s.is_active) AND \(active)
                """
            let ids = try await db.raw(
                """
                SELECT p.id \(from) ORDER BY LOWER(p.name) \(direction), p.id \(direction) LIMIT \(bind: limit) OFFSET \(bind: offset)
                """
            ).all(decodingColumn: "id", as: Int64.self)
            let total = try await db.raw("SELECT COUNT(*) AS n \(from)").first(decodingColumn: "n", as: Int.self) ?? 0
            return (ids, total)
        }
    }

    @Test("every page, both directions, with and without disabled products, as the join answered", arguments: Engine.allCases)
    func sameAsJoin(engine: Engine) async throws {
        try await ShopWorld.run(engine) { _, world in
            try await Self.seed(world)
            for descending in [false, true] {
                for includeDisabled in [false, true] {
                    for (offset, limit) in [(0, 50), (50, 50), (150, 50), (190, 24), (0, 250), (195, 10), (400, 50)] {
                        let page = try await Self.page(world, offset: offset, limit: limit, descending: descending, includeDisabled: includeDisabled)
                        let joined = try await Self.joined(
                            world, offset: offset, limit: limit, descending: descending, includeDisabled: includeDisabled)
                        #expect(page.ids == joined.ids, "\(engine) offset \(offset) desc \(descending) disabled \(includeDisabled)")
                        #expect(page.total == joined.total, "\(engine) offset \(offset) desc \(descending) disabled \(includeDisabled)")
                    }
                }
            }
            // The comparison cannot pass on two empty answers: the seed gives pages, and leaves some out.
            let first = try await Self.page(world, offset: 0, limit: 250, descending: false, includeDisabled: false)
            #expect(first.total == 230 - 32 - 20 + 2)  // less 32 disabled and 20 archived, 2 both (77, 154)
            #expect(first.ids.count == first.total)
        }
    }

    @Test("the same pages on SQLite and PostgreSQL")
    func sameOnBothEngines() async throws {
        let answers = NIOLockedValueBox<[Engine: [String]]>([:])
        for engine in Engine.allCases {
            try await ShopWorld.run(engine) { client, world in
                try await Self.seed(world)
                let owner = try await client.signIn(world.ownerA)
                var barcodes: [String] = []
                for page in 1...5 {
                    let answer = try await client.call(.get, "/api/products?page=\(page)&limit=50&store_id=\(world.storeA1)", as: owner).json()
                    barcodes += answer["data"]?.array.compactMap { if case .string(let code)? = $0["barcode"] { code } else { nil } } ?? []
                }
                answers.withLockedValue { [barcodes] in $0[engine] = barcodes }
            }
        }
        let both = answers.withLockedValue { $0 }
        #expect(both[.sqlite]?.count == 180)
        #expect(both[.sqlite] == both[.postgres])
    }

    @Test("the kept counts follow creating, disabling, enabling and importing products", arguments: Engine.allCases)
    func countsFollowChanges(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            func total() async throws -> Int? {
                guard case .int(let total)? = try await client.call(.get, "/api/products?limit=1", as: owner).json()["total"] else { return nil }
                return Int(total)
            }
            let before = try #require(try await total())
            let product = try await client.createProduct(as: owner, barcode: "CNT-1", name: "Counted")
            #expect(try await total() == before + 1)
            #expect(try await client.call(.delete, "/api/products/\(product)", as: owner).status.code < 300)
            #expect(try await total() == before)
            #expect(try await client.call(.post, "/api/products/\(product)/activate", as: owner).status.code < 300)
            #expect(try await total() == before + 1)
            var headers = owner.headers
            headers[.contentType] = "text/csv"
            let csv = "barcode,name,price\nCNT-2,Imported one,1.00\nCNT-3,Imported two,2.00\n"
            let preview = try await client.execute(uri: "/api/import/products", method: .post, headers: headers, body: ByteBuffer(string: csv)).json()
            guard case .int(let importID)? = preview["id"] else { throw ClusterError("\(preview)") }
            #expect(try await client.call(.post, "/api/import/products/\(importID)/confirm", as: owner).status == .ok)
            #expect(try await total() == before + 3)
            let counts = try await world.database.read { try await LedgerRepository().countMismatches($0) }
            #expect(counts.isEmpty, "\(counts)")
        }
    }

    @Test("a store's inventory total counts its levels as the join over products did", arguments: Engine.allCases)
    func storeInventoryTotal(engine: Engine) async throws {
        try await ShopWorld.run(engine) { _, world in
            try await Self.seed(world)
            for store in [world.storeA1, world.storeA2] {
                let (records, total) = try await world.database.read {
                    try await InventoryRepository().records(companyID: world.companyA, storeID: store, limit: 500, offset: 0, $0)
                }
                let joined = try await world.database.read { db in
                    try await db.raw(
                        """
                        SELECT COUNT(*) AS n FROM stock_levels s JOIN stores st ON st.id = s.store_id JOIN products p ON p.id = s.product_id
                        WHERE st.company_id = \(bind: world.companyA) AND p.company_id = \(bind: world.companyA) AND s.store_id = \(bind: store)
                        """
                    ).first(decodingColumn: "n", as: Int.self)
                }
                #expect(total == 230 && total == joined && records.count == total)
            }
            // another company's store counts nothing for company A
            let foreign = try await world.database.read {
                try await InventoryRepository().records(companyID: world.companyA, storeID: world.storeB, limit: 50, offset: 0, $0)
            }
            #expect(foreign.total == 0 && foreign.records.isEmpty)
        }
    }

    @Test("products that were there before the counts are counted once migration 12 runs", arguments: Engine.allCases)
    func countsBuiltOverExistingProducts(engine: Engine) async throws {
        try await TestDatabase.withClient(engine) { database in
            let logger = Logger(label: "test")
            try await Migrator(migrations: Migration.all.filter { $0.id < 12 }, logger: logger).migrate(database)
            let company = try await database.withTransaction { transaction in
                let company = try await transaction.db.raw("INSERT INTO companies (name, created_at) VALUES ('Old shop', 0) RETURNING id")
                    .first(decodingColumn: "id", as: Int64.self)!
                for (code, active) in [("OLD-1", true), ("OLD-2", true), ("OLD-3", false)] {
                    try await transaction.db.raw(
                        """
                        INSERT INTO products (company_id, barcode, name, price_cents, is_active, created_at, updated_at)
                        VALUES (\(bind: company), \(bind: code), 'Old', 100, \(bind: active), 0, 0)
                        """
                    ).run()
                }
                return company
            }
            #expect(try await Migrator(migrations: Migration.all.filter { $0.id <= 12 }, logger: logger).migrate(database) == [12])
            let kept = try await database.read { db in
                try await db.raw("SELECT products, active_products FROM company_product_counts WHERE company_id = \(bind: company)").first()
                    .map { (try $0.decode(column: "products", as: Int.self), try $0.decode(column: "active_products", as: Int.self)) }
            }
            #expect(kept?.0 == 3 && kept?.1 == 2)
            try await database.withTransaction { try await $0.db.raw("UPDATE products SET is_active = TRUE WHERE barcode = 'OLD-3'").run() }
            try await database.withTransaction { try await $0.db.raw("DELETE FROM products WHERE barcode = 'OLD-1'").run() }
            #expect(try await database.read { try await LedgerRepository().countMismatches($0) }.isEmpty)
            let after = try await database.read { db in
                try await db.raw("SELECT active_products FROM company_product_counts WHERE company_id = \(bind: company)").first(
                    decodingColumn: "active_products", as: Int.self)
            }
            #expect(after == 2)
        }
    }
}

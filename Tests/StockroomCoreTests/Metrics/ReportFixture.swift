import Foundation
import HummingbirdTesting
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The shop behind the report tests, in store A1 of `ShopWorld`, every sale made now by the vendor:
/// coffee (10.00, cost 4, 100 in stock, minimum 5), tea (5.00, cost 2, 50, minimum 47), cake (3.00, cost 1, 7),
/// juice (2.00, cost 1, none) and mug (8.00, cost 1, 3).
/// Sales: s1 coffee×2 (20) · s2 coffee + tea×2 (20) · s3 tea (5) · s4 coffee×3 (30) · s5 tea×4 (20, voided) ·
/// s6 coffee, edited to coffee×2 (20) · s7 mug (8, voided) · s8 tea (5).
/// Stock after: coffee 92, tea 46, cake 7, juice 0, mug 3.
struct Fixture {
    let coffee, tea, cake, juice, mug: Int64
    let sales: [Int64]

    static func make(_ client: any TestClientProtocol, _ world: ShopWorld, owner: SignedIn, vendor: SignedIn) async throws -> Fixture {
        let coffee = try await client.createProduct(as: owner, barcode: "COFFEE", name: "Coffee", quantity: 100, minQuantity: 5, price: 10, cost: 4)
        let tea = try await client.createProduct(as: owner, barcode: "TEA", name: "Tea", quantity: 50, minQuantity: 47, price: 5, cost: 2)
        let cake = try await client.createProduct(as: owner, barcode: "CAKE", name: "Cake", quantity: 7, price: 3, cost: 1)
        let juice = try await client.createProduct(as: owner, barcode: "JUICE", name: "Juice", quantity: 0, price: 2, cost: 1)
        let mug = try await client.createProduct(as: owner, barcode: "MUG", name: "Mug", quantity: 3, price: 8, cost: 1)
        func sell(_ items: [(Int64, Int)]) async throws -> Int64 {
            let lines = items.map { #"{"item_id": \#($0.0), "quantity": \#($0.1)}"# }.joined(separator: ", ")
            let response = try await client.call(.post, "/api/sales/bulk", as: vendor, json: #"{"items": [\#(lines)]}"#)
            try #require(response.status == .created, "\(response.text)")
            guard case .int(let id)? = try response.json()["sale_id"] else { throw ClusterError("no sale id in \(response.text)") }
            return id
        }
        let s1 = try await sell([(coffee, 2)])
        let s2 = try await sell([(coffee, 1), (tea, 2)])
        let s3 = try await sell([(tea, 1)])
        let s4 = try await sell([(coffee, 3)])
        let s5 = try await sell([(tea, 4)])
        let s6 = try await sell([(coffee, 1)])
        let s7 = try await sell([(mug, 1)])
        let s8 = try await sell([(tea, 1)])
        let edited = try await client.call(.put, "/api/sales/\(s6)", as: owner, json: #"{"items": [{"item_id": \#(coffee), "quantity": 2}]}"#)
        try #require(edited.status == .ok, "\(edited.text)")
        for voided in [s5, s7] {
            try #require(try await client.call(.post, "/api/sales/\(voided)/void", as: owner).status == .ok)
        }
        return Fixture(coffee: coffee, tea: tea, cake: cake, juice: juice, mug: mug, sales: [s1, s2, s3, s4, s5, s6, s7, s8])
    }

    /// Moves the sales to fixed instants (s8 stays today) and rebuilds the rollups from them. In Asia/Kolkata:
    /// s1 Sat 1 Nov 2025 23:59 · s2 Sun 2 Nov 00:01 · s3 Mon 3 Nov 09:30 · s6 Mon 3 Nov 10:30 · s4 Thu 30 Oct 17:30
    /// (the previous period) · s5 and s7, voided, Sun 2 Nov 11:30.
    func backdate(_ database: any DatabaseClient) async throws {
        let instants = [
            "2025-11-01T18:29:00Z", "2025-11-01T18:31:00Z", "2025-11-03T04:00:00Z", "2025-10-30T12:00:00Z",
            "2025-11-02T06:00:00Z", "2025-11-03T05:00:00Z", "2025-11-02T06:00:00Z",
        ]
        try await database.withTransaction { transaction in
            for (sale, instant) in zip(sales, instants) {
                let at = try Date(instant, strategy: .iso8601).unixMilliseconds
                try await transaction.db.raw("UPDATE sales SET created_at = \(bind: at) WHERE id = \(bind: sale)").run()
            }
        }
        try await Self.rebuild(database)
    }

    static func rebuild(_ database: any DatabaseClient) async throws {
        try await database.withTransaction {
            try await SalesRollupRepository(clock: LocalClock(timeZone: TimeZone(identifier: "Asia/Kolkata")!)).rebuild($0.db)
        }
    }

    /// Every rollup table as text rows, leaving out rows that a void brought back to zero.
    static func rollupRows(_ database: any DatabaseClient) async throws -> [String] {
        try await database.read { db in
            let hourly = try await db.raw(
                """
                SELECT store_id, local_hour, company_id, sales, revenue_cents, tax_cents, units, cost_cents FROM sales_hourly
                WHERE sales <> 0 OR revenue_cents <> 0 OR units <> 0 ORDER BY store_id, local_hour
                """
            ).all().map { row in
                try ["store_id", "local_hour", "company_id", "sales", "revenue_cents", "tax_cents", "units", "cost_cents"]
                    .map { String(try row.decode(column: $0, as: Int64.self)) }.joined(separator: ",")
            }
            let daily = try await db.raw(
                """
                SELECT product_id, store_id, local_day, company_id, units, revenue_cents, cost_cents FROM product_sales_daily
                WHERE units <> 0 OR revenue_cents <> 0 ORDER BY product_id, store_id, local_day
                """
            ).all().map { row in
                try ["product_id", "store_id", "local_day", "company_id", "units", "revenue_cents", "cost_cents"]
                    .map { String(try row.decode(column: $0, as: Int64.self)) }.joined(separator: ",")
            }
            let blocks = try await db.raw(
                """
                SELECT product_id, store_id, block, company_id, units, revenue_cents, cost_cents FROM product_sales_blocks
                WHERE units <> 0 OR revenue_cents <> 0 ORDER BY product_id, store_id, block
                """
            ).all().map { row in
                try ["product_id", "store_id", "block", "company_id", "units", "revenue_cents", "cost_cents"]
                    .map { String(try row.decode(column: $0, as: Int64.self)) }.joined(separator: ",")
            }
            let vendors = try await db.raw(
                """
                SELECT vendor_id, store_id, local_day, company_id, sales, revenue_cents FROM vendor_sales_daily
                WHERE sales <> 0 OR revenue_cents <> 0 ORDER BY vendor_id, store_id, local_day
                """
            ).all().map { row in
                try ["vendor_id", "store_id", "local_day", "company_id", "sales", "revenue_cents"]
                    .map { String(try row.decode(column: $0, as: Int64.self)) }.joined(separator: ",")
            }
            #expect(!vendors.isEmpty, "the sellers' rollup is compared too")
            return hourly + daily + blocks + vendors
        }
    }

    /// A company, store, user and product made straight in the tables, for tests below the HTTP layer.
    static func bareShop(_ database: any DatabaseClient) async throws -> (company: Int64, store: Int64, user: Int64, product: Int64) {
        try await database.withTransaction { transaction in
            let identity = IdentityRepository()
            let company = try await identity.insertCompany(name: "DST", transaction.db)
            let store = try await identity.insertStore(companyID: company.id, name: "Main", transaction.db)
            let user = try await identity.insertUser(
                .init(
                    companyID: company.id, storeID: store.id, username: "clock", email: "clock@example.com", passwordHash: "-",
                    role: .owner, status: .active), transaction.db)
            let product = try await transaction.db.raw(
                """
                INSERT INTO products (company_id, barcode, name, price_cents, cost_cents, created_at, updated_at)
                VALUES (\(bind: company.id), 'DST', 'Clock', 100, 40, 0, 0) RETURNING id
                """
            ).first(decodingColumn: "id", as: Int64.self)!
            return (company.id, store.id, user.id, product)
        }
    }

    /// A KPI as the JSON decodes it: whole amounts arrive as integers.
    static func number(_ value: Double) -> JSONValue {
        value == value.rounded() ? .int(Int64(value)) : .double(value)
    }
}

import Foundation
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// `StockLedger.takeInTurn`, which a batch of new sales on SQLite uses: requests decided in order against the
/// stock the ones before them left, a short one refused alone, the levels read (and on PostgreSQL locked) once and
/// written once.
@Suite("Stock taken in turn")
struct TakeInTurnTests {
    @Test(
        "five on the shelf; take 3, 3, 2 with one unstocked product, 2: the first and last are made, the others refused with the stock left",
        arguments: Engine.allCases)
    func inTurn(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world, dependencies in
            let owner = try await client.signIn(world.ownerA)
            let shelf = try await client.createProduct(as: owner, barcode: "SHELF", name: "On the shelf", quantity: 5, price: 2)
            // a product of the company this store has never stocked: no level, so stock 0
            let elsewhere = try await world.database.withTransaction { transaction in
                try await transaction.db.raw(
                    """
                    INSERT INTO products (company_id, barcode, name, description, price_cents, cost_cents, is_active, created_at, updated_at)
                    VALUES (\(bind: world.companyA), 'NOLEVEL', 'Never stocked here', '', 100, 50, TRUE, 0, 0) RETURNING id
                    """
                ).first(decodingColumn: "id", as: Int64.self)!
            }
            let inventory = StockLedger(events: dependencies.events)
            func take(_ units: Int64, of product: Int64, _ reference: String) -> StockLedger.Change {
                .init(
                    companyID: world.companyA, storeID: world.storeA1, productID: product, delta: -units, kind: .sale,
                    actorID: world.vendorA1.id, reference: reference)
            }
            let answers = try await world.database.withTransaction { transaction in
                try await inventory.takeInTurn(
                    [
                        [take(3, of: shelf, "sale:1")], [take(3, of: shelf, "sale:2")],
                        [take(2, of: shelf, "sale:3"), take(1, of: elsewhere, "sale:3")], [take(2, of: shelf, "sale:4")],
                    ], transaction)
            }
            let made = answers.map { (try? $0.get())?.map(\.movement.stockAfter) }
            #expect(made == [[2], nil, nil, [0]])
            let refusals = answers.compactMap { answer -> (Int64, Int64)? in
                guard case .failure(let short) = answer else { return nil }
                return (short.productID, short.available)
            }
            #expect(refusals.map(\.0) == [shelf, elsewhere] && refusals.map(\.1) == [2, 0])
            #expect(try await world.stock(store: world.storeA1, product: shelf) == 0)
            let ledger = try await world.database.read { db in
                try await db.raw("SELECT reference, stock_after FROM stock_movements WHERE kind = 'sale' ORDER BY id").all()
                    .map { (try $0.decode(column: "reference", as: String.self), try $0.decode(column: "stock_after", as: Int64.self)) }
            }
            #expect(ledger.map(\.0) == ["sale:1", "sale:4"] && ledger.map(\.1) == [2, 0])
            let problems = try await world.ledgerProblems()
            #expect(problems.mismatches.isEmpty && problems.negative == 0)
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

extension TestClientProtocol {
    /// Creates a product through the API and returns its id.
    func createProduct(
        as session: SignedIn, barcode: String, name: String, quantity: Int = 0, minQuantity: Int = 0, price: Double = 10,
        cost: Double = 6, storeID: Int64? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Int64 {
        let store = storeID.map { #", "store_id": \#($0)"# } ?? ""
        let response = try await call(
            .post, "/api/products", as: session,
            json: """
                {"barcode": "\(barcode)", "name": "\(name)", "quantity": \(quantity), "min_quantity": \(minQuantity), "price": \(price), "cost": \(cost)\(store)}
                """)
        try #require(response.status == .created, "\(response.text)", sourceLocation: sourceLocation)
        guard case .int(let id)? = try response.json()["id"] else { throw ClusterError("no id in \(response.text)") }
        return id
    }
}

extension ShopWorld {
    /// Stock levels that disagree with their ledger (empty when the books balance), whether any stock is negative,
    /// and transfer lines whose units in transit or lost disagree with their movements.
    func ledgerProblems() async throws -> (mismatches: [LedgerRepository.Mismatch], negative: Int, transit: [LedgerRepository.TransitMismatch]) {
        try await database.read { db in
            let negative = try await db.raw("SELECT COUNT(*) AS n FROM stock_levels WHERE in_stock < 0").first(decodingColumn: "n", as: Int.self) ?? 0
            return (try await LedgerRepository().mismatches(db), negative, try await LedgerRepository().transitMismatches(db))
        }
    }

    func stock(store: Int64, product: Int64) async throws -> Int64? {
        try await database.read { try await InventoryRepository().level(storeID: store, productID: product, $0)?.inStock }
    }
}

extension JSONValue {
    subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    var array: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }
}

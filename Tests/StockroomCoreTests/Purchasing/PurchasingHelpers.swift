import Foundation
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

extension TestClientProtocol {
    /// Creates a supplier through the API and returns its id.
    func createSupplier(as session: SignedIn, name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int64 {
        let response = try await call(.post, "/api/suppliers", as: session, json: #"{"name": "\#(name)"}"#)
        try #require(response.status == .created, "\(response.text)", sourceLocation: sourceLocation)
        guard case .int(let id)? = try response.json()["id"] else { throw ClusterError("no id in \(response.text)") }
        return id
    }

    /// Creates and places an order (`lines` as JSON objects) and returns it as answered.
    func placeOrder(
        as session: SignedIn, supplier: Int64, store: Int64, lines: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: JSONValue] {
        let created = try await call(
            .post, "/api/purchase-orders", as: session, json: #"{"supplier_id": \#(supplier), "store_id": \#(store), "lines": [\#(lines)]}"#)
        try #require(created.status == .created, "\(created.text)", sourceLocation: sourceLocation)
        guard case .int(let id)? = try created.json()["id"] else { throw ClusterError("no id in \(created.text)") }
        let placed = try await call(.post, "/api/purchase-orders/\(id)/order", as: session)
        try #require(placed.status == .ok, "\(placed.text)", sourceLocation: sourceLocation)
        return try placed.json()
    }
}

extension ShopWorld {
    /// The product's kept average (value in cents, units) and the unit cost sales capture.
    func averageCost(product: Int64) async throws -> (average: AverageCost, costCents: Int64) {
        try await database.read { db in
            let row = try await db.raw("SELECT stock_value_cents, valued_units, cost_cents FROM products WHERE id = \(bind: product)").first()!
            return (
                AverageCost(
                    valueCents: try row.decode(column: "stock_value_cents", as: Int64.self),
                    units: try row.decode(column: "valued_units", as: Int64.self)),
                try row.decode(column: "cost_cents", as: Int64.self)
            )
        }
    }
}

extension JSONValue {
    var int: Int64? {
        if case .int(let value) = self { return value }
        return nil
    }
}

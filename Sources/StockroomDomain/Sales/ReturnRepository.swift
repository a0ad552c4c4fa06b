import Foundation
import SQLKit

/// SQL for customer returns. Callers have checked the sale is the company's.
struct ReturnRepository: Sendable {
    /// The units of each product already returned against a sale.
    func returnedUnits(saleID: Int64, _ db: any SQLDatabase) async throws -> [Int64: Int64] {
        let rows = try await db.raw(
            """
            SELECT rl.product_id, CAST(SUM(rl.quantity) AS BIGINT) AS units
            FROM sale_return_lines rl JOIN sale_returns r ON r.id = rl.return_id
            WHERE r.sale_id = \(bind: saleID) GROUP BY rl.product_id
            """
        ).all()
        var units: [Int64: Int64] = [:]
        for row in rows { units[try row.decode(column: "product_id", as: Int64.self)] = try row.decode(column: "units", as: Int64.self) }
        return units
    }

    func hasReturns(saleID: Int64, _ db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT COUNT(*) AS n FROM sale_returns WHERE sale_id = \(bind: saleID)").first(decodingColumn: "n", as: Int.self) ?? 0 > 0
    }

    /// A sale's returns, oldest first, with their lines.
    func returns(saleID: Int64, _ db: any SQLDatabase) async throws -> [SaleReturn] {
        let rows = try await db.raw(
            """
            SELECT r.id, r.company_id, r.store_id, r.sale_id, r.refund_cents, r.tax_cents, r.note, r.created_by, r.created_at,
                   rl.product_id, p.name AS product_name, rl.quantity, rl.refund_cents AS line_refund_cents, rl.revenue_cents, rl.cost_cents,
                   rl.restocked, rl.reason
            FROM sale_returns r JOIN sale_return_lines rl ON rl.return_id = r.id JOIN products p ON p.id = rl.product_id
            WHERE r.sale_id = \(bind: saleID) ORDER BY r.id, rl.product_id
            """
        ).all()
        var returns: [SaleReturn] = []
        for row in rows {
            let id = try row.decode(column: "id", as: Int64.self)
            if returns.last?.id != id {
                returns.append(
                    SaleReturn(
                        id: id, companyID: try row.decode(column: "company_id", as: Int64.self),
                        storeID: try row.decode(column: "store_id", as: Int64.self),
                        saleID: saleID, refundCents: try row.decode(column: "refund_cents", as: Int64.self),
                        taxCents: try row.decode(column: "tax_cents", as: Int64.self), note: try row.decode(column: "note", as: String.self),
                        createdBy: try row.decode(column: "created_by", as: Int64?.self),
                        createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)), lines: []))
            }
            returns[returns.count - 1].lines.append(
                SaleReturn.Line(
                    productID: try row.decode(column: "product_id", as: Int64.self),
                    productName: try row.decode(column: "product_name", as: String.self),
                    quantity: try row.decode(column: "quantity", as: Int64.self),
                    refundCents: try row.decode(column: "line_refund_cents", as: Int64.self),
                    revenueCents: try row.decode(column: "revenue_cents", as: Int64.self),
                    costCents: try row.decode(column: "cost_cents", as: Int64.self),
                    restocked: try row.decode(column: "restocked", as: Bool.self), reason: try row.decode(column: "reason", as: String?.self)))
        }
        return returns
    }

    func insert(_ saleReturn: SaleReturn, _ db: any SQLDatabase) async throws -> Int64 {
        let id = try await db.raw(
            """
            INSERT INTO sale_returns (company_id, store_id, sale_id, refund_cents, tax_cents, note, created_by, created_at)
            VALUES (\(bind: saleReturn.companyID), \(bind: saleReturn.storeID), \(bind: saleReturn.saleID), \(bind: saleReturn.refundCents),
                    \(bind: saleReturn.taxCents), \(bind: saleReturn.note), \(bind: saleReturn.createdBy), \(bind: saleReturn.createdAt.unixMilliseconds))
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)!
        try await db.insertRows(
            "INSERT INTO sale_return_lines (return_id, product_id, quantity, refund_cents, revenue_cents, cost_cents, restocked, reason)",
            saleReturn.lines.map {
                """
                (\(bind: id), \(bind: $0.productID), \(bind: $0.quantity), \(bind: $0.refundCents), \(bind: $0.revenueCents), \(bind: $0.costCents),
                 \(bind: $0.restocked), \(bind: $0.reason))
                """
            })
        return id
    }
}

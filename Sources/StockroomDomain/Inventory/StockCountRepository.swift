import Foundation
import SQLKit

/// SQL for stock counts and their lines. Callers pass the company; every read is scoped by it.
struct StockCountRepository: Sendable {
    private static let countSelect: SQLQueryString = """
        SELECT c.id, c.company_id, c.store_id, st.name AS store_name, c.status, c.scope, c.note, c.created_by, c.created_at, c.updated_at,
               c.closed_by, c.closed_at
        FROM stock_counts c JOIN stores st ON st.id = c.store_id
        """

    /// One count with its lines (by product name); nil when it is not the company's. `locked` takes the count's row
    /// for the rest of the transaction (PostgreSQL): entries, posting and abandoning of one count take turns.
    func count(id: Int64, companyID: Int64, locked: Bool = false, withLines: Bool = true, _ transaction: Transaction) async throws -> StockCount? {
        if locked { try await transaction.lockRow(of: .stockCounts, id: id, companyID: companyID) }
        return try await count(id: id, companyID: companyID, withLines: withLines, transaction.db)
    }

    /// The count read as it stands (a page or `GET` on a reader, outside any write).
    func count(id: Int64, companyID: Int64, withLines: Bool = true, _ db: any SQLDatabase) async throws -> StockCount? {
        guard
            var count = try await db.raw("\(Self.countSelect) WHERE c.id = \(bind: id) AND c.company_id = \(bind: companyID)").first()
                .map(StockCount.init(row:))
        else { return nil }
        if withLines { count.lines = try await lines(countID: id, db) }
        return count
    }

    /// The count's lines by product name, or the one line of `productID`.
    func lines(countID: Int64, productID: Int64? = nil, _ db: any SQLDatabase) async throws -> [StockCount.Line] {
        let one: SQLQueryString = productID.map { " AND l.product_id = \(bind: $0)" } ?? ""
        return try await db.raw(
            """
            SELECT l.product_id, p.name AS product_name, p.barcode, l.expected, l.counted, l.counted_at, l.counted_by, l.posted_delta
            FROM stock_count_lines l JOIN products p ON p.id = l.product_id
            WHERE l.count_id = \(bind: countID)\(one) ORDER BY LOWER(p.name), p.id
            """
        ).all().map(StockCount.Line.init(row:))
    }

    /// One page of the company's counts matching `filter`, newest first, without their lines.
    func counts(_ filter: StockCountFilter, limit: Int, offset: Int, _ db: any SQLDatabase) async throws -> (counts: [StockCount], total: Int) {
        var conditions = [SQLQueryString("c.company_id = \(bind: filter.companyID)")]
        if let status = filter.status { conditions.append("c.status = \(bind: status.rawValue)") }
        if let store = filter.storeID { conditions.append("c.store_id = \(bind: store)") }
        let whereClause = conditions.joined(separator: " AND ")
        let total = try await db.raw("SELECT COUNT(*) AS n FROM stock_counts c WHERE \(whereClause)").first(decodingColumn: "n", as: Int.self) ?? 0
        let counts = try await db.raw("\(Self.countSelect) WHERE \(whereClause) ORDER BY c.id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)")
            .all().map(StockCount.init(row:))
        return (counts, total)
    }

    func openCount(storeID: Int64, _ db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("SELECT id FROM stock_counts WHERE store_id = \(bind: storeID) AND status = 'open'").first(
            decodingColumn: "id", as: Int64.self)
    }

    /// A new open count with a line for each active product the store carries (those whose name or barcode
    /// contains `scope`, when given); how many lines it got.
    func insert(
        companyID: Int64, storeID: Int64, scope: String, note: String, createdBy: Int64, maxLines: Int, _ db: any SQLDatabase
    ) async throws -> (id: Int64, lines: Int) {
        let now = Date.now.unixMilliseconds
        let id = try await db.raw(
            """
            INSERT INTO stock_counts (company_id, store_id, status, scope, note, created_by, created_at, updated_at)
            VALUES (\(bind: companyID), \(bind: storeID), 'open', \(bind: scope), \(bind: note), \(bind: createdBy), \(bind: now), \(bind: now))
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)!
        let search: SQLQueryString = scope.isEmpty ? "" : " AND \(SQLText.productSearch(scope, db))"
        try await db.raw(
            """
            INSERT INTO stock_count_lines (count_id, product_id)
            SELECT \(bind: id), p.id FROM stock_levels l JOIN products p ON p.id = l.product_id
            WHERE l.store_id = \(bind: storeID) AND p.company_id = \(bind: companyID) AND p.is_active AND l.is_active\(search)
            ORDER BY p.id LIMIT \(bind: maxLines)
            """
        ).run()
        let lines =
            try await db.raw("SELECT COUNT(*) AS n FROM stock_count_lines WHERE count_id = \(bind: id)").first(decodingColumn: "n", as: Int.self) ?? 0
        return (id, lines)
    }

    /// Sets a line's count (adding the line when the product was not in the count's scope) and the stock it is
    /// measured against.
    func setLine(countID: Int64, productID: Int64, counted: Int64, expected: Int64, by userID: Int64, _ db: any SQLDatabase) async throws {
        let now = Date.now.unixMilliseconds
        try await db.raw(
            """
            INSERT INTO stock_count_lines (count_id, product_id, expected, counted, counted_at, counted_by)
            VALUES (\(bind: countID), \(bind: productID), \(bind: expected), \(bind: counted), \(bind: now), \(bind: userID))
            ON CONFLICT (count_id, product_id) DO UPDATE SET
                expected = excluded.expected, counted = excluded.counted, counted_at = excluded.counted_at, counted_by = excluded.counted_by
            """
        ).run()
        try await db.raw("UPDATE stock_counts SET updated_at = \(bind: now) WHERE id = \(bind: countID)").run()
    }

    func setPosted(countID: Int64, productID: Int64, delta: Int64, _ db: any SQLDatabase) async throws {
        try await db.raw(
            "UPDATE stock_count_lines SET posted_delta = \(bind: delta) WHERE count_id = \(bind: countID) AND product_id = \(bind: productID)"
        ).run()
    }

    func close(countID: Int64, _ status: StockCount.Status, by userID: Int64, _ db: any SQLDatabase) async throws {
        let now = Date.now.unixMilliseconds
        try await db.raw(
            """
            UPDATE stock_counts SET status = \(bind: status.rawValue), closed_by = \(bind: userID), closed_at = \(bind: now), updated_at = \(bind: now)
            WHERE id = \(bind: countID)
            """
        ).run()
    }
}

extension StockCount {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: Int64.self), companyID: try row.decode(column: "company_id", as: Int64.self),
            storeID: try row.decode(column: "store_id", as: Int64.self), storeName: try row.decode(column: "store_name", as: String.self),
            status: StockCount.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .open,
            scope: try row.decode(column: "scope", as: String.self), note: try row.decode(column: "note", as: String.self),
            createdBy: try row.decode(column: "created_by", as: Int64?.self),
            createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(unixMilliseconds: try row.decode(column: "updated_at", as: Int64.self)),
            closedBy: try row.decode(column: "closed_by", as: Int64?.self),
            closedAt: try row.decode(column: "closed_at", as: Int64?.self).map(Date.init(unixMilliseconds:)), lines: [])
    }
}

extension StockCount.Line {
    init(row: any SQLRow) throws {
        self.init(
            productID: try row.decode(column: "product_id", as: Int64.self), productName: try row.decode(column: "product_name", as: String.self),
            barcode: try row.decode(column: "barcode", as: String.self), expected: try row.decode(column: "expected", as: Int64?.self),
            counted: try row.decode(column: "counted", as: Int64?.self),
            countedAt: try row.decode(column: "counted_at", as: Int64?.self).map(Date.init(unixMilliseconds:)),
            countedBy: try row.decode(column: "counted_by", as: Int64?.self), postedDelta: try row.decode(column: "posted_delta", as: Int64?.self))
    }
}

import Foundation
import SQLKit

/// SQL for purchase orders, their lines and their receipts. Callers pass the company; every read is scoped by it.
struct PurchaseOrderRepository: Sendable {
    private static let orderSelect: SQLQueryString = """
        SELECT o.id, o.company_id, o.store_id, st.name AS store_name, o.supplier_id, su.name AS supplier_name, o.number, o.status,
               o.notes, o.created_by, o.created_at, o.updated_at, o.ordered_at
        FROM purchase_orders o JOIN stores st ON st.id = o.store_id JOIN suppliers su ON su.id = o.supplier_id
        """

    /// One order with its lines and receipts; nil when it is not the company's. `locked` takes the order's row for
    /// the rest of the transaction (PostgreSQL): changes to one order take turns.
    func order(id: Int64, companyID: Int64, locked: Bool = false, _ transaction: Transaction) async throws -> PurchaseOrder? {
        if locked { try await transaction.lockRow(of: .purchaseOrders, id: id, companyID: companyID) }
        return try await order(id: id, companyID: companyID, transaction.db)
    }

    /// The order read as it stands (a page or `GET` on a reader, outside any write).
    func order(id: Int64, companyID: Int64, _ db: any SQLDatabase) async throws -> PurchaseOrder? {
        guard
            var order = try await db.raw("\(Self.orderSelect) WHERE o.id = \(bind: id) AND o.company_id = \(bind: companyID)").first().map(
                PurchaseOrder.init(row:))
        else { return nil }
        order.lines = try await lines(orderIDs: [id], db)[id] ?? []
        order.receipts = try await receipts(orderID: id, db)
        return order
    }

    /// One page of the company's orders matching `filter`, newest first, with their lines (not their receipts).
    func orders(_ filter: PurchaseOrderFilter, limit: Int, offset: Int, _ db: any SQLDatabase) async throws -> (orders: [PurchaseOrder], total: Int) {
        var conditions = [SQLQueryString("o.company_id = \(bind: filter.companyID)")]
        if let status = filter.status { conditions.append("o.status = \(bind: status.rawValue)") }
        if let supplierID = filter.supplierID { conditions.append("o.supplier_id = \(bind: supplierID)") }
        if let storeID = filter.storeID { conditions.append("o.store_id = \(bind: storeID)") }
        let whereClause = conditions.joined(separator: " AND ")
        let total =
            try await db.raw("SELECT COUNT(*) AS n FROM purchase_orders o WHERE \(whereClause)").first(decodingColumn: "n", as: Int.self) ?? 0
        var orders = try await db.raw("\(Self.orderSelect) WHERE \(whereClause) ORDER BY o.id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)")
            .all().map(PurchaseOrder.init(row:))
        let lines = try await lines(orderIDs: orders.map(\.id), db)
        for index in orders.indices { orders[index].lines = lines[orders[index].id] ?? [] }
        return (orders, total)
    }

    private func lines(orderIDs: [Int64], _ db: any SQLDatabase) async throws -> [Int64: [PurchaseOrder.Line]] {
        guard !orderIDs.isEmpty else { return [:] }
        let rows = try await db.raw(
            """
            SELECT l.order_id, l.id, l.product_id, p.name AS product_name, p.barcode, l.quantity, l.unit_cost_cents, l.received,
                   l.allow_over_receipt
            FROM purchase_order_lines l JOIN products p ON p.id = l.product_id
            WHERE l.order_id IN (\(binds: orderIDs)) ORDER BY l.order_id, l.id
            """
        ).all()
        var lines: [Int64: [PurchaseOrder.Line]] = [:]
        for row in rows {
            lines[try row.decode(column: "order_id", as: Int64.self), default: []].append(try PurchaseOrder.Line(row: row))
        }
        return lines
    }

    private func receipts(orderID: Int64, _ db: any SQLDatabase) async throws -> [PurchaseReceipt] {
        let rows = try await db.raw(
            """
            SELECT r.id, r.order_id, r.store_id, r.received_by, r.note, r.created_at,
                   rl.line_id, rl.product_id, rl.quantity, rl.unit_cost_cents
            FROM purchase_receipts r JOIN purchase_receipt_lines rl ON rl.receipt_id = r.id
            WHERE r.order_id = \(bind: orderID) ORDER BY r.id, rl.line_id
            """
        ).all()
        var receipts: [PurchaseReceipt] = []
        for row in rows {
            let id = try row.decode(column: "id", as: Int64.self)
            if receipts.last?.id != id {
                receipts.append(
                    PurchaseReceipt(
                        id: id, orderID: orderID, storeID: try row.decode(column: "store_id", as: Int64.self),
                        receivedBy: try row.decode(column: "received_by", as: Int64?.self), note: try row.decode(column: "note", as: String.self),
                        createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)), lines: []))
            }
            receipts[receipts.count - 1].lines.append(
                PurchaseReceipt.Line(
                    lineID: try row.decode(column: "line_id", as: Int64.self), productID: try row.decode(column: "product_id", as: Int64.self),
                    quantity: try row.decode(column: "quantity", as: Int64.self),
                    unitCostCents: try row.decode(column: "unit_cost_cents", as: Int64.self)))
        }
        return receipts
    }

    /// The store's next order number (1, 2, …), counted like bills.
    func nextNumber(storeID: Int64, _ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw(
            """
            INSERT INTO store_purchase_order_counters (store_id, last_number) VALUES (\(bind: storeID), 1)
            ON CONFLICT (store_id) DO UPDATE SET last_number = store_purchase_order_counters.last_number + 1
            RETURNING last_number
            """
        ).first(decodingColumn: "last_number", as: Int64.self)!
    }

    func insert(
        companyID: Int64, storeID: Int64, supplierID: Int64, number: Int64, notes: String, createdBy: Int64, _ db: any SQLDatabase
    ) async throws -> Int64 {
        let now = Date.now.unixMilliseconds
        return try await db.raw(
            """
            INSERT INTO purchase_orders (company_id, store_id, supplier_id, number, status, notes, created_by, created_at, updated_at)
            VALUES (\(bind: companyID), \(bind: storeID), \(bind: supplierID), \(bind: number), 'draft', \(bind: notes), \(bind: createdBy),
                    \(bind: now), \(bind: now))
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)!
    }

    /// Replaces a draft's lines.
    func replaceLines(orderID: Int64, _ lines: [OrderLineRequest], _ db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM purchase_order_lines WHERE order_id = \(bind: orderID)").run()
        try await db.insertRows(
            "INSERT INTO purchase_order_lines (order_id, product_id, quantity, unit_cost_cents, received, allow_over_receipt)",
            lines.map {
                "(\(bind: orderID), \(bind: $0.productID), \(bind: $0.quantity), \(bind: $0.unitCostCents), 0, \(bind: $0.allowOverReceipt))"
            })
    }

    func setNotes(orderID: Int64, _ notes: String, _ db: any SQLDatabase) async throws {
        try await db.raw(
            "UPDATE purchase_orders SET notes = \(bind: notes), updated_at = \(bind: Date.now.unixMilliseconds) WHERE id = \(bind: orderID)"
        ).run()
    }

    func setStatus(orderID: Int64, _ status: PurchaseOrder.Status, ordered: Bool = false, _ db: any SQLDatabase) async throws {
        let now = Date.now.unixMilliseconds
        let orderedAt: SQLQueryString = ordered ? ", ordered_at = \(bind: now)" : ""
        try await db.raw(
            "UPDATE purchase_orders SET status = \(bind: status.rawValue), updated_at = \(bind: now)\(orderedAt) WHERE id = \(bind: orderID)"
        ).run()
    }

    /// Adds `quantity` to what a line has received, unless that goes past what was ordered and the line does not
    /// allow it; what the line has received after, or nil when refused. The guard is in the statement, so two
    /// receivers at once can never take a line past its quantity.
    func receive(lineID: Int64, quantity: Int64, _ db: any SQLDatabase) async throws -> Int64? {
        try await db.raw(
            """
            UPDATE purchase_order_lines SET received = received + \(bind: quantity)
            WHERE id = \(bind: lineID) AND (allow_over_receipt OR received + \(bind: quantity) <= quantity)
            RETURNING received
            """
        ).first(decodingColumn: "received", as: Int64.self)
    }

    func insertReceipt(
        orderID: Int64, companyID: Int64, storeID: Int64, receivedBy: Int64, note: String, lines: [PurchaseReceipt.Line], _ db: any SQLDatabase
    ) async throws -> Int64 {
        let id = try await db.raw(
            """
            INSERT INTO purchase_receipts (order_id, company_id, store_id, received_by, note, created_at)
            VALUES (\(bind: orderID), \(bind: companyID), \(bind: storeID), \(bind: receivedBy), \(bind: note), \(bind: Date.now.unixMilliseconds))
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)!
        try await db.insertRows(
            "INSERT INTO purchase_receipt_lines (receipt_id, line_id, product_id, quantity, unit_cost_cents)",
            lines.map { "(\(bind: id), \(bind: $0.lineID), \(bind: $0.productID), \(bind: $0.quantity), \(bind: $0.unitCostCents))" })
        return id
    }
}

extension PurchaseOrder {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: Int64.self), companyID: try row.decode(column: "company_id", as: Int64.self),
            storeID: try row.decode(column: "store_id", as: Int64.self), storeName: try row.decode(column: "store_name", as: String.self),
            supplierID: try row.decode(column: "supplier_id", as: Int64.self),
            supplierName: try row.decode(column: "supplier_name", as: String.self), number: try row.decode(column: "number", as: Int64.self),
            status: PurchaseOrder.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft,
            notes: try row.decode(column: "notes", as: String.self), createdBy: try row.decode(column: "created_by", as: Int64?.self),
            createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(unixMilliseconds: try row.decode(column: "updated_at", as: Int64.self)),
            orderedAt: try row.decode(column: "ordered_at", as: Int64?.self).map(Date.init(unixMilliseconds:)), lines: [], receipts: [])
    }
}

extension PurchaseOrder.Line {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: Int64.self), productID: try row.decode(column: "product_id", as: Int64.self),
            productName: try row.decode(column: "product_name", as: String.self), barcode: try row.decode(column: "barcode", as: String.self),
            quantity: try row.decode(column: "quantity", as: Int64.self), unitCostCents: try row.decode(column: "unit_cost_cents", as: Int64.self),
            received: try row.decode(column: "received", as: Int64.self),
            allowOverReceipt: try row.decode(column: "allow_over_receipt", as: Bool.self))
    }
}

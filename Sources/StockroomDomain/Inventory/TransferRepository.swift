import Foundation
import SQLKit

/// SQL for transfers, their lines and receipts. Callers pass the company; every read is scoped by it.
struct TransferRepository: Sendable {
    private static let transferSelect: SQLQueryString = """
        SELECT t.id, t.company_id, t.from_store_id, fs.name AS from_store_name, t.to_store_id, ts.name AS to_store_name, t.reference,
               t.status, t.note, t.dispatched_by, t.created_at, t.updated_at, t.received_at
        FROM transfers t JOIN stores fs ON fs.id = t.from_store_id JOIN stores ts ON ts.id = t.to_store_id
        """

    /// One transfer with its lines and receipts; nil when it is not the company's. `locked` takes its row for the
    /// rest of the transaction (PostgreSQL): receipts of one transfer take turns.
    func transfer(id: Int64, companyID: Int64, locked: Bool = false, _ transaction: Transaction) async throws -> Transfer? {
        if locked { try await transaction.lockRow(of: .transfers, id: id, companyID: companyID) }
        return try await transfer(id: id, companyID: companyID, transaction.db)
    }

    /// The transfer read as it stands (a page or `GET` on a reader, outside any write).
    func transfer(id: Int64, companyID: Int64, _ db: any SQLDatabase) async throws -> Transfer? {
        guard
            var transfer = try await db.raw("\(Self.transferSelect) WHERE t.id = \(bind: id) AND t.company_id = \(bind: companyID)")
                .first().map(Transfer.init(row:))
        else { return nil }
        transfer.lines = try await lines(transferIDs: [id], db)[id] ?? []
        transfer.receipts = try await receipts(transferID: id, db)
        return transfer
    }

    /// One page of the company's transfers matching `filter`, newest first, with their lines.
    func transfers(_ filter: TransferFilter, limit: Int, offset: Int, _ db: any SQLDatabase) async throws -> (transfers: [Transfer], total: Int) {
        var conditions = [SQLQueryString("t.company_id = \(bind: filter.companyID)")]
        if let status = filter.status { conditions.append("t.status = \(bind: status.rawValue)") }
        if let from = filter.fromStoreID { conditions.append("t.from_store_id = \(bind: from)") }
        if let to = filter.toStoreID { conditions.append("t.to_store_id = \(bind: to)") }
        if let store = filter.touchingStoreID { conditions.append("(t.from_store_id = \(bind: store) OR t.to_store_id = \(bind: store))") }
        let whereClause = conditions.joined(separator: " AND ")
        let total = try await db.raw("SELECT COUNT(*) AS n FROM transfers t WHERE \(whereClause)").first(decodingColumn: "n", as: Int.self) ?? 0
        var transfers = try await db.raw("\(Self.transferSelect) WHERE \(whereClause) ORDER BY t.id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)")
            .all().map(Transfer.init(row:))
        let lines = try await lines(transferIDs: transfers.map(\.id), db)
        for index in transfers.indices { transfers[index].lines = lines[transfers[index].id] ?? [] }
        return (transfers, total)
    }

    private func lines(transferIDs: [Int64], _ db: any SQLDatabase) async throws -> [Int64: [Transfer.Line]] {
        guard !transferIDs.isEmpty else { return [:] }
        let rows = try await db.raw(
            """
            SELECT l.transfer_id, l.id, l.product_id, p.name AS product_name, p.barcode, l.quantity, l.received, l.lost
            FROM transfer_lines l JOIN products p ON p.id = l.product_id
            WHERE l.transfer_id IN (\(binds: transferIDs)) ORDER BY l.transfer_id, l.id
            """
        ).all()
        var lines: [Int64: [Transfer.Line]] = [:]
        for row in rows {
            lines[try row.decode(column: "transfer_id", as: Int64.self), default: []].append(
                Transfer.Line(
                    id: try row.decode(column: "id", as: Int64.self), productID: try row.decode(column: "product_id", as: Int64.self),
                    productName: try row.decode(column: "product_name", as: String.self), barcode: try row.decode(column: "barcode", as: String.self),
                    quantity: try row.decode(column: "quantity", as: Int64.self), received: try row.decode(column: "received", as: Int64.self),
                    lost: try row.decode(column: "lost", as: Int64.self)))
        }
        return lines
    }

    private func receipts(transferID: Int64, _ db: any SQLDatabase) async throws -> [Transfer.Receipt] {
        let rows = try await db.raw(
            """
            SELECT r.id, r.received_by, r.note, r.created_at, rl.line_id, rl.product_id, rl.received, rl.lost, rl.reason
            FROM transfer_receipts r JOIN transfer_receipt_lines rl ON rl.receipt_id = r.id
            WHERE r.transfer_id = \(bind: transferID) ORDER BY r.id, rl.line_id
            """
        ).all()
        var receipts: [Transfer.Receipt] = []
        for row in rows {
            let id = try row.decode(column: "id", as: Int64.self)
            if receipts.last?.id != id {
                receipts.append(
                    Transfer.Receipt(
                        id: id, receivedBy: try row.decode(column: "received_by", as: Int64?.self),
                        note: try row.decode(column: "note", as: String.self),
                        createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)), lines: []))
            }
            receipts[receipts.count - 1].lines.append(
                Transfer.Receipt.Line(
                    lineID: try row.decode(column: "line_id", as: Int64.self), productID: try row.decode(column: "product_id", as: Int64.self),
                    received: try row.decode(column: "received", as: Int64.self), lost: try row.decode(column: "lost", as: Int64.self),
                    reason: try row.decode(column: "reason", as: String?.self)))
        }
        return receipts
    }

    func insert(
        companyID: Int64, from: Int64, to: Int64, reference: String, note: String, dispatchedBy: Int64, _ lines: [TransferLineRequest],
        _ db: any SQLDatabase
    ) async throws -> Int64 {
        let now = Date.now.unixMilliseconds
        let id = try await db.raw(
            """
            INSERT INTO transfers (company_id, from_store_id, to_store_id, reference, status, note, dispatched_by, created_at, updated_at)
            VALUES (\(bind: companyID), \(bind: from), \(bind: to), \(bind: reference), 'in_transit', \(bind: note), \(bind: dispatchedBy),
                    \(bind: now), \(bind: now))
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)!
        try await db.insertRows(
            "INSERT INTO transfer_lines (transfer_id, product_id, quantity, received, lost)",
            lines.map { "(\(bind: id), \(bind: $0.productID), \(bind: $0.quantity), 0, 0)" })
        return id
    }

    /// Adds what arrived and what was lost to a line, unless that comes to more than was dispatched; false when
    /// refused. The guard is in the statement, so two receivers at once cannot receive a unit twice.
    func arrive(lineID: Int64, received: Int64, lost: Int64, _ db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw(
            """
            UPDATE transfer_lines SET received = received + \(bind: received), lost = lost + \(bind: lost)
            WHERE id = \(bind: lineID) AND received + lost + \(bind: received + lost) <= quantity
            RETURNING id
            """
        ).all()).isEmpty
    }

    func insertReceipt(
        transferID: Int64, receivedBy: Int64, note: String, _ lines: [Transfer.Receipt.Line], _ db: any SQLDatabase
    ) async throws -> Int64 {
        let id = try await db.raw(
            """
            INSERT INTO transfer_receipts (transfer_id, received_by, note, created_at)
            VALUES (\(bind: transferID), \(bind: receivedBy), \(bind: note), \(bind: Date.now.unixMilliseconds))
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)!
        try await db.insertRows(
            "INSERT INTO transfer_receipt_lines (receipt_id, line_id, product_id, received, lost, reason)",
            lines.map { "(\(bind: id), \(bind: $0.lineID), \(bind: $0.productID), \(bind: $0.received), \(bind: $0.lost), \(bind: $0.reason))" })
        return id
    }

    func setStatus(transferID: Int64, _ status: Transfer.Status, _ db: any SQLDatabase) async throws {
        let now = Date.now.unixMilliseconds
        let receivedAt: SQLQueryString = status == .received ? ", received_at = \(bind: now)" : ""
        try await db.raw(
            "UPDATE transfers SET status = \(bind: status.rawValue), updated_at = \(bind: now)\(receivedAt) WHERE id = \(bind: transferID)"
        ).run()
    }

    /// Units on their way, per destination store and product (`storeID`: to that store only).
    func inTransit(companyID: Int64, storeID: Int64?, _ db: any SQLDatabase) async throws -> [InTransit] {
        let store: SQLQueryString = storeID.map { " AND t.to_store_id = \(bind: $0)" } ?? ""
        return try await db.raw(
            """
            SELECT t.to_store_id, l.product_id, p.name AS product_name, CAST(SUM(l.quantity - l.received - l.lost) AS BIGINT) AS quantity
            FROM transfer_lines l JOIN transfers t ON t.id = l.transfer_id JOIN products p ON p.id = l.product_id
            WHERE t.company_id = \(bind: companyID) AND t.status <> 'received' AND l.received + l.lost < l.quantity\(store)
            GROUP BY t.to_store_id, l.product_id, p.name
            ORDER BY t.to_store_id, p.name, l.product_id
            """
        ).all().map {
            InTransit(
                toStoreID: try $0.decode(column: "to_store_id", as: Int64.self), productID: try $0.decode(column: "product_id", as: Int64.self),
                productName: try $0.decode(column: "product_name", as: String.self), quantity: try $0.decode(column: "quantity", as: Int64.self))
        }
    }

    /// The company's units of a product still in transit (the moving average counts them as held).
    func unitsInTransit(productID: Int64, _ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw(
            """
            SELECT CAST(COALESCE(SUM(quantity - received - lost), 0) AS BIGINT) AS n FROM transfer_lines
            WHERE product_id = \(bind: productID) AND received + lost < quantity
            """
        ).first(decodingColumn: "n", as: Int64.self) ?? 0
    }
}

extension Transfer {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: Int64.self), companyID: try row.decode(column: "company_id", as: Int64.self),
            fromStoreID: try row.decode(column: "from_store_id", as: Int64.self),
            fromStoreName: try row.decode(column: "from_store_name", as: String.self),
            toStoreID: try row.decode(column: "to_store_id", as: Int64.self), toStoreName: try row.decode(column: "to_store_name", as: String.self),
            reference: try row.decode(column: "reference", as: String.self),
            status: Transfer.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .inTransit,
            note: try row.decode(column: "note", as: String.self), dispatchedBy: try row.decode(column: "dispatched_by", as: Int64?.self),
            createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(unixMilliseconds: try row.decode(column: "updated_at", as: Int64.self)),
            receivedAt: try row.decode(column: "received_at", as: Int64?.self).map(Date.init(unixMilliseconds:)), lines: [], receipts: [])
    }
}

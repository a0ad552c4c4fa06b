import SQLKit

extension Transaction {
    /// Takes the company's row `id` of `table` for the rest of the transaction (PostgreSQL; SQLite's writer is already
    /// alone), so the changes of one order, transfer or count take turns. By company too: a caller naming another
    /// company's id holds nothing of theirs.
    func lockRow(of table: Table, id: Int64, companyID: Int64) async throws {
        guard engine == .postgres else { return }
        try await db.raw("SELECT id FROM \(unsafeRaw: table.rawValue) WHERE id = \(bind: id) AND company_id = \(bind: companyID) FOR UPDATE").run()
    }

    /// The tables whose rows `lockRow` takes: named here, never from a request.
    enum Table: String {
        case purchaseOrders = "purchase_orders"
        case transfers
        case stockCounts = "stock_counts"
    }
}

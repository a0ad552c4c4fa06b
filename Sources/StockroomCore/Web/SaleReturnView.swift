import Foundation

/// A return as the sale page lists it: when, what came back of each product and what it refunded, back on the shelf
/// or written off and why, and the note it came with.
struct ReturnRow: Sendable {
    let date: String
    let refund: String
    let note: String?
    let items: [Item]

    struct Item: Sendable {
        let name: String
        let quantity: Int64
        let refund: String
        let restocked: Bool
        /// Only beside units written off.
        let reason: String?
    }

    init(_ taken: SaleReturn, _ frame: PageFrame) {
        date = frame.format.dateTime(taken.createdAt)
        refund = frame.format.money(cents: taken.refundCents)
        note = taken.note.isEmpty ? nil : taken.note
        items = taken.lines.map {
            Item(
                name: $0.productName, quantity: $0.quantity, refund: frame.format.money(cents: $0.refundCents), restocked: $0.restocked,
                reason: $0.restocked ? nil : $0.reason)
        }
    }
}

/// The return form (`returns.js`, owners and admins, a completed sale with something left to return): each line with
/// what was sold, what came back already and at most what is left. The script posts one return with an
/// Idempotency-Key, so a return sent twice after a lost answer refunds once.
struct ReturnForm: Sendable {
    let api: String
    let lines: [Line]

    struct Line: Sendable {
        let productId: Int64
        let name: String
        let sold: Int64
        let returned: Int64
        let left: Int64
        /// Everything sold of it came back already.
        let full: Bool
    }

    /// Nil when nothing is left to return (or the sale was voided).
    init?(_ sale: Sale, returns: [SaleReturn]) {
        var returned: [Int64: Int64] = [:]
        for line in returns.flatMap(\.lines) { returned[line.productID, default: 0] += line.quantity }
        lines = sale.lines.map {
            let back = returned[$0.productID] ?? 0
            let left = max($0.quantity - back, 0)
            return Line(productId: $0.productID, name: $0.productName, sold: $0.quantity, returned: back, left: left, full: left == 0)
        }
        guard sale.status == .completed, lines.contains(where: { $0.left > 0 }) else { return nil }
        api = "/api/sales/\(sale.id)/returns"
    }
}

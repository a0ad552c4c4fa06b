/// One purchase order: what was ordered, what came and what is still due on each line, its deliveries, and the
/// actions its status allows — a draft's lines edited and the draft placed; an open order cancelled or received.
struct PurchaseOrderView: Sendable {
    let order: OrderRow
    let storeId: Int64
    let supplierId: Int64
    let notes: String?
    let createdAt: String
    let orderedAt: String?
    let lines: [Line]
    let receipts: [Delivery]
    /// The draft's line editor; absent once the order is placed.
    let editor: LineEditor?
    let cancellable: Bool
    /// Absent unless goods may arrive against the order.
    let receive: ReceiveForm?

    struct Line: Sendable {
        let name: String
        let barcode: String
        let quantity: Int64
        let received: Int64
        let due: Int64
        let unitCost: String
        let total: String
    }

    init(_ order: PurchaseOrder, _ frame: PageFrame) {
        let money = frame.format.money(cents:)
        self.order = OrderRow(order, frame)
        storeId = order.storeID
        supplierId = order.supplierID
        notes = order.notes.isEmpty ? nil : order.notes
        createdAt = frame.format.dateTime(order.createdAt)
        orderedAt = order.orderedAt.map(frame.format.dateTime)
        // A cancelled order takes nothing more: nothing is shown as due on it.
        let open = order.status == .draft || order.status.isReceiving
        lines = order.lines.map {
            Line(
                name: $0.productName, barcode: $0.barcode, quantity: $0.quantity, received: $0.received, due: open ? $0.due : 0,
                unitCost: money($0.unitCostCents), total: money($0.quantity * $0.unitCostCents))
        }
        let names = Dictionary(order.lines.map { ($0.id, $0.productName) }) { first, _ in first }
        receipts = order.receipts.map { receipt in
            Delivery(
                at: receipt.createdAt, note: receipt.note, receipt.lines.map { ($0.lineID, $0.productID, $0.quantity, 0, nil) }, names: names, frame)
        }
        editor = order.status == .draft ? LineEditor(costs: true, storeId: order.storeID, lines: LineEditor.lines(of: order)) : nil
        cancellable = open
        receive =
            order.status.isReceiving
            ? ReceiveForm(
                api: "/api/purchase-orders/\(order.id)/receipts", next: "/purchase-orders/\(order.id)?saved=1", losses: false,
                lines: order.lines.filter { $0.due > 0 || $0.allowOverReceipt }.map {
                    ReceiveForm.Line(id: $0.id, name: $0.productName, barcode: $0.barcode, due: $0.due, allowOver: $0.allowOverReceipt)
                }) : nil
    }
}

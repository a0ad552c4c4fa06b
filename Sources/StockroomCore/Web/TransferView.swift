/// One transfer: what was sent, what arrived, what was lost and what is still in transit on each line, its
/// deliveries, and the receiving store's form to take in what arrived.
struct TransferView: Sendable {
    let transfer: TransferRow
    let fromStoreId: Int64
    let toStoreId: Int64
    let notes: String?
    let lines: [Line]
    let receipts: [Delivery]
    /// Absent unless the caller's store takes it in and something is still on the road.
    let receive: ReceiveForm?

    struct Line: Sendable {
        let name: String
        let barcode: String
        let quantity: Int64
        let received: Int64
        let lost: Int64
        let inTransit: Int64
    }

    init(_ transfer: Transfer, receives: Bool, _ frame: PageFrame) {
        self.transfer = TransferRow(transfer, frame)
        fromStoreId = transfer.fromStoreID
        toStoreId = transfer.toStoreID
        notes = transfer.note.isEmpty ? nil : transfer.note
        lines = transfer.lines.map {
            Line(name: $0.productName, barcode: $0.barcode, quantity: $0.quantity, received: $0.received, lost: $0.lost, inTransit: $0.inTransit)
        }
        let names = Dictionary(transfer.lines.map { ($0.id, $0.productName) }) { first, _ in first }
        receipts = transfer.receipts.map { receipt in
            Delivery(
                at: receipt.createdAt, note: receipt.note, receipt.lines.map { ($0.lineID, $0.productID, $0.received, $0.lost, $0.reason) },
                names: names, frame)
        }
        receive =
            receives
            ? ReceiveForm(
                api: "/api/transfers/\(transfer.id)/receipts", next: "/transfers/\(transfer.id)?saved=1", losses: true,
                lines: transfer.lines.filter { $0.inTransit > 0 }.map {
                    ReceiveForm.Line(id: $0.id, name: $0.productName, barcode: $0.barcode, due: $0.inTransit, allowOver: false)
                }) : nil
    }
}

import Foundation

/// The lines of a purchase order or a transfer being written (the `line-editor` partial and `lines.js`): products
/// found by code or name, each with its quantity and, on an order, its unit cost. The editor names its fields as the
/// API reads them (`lines[0].product_id`), so the page's form posts them as they are.
struct LineEditor: Sendable {
    /// Whether each line takes a unit cost (an order does; a transfer moves stock at the cost it has).
    let costs: Bool
    /// The store whose stock the product search shows, unless the form has a store picker marked
    /// `data-line-store` (the new order's store, the transfer's source), which wins.
    let storeId: Int64
    let lines: [Line]
    let hasLines: Bool
    /// The row the script copies for each product added: its names end in `[]`, numbered as it is added.
    let blank = Line(index: "", productId: "", name: "", barcode: "", quantity: "1", unitCost: "")

    init(costs: Bool, storeId: Int64, lines: [Line]) {
        self.costs = costs
        self.storeId = storeId
        self.lines = lines
        hasLines = !lines.isEmpty
    }

    struct Line: Sendable {
        let index: String
        let productId: String
        let name: String
        let barcode: String
        let quantity: String
        let unitCost: String
    }

    /// The draft's own lines, in its order, each cost as a form field takes it (`2.50`).
    static func lines(of order: PurchaseOrder) -> [Line] {
        order.lines.enumerated().map { index, line in
            Line(
                index: String(index), productId: String(line.productID), name: line.productName, barcode: line.barcode,
                quantity: String(line.quantity), unitCost: DisplayFormat.plain(cents: line.unitCostCents))
        }
    }
}

/// What arrives at the back door (the `receive-form` partial and `receiving.js`): a line per product still to come,
/// its box starting at what is due, a scanner's code adding one to its line; on a transfer, what was lost on the
/// way and why. The script posts one receipt with an Idempotency-Key, so a delivery sent twice is received once.
struct ReceiveForm: Sendable {
    let api: String
    let next: String
    /// Whether lines record units lost on the way, with a reason (a transfer's receipt).
    let losses: Bool
    let lines: [Line]

    struct Line: Sendable {
        let id: Int64
        let name: String
        let barcode: String
        let due: Int64
        /// More than is due may arrive (an order line placed with `allow_over_receipt`).
        let allowOver: Bool
    }
}

/// A delivery as an order's or a transfer's page lists it: when, what of each product arrived (and on a transfer what
/// was lost on the way, and why), and the note it came with.
struct Delivery: Sendable {
    let date: String
    let note: String?
    let items: [Item]

    struct Item: Sendable {
        let name: String
        let received: Int64
        let lost: Int64
        /// Only beside units lost.
        let reason: String?
    }

    /// `lines` each named by its order or transfer line (`names`, by line id).
    init(
        at date: Date, note: String, _ lines: [(lineID: Int64, productID: Int64, received: Int64, lost: Int64, reason: String?)],
        names: [Int64: String], _ frame: PageFrame
    ) {
        self.date = frame.format.dateTime(date)
        self.note = note.isEmpty ? nil : note
        items = lines.map {
            Item(name: names[$0.lineID] ?? "#\($0.productID)", received: $0.received, lost: $0.lost, reason: $0.lost > 0 ? $0.reason : nil)
        }
    }
}

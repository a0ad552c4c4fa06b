/// One stock count: each line's expected stock (what the system showed when it was counted), what was counted and
/// the difference; once posted, what posting changed. While the count is open the page scans (`counting.js`): each
/// code adds one to its line through the API, and a line takes a number typed for it.
struct StockCountView: Sendable {
    let count: CountRow
    let storeId: Int64
    let createdAt: String
    let closedAt: String?
    let lines: [Line]
    let lineCount: Int
    let countedLines: Int
    let differingLines: Int
    /// Whether scans and typed counts are taken (the count is open).
    let counting: Bool
    /// Whether the reader may post or abandon it (owners and admins, while it is open).
    let closes: Bool
    let posted: Bool

    struct Line: Sendable {
        let productId: Int64
        let name: String
        let barcode: String
        let expected: String
        let counted: String
        let difference: String
        /// "over", "short" or "even" once counted, for the row's colour.
        let mark: String
        let postedDelta: String
    }

    init(_ count: StockCount, closes: Bool, _ frame: PageFrame) {
        self.count = CountRow(count, frame)
        storeId = count.storeID
        createdAt = frame.format.dateTime(count.createdAt)
        closedAt = count.closedAt.map(frame.format.dateTime)
        lines = count.lines.map { line in
            let difference = line.difference
            return Line(
                productId: line.productID, name: line.productName, barcode: line.barcode, expected: line.expected.map(String.init) ?? "",
                counted: line.counted.map(String.init) ?? "", difference: difference.map(Self.signed) ?? "",
                mark: difference.map { $0 > 0 ? "over" : $0 < 0 ? "short" : "even" } ?? "",
                postedDelta: line.postedDelta.map(Self.signed) ?? "")
        }
        lineCount = count.lines.count
        countedLines = count.lines.filter { $0.counted != nil }.count
        differingLines = count.lines.filter { ($0.difference ?? 0) != 0 }.count
        counting = count.status == .open
        self.closes = closes && count.status == .open
        posted = count.status == .posted
    }

    /// A difference as the shelf reads it: +2 over, −1 short, 0.
    static func signed(_ value: Int64) -> String {
        value > 0 ? "+\(value)" : String(value)
    }
}

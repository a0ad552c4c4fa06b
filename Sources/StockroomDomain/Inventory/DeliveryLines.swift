/// A line goods arrive against: an order's line or a transfer's.
protocol DeliveryLine {
    var id: Int64 { get }
    var productID: Int64 { get }
    var productName: String { get }
}

/// What arrived of one line, naming it by line id or by product.
protocol DeliveredItem {
    var lineID: Int64? { get }
    var productID: Int64? { get }
}

extension PurchaseOrder.Line: DeliveryLine {}
extension Transfer.Line: DeliveryLine {}
extension ReceivedLine: DeliveredItem {}
extension TransferArrival: DeliveredItem {}

enum DeliveryLines {
    /// Each delivered item with the line it names, in line order; 400 on `lines` for an item naming no line of
    /// `lines` (`of`: "order #3", "transfer 5") or naming a line twice.
    static func match<Line: DeliveryLine, Item: DeliveredItem>(
        _ items: [Item], to lines: [Line], of what: String
    ) throws -> [(line: Line, item: Item)] {
        var matched: [Int64: (line: Line, item: Item)] = [:]
        for item in items {
            guard let line = lines.first(where: { $0.id == item.lineID || $0.productID == item.productID }) else {
                let named = item.lineID.map { "Line \($0)" } ?? "Product \(item.productID ?? 0)"
                throw ShopError.invalidField("lines", "\(named) is not on \(what)")
            }
            guard matched[line.id] == nil else { throw ShopError.invalidField("lines", "\(line.productName) is named twice") }
            matched[line.id] = (line, item)
        }
        return matched.values.sorted { $0.line.id < $1.line.id }
    }
}

extension DeliveryLines {
    /// The lines of an order, a transfer or a return as sent: 1 to `maxLines` of them, each product once (`on`: "the
    /// order"), each 1 to 1,000,000 units; 400 naming `lines` or `quantity` otherwise.
    static func check(products: [Int64], quantities: [Int64], maxLines: Int, on what: String) throws {
        guard (1...maxLines).contains(products.count) else { throw ShopError.invalidField("lines", "lines must hold 1 to \(maxLines) lines") }
        guard Set(products).count == products.count else { throw ShopError.invalidField("lines", "Each product goes on one line of \(what)") }
        guard quantities.allSatisfy({ (1...CatalogLimits.quantity.upperBound).contains($0) }) else {
            throw ShopError.invalidField("quantity", "quantity must be a whole number from 1 to 1000000")
        }
    }
}

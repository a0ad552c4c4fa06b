import Foundation
import SQLKit

/// Selling: a whole sale in one transaction, prices and costs from the catalog, stock through the inventory
/// service (an insufficient line rejects the sale with 409 naming the product, requested and available).
/// Everyone sells in their own store (owners in any of theirs); edits and voids are for owners and admins.
public struct SaleService: Sendable {
    static let maxLines = 200
    let database: any DatabaseClient
    let stockLedger: StockLedger
    let events: EventHub
    let rollup: SalesRollup
    let sales = SaleRepository()
    let catalog = CatalogRepository()
    let identity = IdentityRepository()
    let audit = AuditRepository()
    /// The writer of new sales.
    let batches: SaleBatches

    public init(database: any DatabaseClient, stockLedger: StockLedger, events: EventHub, clock: LocalClock) {
        self.database = database
        self.stockLedger = stockLedger
        self.events = events
        self.rollup = SalesRollup(clock: clock)
        self.batches = SaleBatches(database: database, stockLedger: stockLedger, events: events, rollup: rollup)
    }

    public func sell(_ caller: Caller, _ request: SaleRequest) async throws -> Sale {
        switch try await sell(caller, request, keyed: nil) {
        case .sold(let sale, _): return sale
        case .short(let shortage): throw shortage.refusal()
        // (only keyed orders are answered by their key)
        case .replayed, .keyRefused: throw ShopError(.fault, code: "internal_error", "A sale without a key was answered by one")
        }
    }

    /// A new sale; with `keyed`, the request's Idempotency-Key is kept with the answer by the sale's own
    /// transaction, and a shortage is answered, not thrown (the refusal kept with the key is the answer).
    public func sell(_ caller: Caller, _ request: SaleRequest, keyed: KeyedSale?) async throws -> SaleBatches.Answer {
        try Self.validate(request.lines)
        let storeID = try caller.storeScope(requested: request.storeID) ?? caller.storeID
        let answer: SaleBatches.Answer
        do {
            // Priced on a reader (SQLite) or a pooled connection (PostgreSQL), then written with the sales waiting
            // beside it (`SaleBatches`); inside a transaction already, in that one.
            let (sale, store) = try await database.read { try await newSale(caller, request, storeID: storeID, $0) }
            let order = SaleBatches.Order(sale: sale, store: store, caller: caller, keyed: keyed)
            answer =
                if Transaction.joinable(by: database as AnyObject) != nil {
                    try await database.withTransaction { try await batches.write([order], $0)[0] }
                } else {
                    try await batches.record(order)
                }
        } catch let shortage as InsufficientStock {
            throw failed(caller, storeID, shortage.refusal())
        } catch let error as ShopError where error.kind == .notFound || error.kind == .conflict {
            throw failed(caller, storeID, error)
        }
        if case .short(let shortage) = answer {
            let refusal = failed(caller, storeID, shortage.refusal())
            if keyed == nil { throw refusal }
        }
        return answer
    }

    /// A new sale as the request asks it, priced from the catalog and checked (store open, discounts within the
    /// caller's limit); not yet written (no id, no bill number). And its store's name, for its notification.
    func newSale(_ caller: Caller, _ request: SaleRequest, storeID: Int64, _ db: any SQLDatabase) async throws -> (Sale, store: String) {
        let selling = try await sales.sellingStore(storeID, companyID: caller.companyID, db)
        let store = try IdentityRepository.open(selling?.store, id: storeID)
        let tax = selling?.tax ?? TaxSettings(rateBasisPoints: 0, pricesIncludeTax: false)
        let lines = try await priced(request.lines, keeping: [], companyID: caller.companyID, storeID: storeID, db)
        let now = Date.now
        var sale = Sale(
            id: 0, companyID: caller.companyID, storeID: storeID, vendorID: caller.userID, vendorName: caller.username,
            billNumber: 0, status: .completed, paymentMethod: request.paymentMethod, customer: request.customer, subtotalCents: 0,
            discountCents: request.discountCents, taxCents: 0, totalCents: 0, tax: tax, lines: lines, createdAt: now, updatedAt: now)
        try Self.total(&sale)
        try await checkDiscount(caller, sale, db)
        return (sale, store.name)
    }

    /// Publishes the "sale error" event for a refused sale and returns the error to answer with.
    func failed(_ caller: Caller, _ storeID: Int64, _ error: ShopError) -> ShopError {
        events.publish(.saleFailed(companyID: caller.companyID, storeID: storeID, actorID: caller.userID, code: error.code, message: error.message))
        return error
    }

    /// Lines priced from the catalog (or, for products in `keeping`, at the prices the sale captured before).
    func priced(
        _ requested: [SaleRequest.Line], keeping captured: [SaleLine], companyID: Int64, storeID: Int64, _ db: any SQLDatabase
    ) async throws -> [SaleLine] {
        var lines: [SaleLine] = []
        let merged = Self.merged(requested)
        // Checked again after merging: one product on many lines must stay within the per-line bound too, which
        // also keeps every amount far from integer overflow (price ≤ 10⁸ cents × 10⁶ units × 200 lines).
        try Self.validate(merged)
        let products = try await catalog.storeProducts(ids: merged.map(\.productID), companyID: companyID, storeID: storeID, db)
        for line in merged {
            guard let product = products[line.productID] else {
                throw ShopError(
                    .notFound, code: "product_not_found", "Product \(line.productID) does not exist", facts: ["product_id": .int(line.productID)])
            }
            let previous = captured.first { $0.productID == line.productID }
            // A product disabled or archived since the sale may stay on it, but not grow.
            let keptAsWas = previous.map { line.quantity <= $0.quantity } ?? false
            guard keptAsWas || (product.product.isActive && product.isActiveInStore) else {
                throw ShopError(
                    .notFound, code: "product_unavailable", "\(product.product.name) is disabled or archived in this store",
                    facts: ["product_id": .int(line.productID)])
            }
            let price = previous?.unitPriceCents ?? product.product.priceCents
            // An edit that names no discount keeps the line's discount; one that names 0 takes it off.
            let basisPoints = line.discountBasisPoints ?? previous?.discountBasisPoints ?? 0
            let gross = price * line.quantity
            let discount = (gross * basisPoints + 5_000) / 10_000
            lines.append(
                SaleLine(
                    productID: line.productID, productName: product.product.name, quantity: line.quantity, unitPriceCents: price,
                    unitCostCents: previous?.unitCostCents ?? product.product.costCents, discountBasisPoints: basisPoints,
                    lineTotalCents: gross - discount))
        }
        return lines
    }

    /// The same product on several lines becomes one line (its quantities added).
    static func merged(_ lines: [SaleRequest.Line]) -> [SaleRequest.Line] {
        var merged: [SaleRequest.Line] = []
        for line in lines {
            if let index = merged.firstIndex(where: { $0.productID == line.productID && $0.discountBasisPoints == line.discountBasisPoints }) {
                merged[index].quantity += line.quantity
            } else {
                merged.append(line)
            }
        }
        return merged
    }

    static func total(_ sale: inout Sale) throws {
        sale.subtotalCents = sale.lines.reduce(0) { $0 + $1.lineTotalCents }
        guard (0...sale.subtotalCents).contains(sale.discountCents) else {
            throw ShopError.invalidField("saleDiscount", "The discount must be between 0 and the subtotal")
        }
        (sale.taxCents, sale.totalCents) = sale.tax.apply(to: sale.subtotalCents - sale.discountCents)
    }

    static func validate(_ lines: [SaleRequest.Line]) throws {
        guard !lines.isEmpty else { throw ShopError.invalidField("lines", "A sale needs at least one item") }
        guard lines.count <= maxLines else { throw ShopError.invalidField("lines", "At most \(maxLines) items per sale") }
        for line in lines {
            guard line.productID > 0 else { throw ShopError.invalidField("product", "Product ids are positive whole numbers") }
            guard (1...CatalogLimits.quantity.upperBound).contains(line.quantity) else {
                throw ShopError.invalidField("quantity", "Quantities are whole numbers from 1 to 1000000")
            }
            guard (0...10_000).contains(line.discountBasisPoints ?? 0) else {
                throw ShopError.invalidField("lineDiscount", "A line discount is from 0 to 100 percent")
            }
        }
    }
}

extension Sale {
    var auditValues: [String: JSONValue] {
        [
            "bill_number": .int(billNumber), "store_id": .int(storeID), "vendor_id": .int(vendorID), "status": .string(status.rawValue),
            "payment_method": .string(paymentMethod.rawValue), "total": .double(Money.amount(totalCents)),
            "lines": .array(
                lines.map {
                    .object([
                        "product_id": .int($0.productID), "quantity": .int($0.quantity),
                        "unit_price": .double(Money.amount($0.unitPriceCents)),
                    ])
                }),
        ]
    }
}

import Foundation

/// Customer returns against a sale.
extension SaleService {
    /// A sale's returns, oldest first (whoever may see the sale).
    public func returns(_ caller: Caller, saleID: Int64) async throws -> [SaleReturn] {
        _ = try await get(caller, id: saleID)
        return try await database.read { try await ReturnRepository().returns(saleID: saleID, $0) }
    }

    /// Takes goods back against a completed sale, all or nothing: each product at most what was sold and not yet
    /// returned (the sale's row is locked, so parallel returns take turns and can never return a unit twice), the
    /// refund from what the sale captured (`ReturnPricing`), the units back on the shelf (`return` movements) or
    /// written off with a reason (`return` then `write_off`), and the report totals net of it. Owners and admins (their
    /// store's sales). A sale with returns is not edited or voided any more: its lines are what was returned against.
    public func takeReturn(_ caller: Caller, saleID: Int64, lines requested: [ReturnRequest], note: String?) async throws -> SaleReturn {
        try caller.require(.editSales)
        try Validation.checkText(note, field: "note", length: 0...1000)
        try DeliveryLines.check(
            products: requested.map(\.productID), quantities: requested.map(\.quantity), maxLines: Self.maxLines, on: "the return")
        for line in requested {
            try Validation.checkText(line.reason, field: "reason", length: 0...200)
            if !line.restock, line.reason?.trimmingCharacters(in: .whitespaces).isEmpty ?? true {
                throw ShopError.invalidField("reason", "Say why returned units are written off (damaged, expired, …)")
            }
        }
        let returns = ReturnRepository()
        return try await database.withTransaction { transaction in
            let db = transaction.db
            let completed = try await sales.lockCompleted(id: saleID, companyID: caller.companyID, db)
            guard let sale = try await sales.sale(id: saleID, companyID: caller.companyID, db),
                caller.role == .owner || sale.storeID == caller.storeID
            else { throw ShopError.notFound("Sale") }
            guard completed else { throw ShopError.conflict("A voided sale takes no return", code: "sale_voided") }
            _ = try await identity.requireOpenStore(sale.storeID, companyID: caller.companyID, db)
            let returnedBefore = try await returns.returnedUnits(saleID: saleID, db)
            let pricing = ReturnPricing(sale: sale)
            var lines: [SaleReturn.Line] = []
            for request in requested.sorted(by: { $0.productID < $1.productID }) {
                // A product sold on several lines (at different discounts) comes back as one.
                guard let line = sale.lines.first(where: { $0.productID == request.productID }), let sold = pricing.sold[line.productID] else {
                    throw ShopError.invalidField("lines", "Product \(request.productID) is not on sale #\(sale.billNumber)")
                }
                let before = returnedBefore[line.productID] ?? 0
                guard request.quantity <= sold.quantity - before else {
                    throw ShopError.conflict(
                        "\(line.productName): \(request.quantity) returned but only \(sold.quantity - before) of \(sold.quantity) sold are left to return",
                        code: "return_exceeds_sale",
                        facts: [
                            "product_id": .int(line.productID), "sold": .int(sold.quantity), "returned": .int(before),
                            "requested": .int(request.quantity),
                        ])
                }
                let (refund, revenue) = pricing.refund(productID: line.productID, quantity: request.quantity, returnedBefore: before)
                lines.append(
                    SaleReturn.Line(
                        productID: line.productID, productName: line.productName, quantity: request.quantity, refundCents: refund,
                        revenueCents: revenue, costCents: request.quantity * line.unitCostCents, restocked: request.restock,
                        reason: request.reason))
            }
            let refundedBefore = try await returns.returns(saleID: saleID, db).reduce(0) { $0 + $1.refundCents }
            let refund = lines.reduce(0) { $0 + $1.refundCents }
            var taken = SaleReturn(
                id: 0, companyID: sale.companyID, storeID: sale.storeID, saleID: saleID, refundCents: refund,
                taxCents: pricing.tax(of: refundedBefore + refund) - pricing.tax(of: refundedBefore), note: note ?? "", createdBy: caller.userID,
                createdAt: .now, lines: lines)
            taken.id = try await returns.insert(taken, db)
            let reference = "sale:\(sale.id)"
            try await stockLedger.applyAll(
                lines.map {
                    .init(
                        companyID: sale.companyID, storeID: sale.storeID, productID: $0.productID, delta: $0.quantity, kind: .return,
                        actorID: caller.userID, reference: reference, reason: "Return \(taken.id)")
                }, transaction)
            try await stockLedger.applyAll(
                lines.filter { !$0.restocked }.map {
                    .init(
                        companyID: sale.companyID, storeID: sale.storeID, productID: $0.productID, delta: -$0.quantity, kind: .writeOff,
                        actorID: caller.userID, reference: reference, reason: $0.reason)
                }, transaction)
            try await rollup.recordReturn(of: Self.returnedPart(of: sale, taken), db)
            try await audit.record(
                caller.auditEntry(
                    "sale_returned", entityType: "sale", entityID: saleID,
                    new: [
                        "return_id": .int(taken.id), "refund": .double(Money.amount(refund)),
                        "lines": .array(
                            lines.map {
                                .object([
                                    "product_id": .int($0.productID), "quantity": .int($0.quantity), "refund": .double(Money.amount($0.refundCents)),
                                    "restocked": .bool($0.restocked),
                                ])
                            }),
                    ]), db)
            let event = DomainEvent.ReturnTaken(
                companyID: sale.companyID, storeID: sale.storeID, saleID: saleID, billNumber: sale.billNumber, returnID: taken.id,
                units: lines.reduce(0) { $0 + $1.quantity }, refundCents: refund, actorID: caller.userID)
            let events = self.events
            transaction.afterCommit { events.publish(.goodsReturned(event)) }
            return taken
        }
    }

    /// What a return takes out of the report totals, as a sale: the returned units as its lines (their revenue
    /// before the sale's discount, their captured cost), the refund as its total and the refund's tax as its tax.
    static func returnedPart(of sale: Sale, _ taken: SaleReturn) -> Sale {
        var part = sale
        part.lines = taken.lines.map { returned in
            let sold = sale.lines.first { $0.productID == returned.productID }!
            var line = sold
            line.quantity = returned.quantity
            line.lineTotalCents = returned.revenueCents
            return line
        }
        part.totalCents = taken.refundCents
        part.taxCents = taken.taxCents
        return part
    }
}

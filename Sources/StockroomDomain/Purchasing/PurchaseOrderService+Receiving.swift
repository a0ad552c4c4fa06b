import Foundation

extension PurchaseOrderService {
    /// Goods arriving against an order at its store, all or nothing: each line's received count (guarded in its
    /// statement, so two receivers at once cannot take a line past what was ordered unless the line allows it),
    /// a `receipt` movement per product through the ledger, the products' moving-average cost (`AverageCost`),
    /// the supplier's last cost for each product, and the order's status (received when nothing is due).
    ///
    /// Lock order, the same as a sale's: the order's row and its lines first (no sale takes them), then the stock
    /// levels by (store, product), then the product rows by product.
    public func receive(_ caller: Caller, orderID: Int64, lines received: [ReceivedLine], note: String?) async throws -> PurchaseOrder {
        try caller.require(.managePurchasing)
        try Validation.checkText(note, field: "note", length: 0...1000)
        guard (1...Self.maxLines).contains(received.count) else {
            throw ShopError.invalidField("lines", "lines must hold 1 to \(Self.maxLines) lines")
        }
        for line in received {
            guard (1...CatalogLimits.quantity.upperBound).contains(line.quantity) else {
                throw ShopError.invalidField("quantity", "quantity must be a whole number from 1 to 1000000")
            }
            guard (line.lineID == nil) != (line.productID == nil) else {
                throw ShopError.invalidField("lines", "Each received line names its line_id or its product_id")
            }
        }
        return try await database.withTransaction { transaction in
            let db = transaction.db
            let order = try await requireOrder(caller, id: orderID, locked: true, transaction)
            guard order.status.isReceiving else {
                throw ShopError.conflict(
                    "Order #\(order.number) is \(order.status.rawValue): goods arrive only against an order placed and not yet received",
                    code: "order_not_receiving", facts: ["status": .string(order.status.rawValue)])
            }
            _ = try await identity.requireOpenStore(order.storeID, companyID: caller.companyID, db)
            let arrived = try DeliveryLines.match(received, to: order.lines, of: "order #\(order.number)").map {
                (line: $0.line, quantity: $0.item.quantity)
            }
            for (line, quantity) in arrived {
                guard try await orders.receive(lineID: line.id, quantity: quantity, db) != nil else {
                    // Read again: another receiver may have taken what was due since this order was read.
                    let now = try await requireOrder(caller, id: orderID, transaction).lines.first { $0.id == line.id } ?? line
                    throw ShopError.conflict(
                        "\(line.productName): \(quantity) received but only \(now.due) due on order #\(order.number)", code: "over_receipt",
                        facts: [
                            "line_id": .int(line.id), "product_id": .int(line.productID), "ordered": .int(line.quantity),
                            "received": .int(now.received), "requested": .int(quantity),
                        ])
                }
            }
            let reference = "purchase_order:\(order.id)"
            try await stockLedger.applyAll(
                arrived.map { line, quantity in
                    StockLedger.Change(
                        companyID: caller.companyID, storeID: order.storeID, productID: line.productID, delta: quantity, kind: .receipt,
                        actorID: caller.userID, reference: reference, reason: "Order #\(order.number) from \(order.supplierName)")
                }, transaction)
            for (line, quantity) in arrived.sorted(by: { $0.line.productID < $1.line.productID }) {
                try await averageIn(line.productID, quantity, at: line.unitCostCents, companyID: caller.companyID, reference: reference, transaction)
                try await suppliers.link(productID: line.productID, supplierID: order.supplierID, code: nil, lastCostCents: line.unitCostCents, db)
            }
            let receiptID = try await orders.insertReceipt(
                orderID: order.id, companyID: caller.companyID, storeID: order.storeID, receivedBy: caller.userID, note: note ?? "",
                lines: arrived.map {
                    PurchaseReceipt.Line(
                        lineID: $0.line.id, productID: $0.line.productID, quantity: $0.quantity, unitCostCents: $0.line.unitCostCents)
                }, db)
            var after = try await requireOrder(caller, id: orderID, transaction)
            let status: PurchaseOrder.Status = after.lines.allSatisfy { $0.due == 0 } ? .received : .partiallyReceived
            if status != after.status {
                try await orders.setStatus(orderID: order.id, status, db)
                after.status = status
            }
            let units = arrived.reduce(0) { $0 + $1.quantity }
            try await audit.record(
                caller.auditEntry(
                    "purchase_received", entityType: "purchase_order", entityID: order.id,
                    new: [
                        "receipt_id": .int(receiptID), "status": .string(status.rawValue), "note": .string(note ?? ""),
                        "lines": .array(
                            arrived.map {
                                .object(["line_id": .int($0.line.id), "product_id": .int($0.line.productID), "quantity": .int($0.quantity)])
                            }),
                    ]), db)
            let event = DomainEvent.GoodsReceipt(
                companyID: caller.companyID, storeID: order.storeID, orderID: order.id, receiptID: receiptID, units: units,
                complete: status == .received, actorID: caller.userID)
            let events = self.events
            transaction.afterCommit { events.publish(.goodsReceived(event)) }
            return after
        }
    }

    /// Moves the product's average cost by `quantity` units at `unitCostCents` that have just arrived (already in
    /// the stock levels, so not counted among the units held before them).
    private func averageIn(
        _ productID: Int64, _ quantity: Int64, at unitCostCents: Int64, companyID: Int64, reference: String, _ transaction: Transaction
    ) async throws {
        let (average, standing) = try await costs.lockedAverage(productID: productID, transaction)
        let held = try await costs.unitsHeld(productID: productID, transaction.db) - quantity
        guard let next = average.receiving(quantity, at: unitCostCents, held: held, standing: standing) else {
            throw ShopError.unprocessable("The stock value of product \(productID) would exceed what can be kept", code: "value_too_large")
        }
        _ = try await costs.setAverage(next, productID: productID, companyID: companyID, reference: reference, transaction.db)
    }
}

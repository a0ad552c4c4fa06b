import Foundation

/// Transfers between the company's stores in two steps: `dispatch` takes the units out of the source (they are in
/// transit), `receive` brings them in at the destination as they arrive, with what never arrived recorded as lost.
/// Owners move stock between any stores; admins send from their own store and receive at it. Credith's one-step
/// transfer (`StockService.transfer`) is both steps in one transaction.
public struct TransferService: Sendable {
    let database: any DatabaseClient
    let stockLedger: StockLedger
    let events: EventHub
    let transfers = TransferRepository()
    let identity = IdentityRepository()
    let audit = AuditRepository()
    var stock: StockService { StockService(database: database, stockLedger: stockLedger) }

    /// At most this many lines on a transfer, and in a receipt.
    public static let maxLines = 500

    public init(database: any DatabaseClient, stockLedger: StockLedger, events: EventHub) {
        self.database = database
        self.stockLedger = stockLedger
        self.events = events
    }

    public func list(_ caller: Caller, filter: TransferFilter, page: PageRequest) async throws -> Paged<Transfer> {
        try caller.require(.transferStock)
        var filter = filter
        filter.companyID = caller.companyID
        if caller.role != .owner { filter.touchingStoreID = caller.storeID }
        let (rows, total) = try await database.read { try await transfers.transfers(filter, limit: page.limit, offset: page.offset, $0) }
        return Paged(rows, total: total, page: page)
    }

    public func transfer(_ caller: Caller, id: Int64) async throws -> Transfer {
        try caller.require(.transferStock)
        return try Self.visible(try await database.read { try await transfers.transfer(id: id, companyID: caller.companyID, $0) }, to: caller)
    }

    /// What is on its way to `storeID` (every store for owners when nil), per store and product.
    public func inTransit(_ caller: Caller, storeID: Int64?) async throws -> [InTransit] {
        try caller.require(.transferStock)
        let storeID = try caller.storeScope(requested: storeID)
        return try await database.read { try await transfers.inTransit(companyID: caller.companyID, storeID: storeID, $0) }
    }

    /// Sends `lines` from `source` to `destination`: the units leave the source now (409 with the numbers when a
    /// shelf cannot give them) and are in transit until received.
    public func dispatch(
        _ caller: Caller, from source: Int64, to destination: Int64, lines: [TransferLineRequest], note: String?
    ) async throws -> Transfer {
        try Validation.checkText(note, field: "note", length: 0...1000)
        try Self.check(lines)
        return try await database.withTransaction { transaction in
            let id: Int64
            do {
                id = try await dispatch(caller, from: source, to: destination, lines: lines, note: note ?? "", transaction).id
            } catch let shortage as InsufficientStock {
                throw shortage.refusal()
            }
            let transfer = try await requireTransfer(caller, id: id, transaction)
            let events = self.events
            let event = DomainEvent.TransferMoved(
                companyID: caller.companyID, transferID: id, fromStoreID: source, toStoreID: destination,
                units: lines.reduce(0) { $0 + $1.quantity }, lost: 0, actorID: caller.userID)
            transaction.afterCommit { events.publish(.transferDispatched(event)) }
            return transfer
        }
    }

    /// The dispatch inside `transaction`: checks, the transfer's rows, the `transfer_out` movements; throws
    /// `InsufficientStock` for the caller to word.
    func dispatch(
        _ caller: Caller, from source: Int64, to destination: Int64, lines: [TransferLineRequest], note: String,
        reference: String = "transfer:" + UUID().uuidString.lowercased(), audited: Bool = true, _ transaction: Transaction
    ) async throws -> (id: Int64, reference: String) {
        try caller.require(.transferStock)
        guard source != destination else {
            throw ShopError.badRequest("A transfer goes from one store to another", code: "same_store", field: "toStore")
        }
        if caller.role != .owner, source != caller.storeID {
            throw ShopError.forbidden("Admins transfer only out of their own store")
        }
        for line in lines {
            try await stock.requireProductAndOpenStore(caller, productID: line.productID, storeID: source, field: "fromStore", transaction)
            try await stock.requireProductAndOpenStore(caller, productID: line.productID, storeID: destination, field: "toStore", transaction)
        }
        let id = try await transfers.insert(
            companyID: caller.companyID, from: source, to: destination, reference: reference, note: note, dispatchedBy: caller.userID, lines,
            transaction.db)
        try await stockLedger.applyAll(
            lines.map {
                StockLedger.Change(
                    companyID: caller.companyID, storeID: source, productID: $0.productID, delta: -$0.quantity, kind: .transferOut,
                    actorID: caller.userID, reference: reference, reason: "To store \(destination)")
            }, transaction)
        guard audited else { return (id, reference) }
        try await audit.record(
            caller.auditEntry(
                "stock_dispatched", entityType: "transfer", entityID: id,
                new: [
                    "from_store_id": .int(source), "to_store_id": .int(destination), "reference": .string(reference),
                    "lines": .array(lines.map { .object(["product_id": .int($0.productID), "quantity": .int($0.quantity)]) }),
                ]), transaction.db)
        return (id, reference)
    }

    /// What arrived at the destination, all or nothing: each line's received and lost units (never more than are in
    /// transit, even with two receivers at once), a `transfer_in` movement for everything that reached the books and
    /// a `transfer_loss` for what was lost, and the transfer's status (received once nothing is in transit).
    public func receive(_ caller: Caller, transferID: Int64, arrivals: [TransferArrival], note: String?) async throws -> Transfer {
        try caller.require(.transferStock)
        try Validation.checkText(note, field: "note", length: 0...1000)
        guard (1...Self.maxLines).contains(arrivals.count) else {
            throw ShopError.invalidField("lines", "lines must hold 1 to \(Self.maxLines) lines")
        }
        for arrival in arrivals {
            guard (arrival.lineID == nil) != (arrival.productID == nil) else {
                throw ShopError.invalidField("lines", "Each received line names its line_id or its product_id")
            }
            // Each bounded before they are added: a sum of two numbers a client sent could overflow.
            for (field, units) in [("received", arrival.received), ("lost", arrival.lost)] where !CatalogLimits.quantity.contains(units) {
                throw ShopError.invalidField(field, "\(field) must be a whole number from 0 to 1000000")
            }
            guard arrival.received + arrival.lost >= 1 else {
                throw ShopError.invalidField("received", "A received line takes in or records lost at least one unit")
            }
            if arrival.lost > 0 {
                guard let reason = arrival.reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw ShopError.invalidField("reason", "Say why units were lost (lost, damaged, …)")
                }
            }
            try Validation.checkText(arrival.reason, field: "reason", length: 0...200)
        }
        return try await database.withTransaction { transaction in
            let transfer = try await requireTransfer(caller, id: transferID, locked: true, transaction)
            if caller.role != .owner, transfer.toStoreID != caller.storeID {
                throw ShopError.forbidden("Only the receiving store takes a transfer in")
            }
            guard transfer.status != .received else {
                throw ShopError.conflict(
                    "Transfer \(transfer.id) is already received in full", code: "transfer_received",
                    facts: ["status": .string(transfer.status.rawValue)])
            }
            let lost = try await receive(
                caller, transfer,
                arrivals: try DeliveryLines.match(arrivals, to: transfer.lines, of: "transfer \(transfer.id)").map { ($0.line, $0.item) },
                note: note ?? "", transaction)
            let after = try await requireTransfer(caller, id: transferID, transaction)
            let events = self.events
            let event = DomainEvent.TransferMoved(
                companyID: caller.companyID, transferID: transfer.id, fromStoreID: transfer.fromStoreID, toStoreID: transfer.toStoreID,
                units: arrivals.reduce(0) { $0 + $1.received }, lost: lost, actorID: caller.userID)
            transaction.afterCommit { events.publish(.transferReceived(event)) }
            return after
        }
    }

    /// The receipt inside `transaction` (matched lines, checked by the caller); the units recorded as lost.
    @discardableResult
    func receive(
        _ caller: Caller, _ transfer: Transfer, arrivals: [(line: Transfer.Line, arrival: TransferArrival)], note: String,
        audited: Bool = true, _ transaction: Transaction
    ) async throws -> Int64 {
        let db = transaction.db
        _ = try await identity.requireOpenStore(transfer.toStoreID, companyID: caller.companyID, db)
        for (line, arrival) in arrivals {
            guard try await transfers.arrive(lineID: line.id, received: arrival.received, lost: arrival.lost, db) else {
                let now = try await requireTransfer(caller, id: transfer.id, transaction).lines.first { $0.id == line.id } ?? line
                throw ShopError.conflict(
                    "\(line.productName): \(arrival.received + arrival.lost) received or lost but only \(now.inTransit) in transit",
                    code: "over_receipt",
                    facts: [
                        "line_id": .int(line.id), "product_id": .int(line.productID), "in_transit": .int(now.inTransit),
                        "requested": .int(arrival.received + arrival.lost),
                    ])
            }
        }
        // Everything that arrived in the books comes in; what was lost then leaves again, with its reason.
        try await stockLedger.applyAll(
            arrivals.map { line, arrival in
                StockLedger.Change(
                    companyID: caller.companyID, storeID: transfer.toStoreID, productID: line.productID, delta: arrival.received + arrival.lost,
                    kind: .transferIn, actorID: caller.userID, reference: transfer.reference, reason: "From store \(transfer.fromStoreID)")
            }, transaction)
        let losses = arrivals.filter { $0.arrival.lost > 0 }
        try await stockLedger.applyAll(
            losses.map { line, arrival in
                StockLedger.Change(
                    companyID: caller.companyID, storeID: transfer.toStoreID, productID: line.productID, delta: -arrival.lost,
                    kind: .transferLoss, actorID: caller.userID, reference: transfer.reference, reason: arrival.reason)
            }, transaction)
        let receiptLines = arrivals.map {
            Transfer.Receipt.Line(
                lineID: $0.line.id, productID: $0.line.productID, received: $0.arrival.received, lost: $0.arrival.lost, reason: $0.arrival.reason)
        }
        let receiptID = try await transfers.insertReceipt(transferID: transfer.id, receivedBy: caller.userID, note: note, receiptLines, db)
        let arrived = Dictionary(uniqueKeysWithValues: arrivals.map { ($0.line.id, $0.arrival.received + $0.arrival.lost) })
        let done = transfer.lines.allSatisfy { $0.inTransit - (arrived[$0.id] ?? 0) == 0 }
        try await transfers.setStatus(transferID: transfer.id, done ? .received : .partiallyReceived, db)
        let lost = losses.reduce(0) { $0 + $1.arrival.lost }
        guard audited else { return lost }
        try await audit.record(
            caller.auditEntry(
                "transfer_received", entityType: "transfer", entityID: transfer.id,
                new: [
                    "receipt_id": .int(receiptID), "status": .string(done ? "received" : "partially_received"),
                    "lines": .array(
                        receiptLines.map {
                            .object([
                                "product_id": .int($0.productID), "received": .int($0.received), "lost": .int($0.lost),
                                "reason": $0.reason.map(JSONValue.string) ?? .null,
                            ])
                        }),
                ]), db)
        return lost
    }

    /// The transfer, when it is the caller's company's and (for admins) leaves or reaches their store; 404 otherwise.
    func requireTransfer(_ caller: Caller, id: Int64, locked: Bool = false, _ transaction: Transaction) async throws -> Transfer {
        try Self.visible(try await transfers.transfer(id: id, companyID: caller.companyID, locked: locked, transaction), to: caller)
    }

    static func visible(_ transfer: Transfer?, to caller: Caller) throws -> Transfer {
        guard let transfer, caller.role == .owner || transfer.fromStoreID == caller.storeID || transfer.toStoreID == caller.storeID else {
            throw ShopError.notFound("Transfer")
        }
        return transfer
    }

    /// 1 to `maxLines` lines, each product once, 1 to 1,000,000 units.
    static func check(_ lines: [TransferLineRequest]) throws {
        try DeliveryLines.check(products: lines.map(\.productID), quantities: lines.map(\.quantity), maxLines: maxLines, on: "the transfer")
    }
}

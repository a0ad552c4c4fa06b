import Foundation

/// Reading, editing and voiding sales.
extension SaleService {
    /// Vendors see their own sales, admins their store's, owners the company's (or one store's).
    public func list(_ caller: Caller, filter: SaleFilter, page: PageRequest) async throws -> Paged<Sale> {
        let (found, total) = try await listWindow(caller, filter: filter, window: OffsetRequest(limit: page.limit, offset: page.offset))
        return Paged(found, total: total, page: page)
    }

    public func listWindow(_ caller: Caller, filter: SaleFilter, window: OffsetRequest) async throws -> (sales: [Sale], total: Int) {
        var filter = filter
        filter.companyID = caller.companyID
        filter.storeID = try caller.storeScope(requested: filter.storeID)
        if caller.role == .vendor { filter.vendorID = caller.userID }
        return try await database.read { try await sales.sales(filter, limit: window.limit, offset: window.offset, $0) }
    }

    /// One sale the caller may see: 404 outside the company (and for a vendor, outside their own sales).
    public func get(_ caller: Caller, id: Int64) async throws -> Sale {
        guard let sale = try await database.read({ try await sales.sale(id: id, companyID: caller.companyID, $0) }),
            caller.role != .vendor || sale.vendorID == caller.userID
        else { throw ShopError.notFound("Sale") }
        // Another store's sale is as invisible to an admin as a missing one.
        if caller.role == .admin, sale.storeID != caller.storeID { throw ShopError.notFound("Sale") }
        return sale
    }

    /// Replaces the sale's lines in one transaction: each product's stock moves by the difference (`sale_edit`
    /// movements); products already on the sale keep the prices it captured. `seller` (a username, StockManager's
    /// `vendedor`) moves the sale to another active account that sells in the sale's store.
    public func edit(
        _ caller: Caller, id: Int64, lines requested: [SaleRequest.Line], paymentMethod: PaymentMethod?, seller: String? = nil
    ) async throws -> Sale {
        try caller.require(.editSales)
        try Self.validate(requested)
        return try await change(caller, id: id, action: "sale_edited") { sale, transaction in
            let db = transaction.db
            var edited = sale
            edited.lines = try await priced(requested, keeping: sale.lines, companyID: sale.companyID, storeID: sale.storeID, db)
            if let paymentMethod { edited.paymentMethod = paymentMethod }
            if let seller, seller.lowercased() != sale.vendorName.lowercased() {
                guard let account = try await identity.user(login: seller, db), account.username.lowercased() == seller.lowercased(),
                    account.companyID == sale.companyID, account.status == .active,
                    account.role == .owner || account.storeID == sale.storeID
                else { throw ShopError.invalidField("seller", "No active account of this sale's store is called '\(seller)'") }
                edited.vendorID = account.id
                edited.vendorName = account.username
            }
            try Self.total(&edited)
            try await checkDiscount(caller, edited, before: sale, db)
            var deltas: [Int64: Int64] = [:]
            for line in sale.lines { deltas[line.productID, default: 0] += line.quantity }
            for line in edited.lines { deltas[line.productID, default: 0] -= line.quantity }
            try await stockLedger.applyAll(
                deltas.filter { $0.value != 0 }.map { productID, delta in
                    .init(
                        companyID: sale.companyID, storeID: sale.storeID, productID: productID, delta: delta, kind: .saleEdit,
                        actorID: caller.userID, reference: "sale:\(sale.id)")
                }, transaction)
            try await sales.replaceLines(saleID: sale.id, edited.lines, db)
            return edited
        }
    }

    /// Voids a sale and puts its stock back (`void` movements). A voided sale stays in history.
    public func void(_ caller: Caller, id: Int64) async throws -> Sale {
        try caller.require(.editSales)
        return try await change(caller, id: id, action: "sale_voided") { sale, transaction in
            try await stockLedger.applyAll(
                sale.lines.map { line in
                    .init(
                        companyID: sale.companyID, storeID: sale.storeID, productID: line.productID, delta: line.quantity, kind: .void,
                        actorID: caller.userID, reference: "sale:\(sale.id)")
                }, transaction)
            var voided = sale
            voided.status = .voided
            return voided
        }
    }

    public func tax(_ caller: Caller) async throws -> TaxSettings {
        try await database.read { try await sales.tax(companyID: caller.companyID, $0) }
    }

    /// Sets the company's tax (owners); sales made from now on use it, earlier ones keep theirs.
    public func setTax(_ caller: Caller, _ tax: TaxSettings) async throws -> TaxSettings {
        try caller.require(.manageStores)
        return try await database.withTransaction { transaction in
            let before = try await sales.tax(companyID: caller.companyID, transaction.db)
            try await sales.setTax(tax, companyID: caller.companyID, transaction.db)
            try await audit.record(
                caller.auditEntry(
                    "tax_updated", entityType: "company", entityID: caller.companyID,
                    old: ["tax_rate_basis_points": .int(before.rateBasisPoints), "prices_include_tax": .bool(before.pricesIncludeTax)],
                    new: ["tax_rate_basis_points": .int(tax.rateBasisPoints), "prices_include_tax": .bool(tax.pricesIncludeTax)]), transaction.db)
            return tax
        }
    }

    /// Loads a completed sale of the caller's scope inside a transaction, applies `body`, saves and audits it.
    private func change(
        _ caller: Caller, id: Int64, action: String, _ body: (Sale, Transaction) async throws -> Sale
    ) async throws -> Sale {
        do {
            return try await database.withTransaction { transaction in
                let db = transaction.db
                let claimed = try await sales.lockCompleted(id: id, companyID: caller.companyID, db)
                guard let sale = try await sales.sale(id: id, companyID: caller.companyID, db) else { throw ShopError.notFound("Sale") }
                if caller.role != .owner, sale.storeID != caller.storeID { throw ShopError.notFound("Sale") }
                guard claimed, sale.status == .completed else { throw ShopError.conflict("This sale is voided", code: "sale_voided") }
                guard try await !ReturnRepository().hasReturns(saleID: id, db) else {
                    throw ShopError.conflict(
                        "Goods were returned against this sale: it is no longer edited or voided (take another return instead)",
                        code: "sale_has_returns")
                }
                let after = try await body(sale, transaction)
                try await sales.update(after, db)
                // Report totals follow, after the stock the body changed: the old sale out, the edited one (if not
                // voided) back in.
                try await rollup.record(removing: sale, adding: after.status == .completed ? after : nil, db)
                try await audit.record(caller.auditEntry(action, entityType: "sale", entityID: id, old: sale.auditValues, new: after.auditValues), db)
                let events = self.events
                transaction.afterCommit { events.publish(.saleEdited(companyID: caller.companyID, saleID: id, actorID: caller.userID)) }
                return after
            }
        } catch let shortage as InsufficientStock {
            throw shortage.refusal()
        }
    }
}

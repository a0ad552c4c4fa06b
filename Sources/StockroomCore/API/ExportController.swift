import Foundation
import Hummingbird
import NIOCore

/// CSV exports, streamed page by page so that a large catalog or ledger never sits in memory whole.
struct ExportController {
    static let pageSize = 500
    let catalog: CatalogService
    let stock: StockService
    let sales: SaleService
    /// For the `from`/`to` days of the sales and movement exports.
    let timeZone: TimeZone
    /// Money columns name the company's currency in their header (`price (EUR)`); the amounts stay plain numbers,
    /// and the import reads such a header as the plain field, so an export imports back as it is.
    let currency: CompanyCurrency

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("export/products.csv", use: products)
        api.get("export/stock-movements.csv", use: movements)
        api.get("export/sales.csv", use: salesCSV)
        api.get("export/stock.csv", use: stockCSV)
    }

    /// One store's stock levels as the stock page lists them (active products, its `search` and `view_mode`), for
    /// anyone who may see that store's stock page.
    @Sendable func stockCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let query = try ProductController.filter(QueryReader(request), caller: caller, includeDisabled: false)
        _ = try caller.storeScope(requested: query.storeID)
        let catalog = self.catalog
        return Self.csv(filename: "stock.csv", request) { writer in
            try await writer.write(Self.buffer(CSV.line(["store_id", "product_id", "barcode", "name", "stock", "min_stock", "low"])))
            try await Self.writeEachProduct(&writer, catalog, caller, query) { item in
                CSV.line([
                    String(item.storeID), String(item.product.id), item.product.barcode, item.product.name, String(item.stock),
                    String(item.minStock), item.stock <= item.minStock ? "yes" : "no",
                ])
            }
        }
    }

    /// One line per sale line, so spreadsheets can total by product as well as by sale.
    @Sendable func salesCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let filter = try SaleController.filter(QueryReader(request), caller: caller, timeZone: timeZone)
        _ = try caller.storeScope(requested: filter.storeID)
        let sales = self.sales
        let code = try await currency.currency(caller)
        return Self.csv(filename: "sales.csv", request) { writer in
            try await writer.write(
                Self.buffer(
                    CSV.line(
                        [
                            "sale_id", "bill_number", "created_at", "store_id", "vendor", "status", "payment_method", "product_id", "product",
                            "quantity", "unit_price (\(code))", "line_total (\(code))", "sale_total (\(code))",
                        ])))
            var page = 1
            while true {
                let rows = try await sales.list(caller, filter: filter, page: PageRequest(page: page, limit: Self.pageSize)).data
                let text = rows.flatMap { sale in
                    sale.lines.map { line in
                        CSV.line([
                            String(sale.id), String(sale.billNumber), sale.createdAt.formatted(.iso8601), String(sale.storeID), sale.vendorName,
                            sale.status.rawValue, sale.paymentMethod.rawValue, String(line.productID), line.productName, String(line.quantity),
                            String(Money.amount(line.unitPriceCents)), String(Money.amount(line.lineTotalCents)),
                            String(Money.amount(sale.totalCents)),
                        ])
                    }
                }.joined()
                try await writer.write(Self.buffer(text))
                if rows.count < Self.pageSize { break }
                page += 1
            }
        }
    }

    /// The products as the products page lists them: its filters (`search`, `view_mode`, `sort`, `order`) apply,
    /// disabled products included (with their status) unless a view leaves them out.
    @Sendable func products(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let query = try ProductController.filter(QueryReader(request), caller: caller, includeDisabled: true)
        let storeID = query.storeID
        _ = try caller.storeScope(requested: storeID)
        let catalog = self.catalog
        let code = try await currency.currency(caller)
        return Self.csv(filename: "products.csv", request) { writer in
            try await writer.write(
                Self.buffer(
                    CSV.line(
                        [
                            "barcode", "name", "description", "price (\(code))", "cost (\(code))", "quantity", "min_quantity", "category",
                            "expiration_date", "status",
                        ])))
            try await Self.writeEachProduct(&writer, catalog, caller, query) { item in
                let product = item.product
                return CSV.line([
                    product.barcode, product.name, product.description, String(Money.amount(product.priceCents)),
                    String(Money.amount(product.costCents)), String(item.stock), String(item.minStock), product.categoryName ?? "",
                    product.expirationDate ?? "", product.isActive ? "active" : "disabled",
                ])
            }
        }
    }

    @Sendable func movements(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let filter = try StockMovementController.filter(QueryReader(request), caller: caller, timeZone: timeZone)
        _ = try caller.storeScope(requested: filter.storeID)
        let stock = self.stock
        return Self.csv(filename: "stock-movements.csv", request) { writer in
            try await writer.write(
                Self.buffer(
                    CSV.line(
                        ["id", "created_at", "store_id", "product_id", "kind", "delta", "stock_after", "actor_id", "reference", "reason"])))
            var filter = filter
            while true {
                let rows = try await stock.movements(caller, filter: filter, page: PageRequest(page: 1, limit: Self.pageSize)).data
                let text = rows.map { movement in
                    CSV.line([
                        String(movement.id), movement.createdAt.formatted(.iso8601), String(movement.storeID), String(movement.productID),
                        movement.kind.rawValue, String(movement.delta), String(movement.stockAfter), movement.actorID.map(String.init) ?? "",
                        movement.reference ?? "", movement.reason ?? "",
                    ])
                }.joined()
                try await writer.write(Self.buffer(text))
                guard rows.count == Self.pageSize, let last = rows.last else { break }
                filter.beforeID = last.id
            }
        }
    }

    /// A streamed CSV download. With `bom=1` (or `true`) it starts with a UTF-8 byte-order mark: Excel on Windows
    /// reads a CSV without one in the machine's legacy code page ("JamÃ³n"), with one as UTF-8.
    static func csv(
        filename: String, _ request: Request, _ write: @Sendable @escaping (inout any ResponseBodyWriter) async throws -> Void
    ) -> Response {
        let bom = ["1", "true", "yes"].contains(request.uri.queryParameters["bom"]?.lowercased() ?? "")
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\""],
            body: ResponseBody { writer in
                if bom { try await writer.write(ByteBuffer(bytes: [0xEF, 0xBB, 0xBF])) }
                try await write(&writer)
                try await writer.finish(nil)
            })
    }

    /// Every product `query` lists, a page of the list at a time, each as `line` makes it.
    static func writeEachProduct(
        _ writer: inout any ResponseBodyWriter, _ catalog: CatalogService, _ caller: Caller, _ query: ProductQuery,
        _ line: (StoreProduct) -> String
    ) async throws {
        var page = 1
        while true {
            let rows = try await catalog.list(caller, query: query, page: PageRequest(page: page, limit: pageSize)).data
            try await writer.write(buffer(rows.map(line).joined()))
            if rows.count < pageSize { return }
            page += 1
        }
    }

    static func buffer(_ text: String) -> ByteBuffer {
        ByteBuffer(string: text)
    }
}

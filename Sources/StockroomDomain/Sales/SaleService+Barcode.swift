extension SaleService {
    /// The product a one-line sale names by barcode (StockManager's `POST /api/sales`), among the caller's company's.
    public func productID(barcode: String, _ caller: Caller) async throws -> Int64 {
        guard let productID = try await database.read({ try await catalog.product(barcode: barcode, companyID: caller.companyID, $0) }) else {
            throw ShopError(.notFound, code: "product_not_found", "No product has barcode '\(barcode)'")
        }
        return productID
    }
}

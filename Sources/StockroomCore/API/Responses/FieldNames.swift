/// The request's words for the fields the domain refuses. The domain names a field in the shop's words
/// (`lineDiscount`, `toStore`); StockManager's bodies and Credith's call the same things differently
/// (`discount_percentage`, `discountPercentage`), and a refusal names the field as the request that was refused did.
struct FieldNames: Sendable {
    let names: [String: String]

    static let stockManager = FieldNames(names: [
        "lines": "items", "product": "item_id", "lineDiscount": "discount_percentage", "saleDiscount": "discount_amount",
        "seller": "vendedor", "store": "store_id", "confirmPassword": "confirm_password", "newPassword": "new_password",
        "currentPassword": "current_password", "actionURL": "action_url",
    ])

    static let credith = FieldNames(names: [
        "lines": "details", "product": "productId", "lineDiscount": "discountPercentage", "saleDiscount": "discountAmount",
        "store": "storeId", "fromStore": "fromStoreId", "toStore": "toStoreId",
    ])

    /// Stockroom's own resources (snake_case, as the contract says of endpoints new to Stockroom).
    static let stockroom = FieldNames(names: [
        "store": "store_id", "product": "product_id", "supplier": "supplier_id", "fromStore": "from_store_id", "toStore": "to_store_id",
    ])

    /// Credith's routes speak its words, Stockroom's own resources theirs; every other route (and every page)
    /// StockManager's.
    init(path: String) {
        // By whole segments, as the router matches them (it skips empty ones: `//api/bills` is Credith's route too).
        let segments = path.split(separator: "/").prefix(2).map(String.init)
        guard segments.count == 2, segments[0] == "api" else {
            self = .stockManager
            return
        }
        self =
            if Self.credithResources.contains(segments[1]) {
                .credith
            } else if Self.stockroomResources.contains(segments[1]) {
                .stockroom
            } else {
                .stockManager
            }
    }

    private init(names: [String: String]) {
        self.names = names
    }

    private static let credithResources: Set<String> = ["store-inventory", "bills"]
    private static let stockroomResources: Set<String> = ["suppliers", "purchase-orders", "transfers", "stock-counts"]

    /// `refusal` with its field as the request named it.
    func naming(_ refusal: ShopError) -> ShopError {
        guard let field = refusal.field, let name = names[field] else { return refusal }
        return refusal.naming(field: name)
    }
}

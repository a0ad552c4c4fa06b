import Foundation

/// The till's values from the server: the receipt's header and footer, the paper, and what the script needs to
/// price a cart exactly as `SaleService` will (the tax, the caller's discount limit), before the server's answer.
struct TillPage: Sendable {
    /// The cart is kept in the browser's storage under this name: one per person and store, so a reload or the
    /// language switch never empties it and nobody else's cart is restored on a shared tablet.
    let tillKey: String
    let shop: Shop
    let receiptWidth: Int64
    let taxBasisPoints: Int64
    /// `true` or `false`, as the script reads it from the page.
    let pricesIncludeTax: String
    /// "" for owners: no limit.
    let maxDiscount: String
    /// The limit's hint; absent for owners.
    let maxDiscountPercent: String?

    struct Shop: Sendable {
        let name: String
        let address: String
        let taxId: String
        let footer: String
        let hasTaxId: Bool
        let hasAddress: Bool
        let hasFooter: Bool
    }

    init(_ till: TillView, caller: Caller, _ strings: [String: String]) {
        tillKey = "stockroom-till:\(caller.companyID):\(caller.userID):\(caller.storeID)"
        shop = Shop(
            name: till.shopName, address: till.address, taxId: till.settings.taxID, footer: till.settings.footer,
            hasTaxId: !till.settings.taxID.isEmpty, hasAddress: !till.address.isEmpty, hasFooter: !till.settings.footer.isEmpty)
        receiptWidth = till.settings.receiptWidth
        taxBasisPoints = till.tax.rateBasisPoints
        pricesIncludeTax = till.tax.pricesIncludeTax ? "true" : "false"
        maxDiscount = till.maxDiscount.map { String($0) } ?? ""
        maxDiscountPercent = till.maxDiscount.map {
            (strings["discount_limit"] ?? "").replacingOccurrences(of: "{max}", with: DisplayFormat.percent(basisPoints: $0))
        }
    }
}

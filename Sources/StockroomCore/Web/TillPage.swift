/// The till's values from the server: the receipt's header and footer, the paper, and what the script needs to
/// price a cart exactly as `SaleService` will (the tax, the caller's discount limit), before the server's answer.
enum TillPage {
    static func fill(_ page: inout PageContext, _ till: TillView) {
        page.values["shop"] = [
            "name": till.shopName, "address": till.address, "tax_id": till.settings.taxID, "footer": till.settings.footer,
            "has_tax_id": !till.settings.taxID.isEmpty, "has_address": !till.address.isEmpty, "has_footer": !till.settings.footer.isEmpty,
        ] as [String: Any]
        page.values["receipt_width"] = till.settings.receiptWidth
        page.values["tax_basis_points"] = till.tax.rateBasisPoints
        page.values["prices_include_tax"] = till.tax.pricesIncludeTax ? "true" : "false"
        // "" for owners: no limit
        page.values["max_discount"] = till.maxDiscount.map { String($0) } ?? ""
        if let limit = till.maxDiscount {
            let percent = Double(limit) / 100
            let text = percent == percent.rounded() ? String(Int(percent)) : String(percent)
            page.values["max_discount_percent"] = (page.strings["discount_limit"] ?? "").replacingOccurrences(of: "{max}", with: text)
        }
    }
}

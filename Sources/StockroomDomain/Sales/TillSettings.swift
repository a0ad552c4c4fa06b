/// What the company's till prints and allows: the receipt's header and footer, its paper, and the largest discount
/// each role may give. Owners may give any discount; the limits are for admins and vendors.
public struct TillSettings: Sendable, Equatable {
    /// Printed above the receipt; empty prints the company's name.
    public var shopName = ""
    /// Printed under the name when the store selling has no address of its own.
    public var address = ""
    public var taxID = ""
    public var footer = ""
    /// The receipt printer's paper, in millimetres: 58 or 80.
    public var receiptWidth: Int64 = 80
    /// The largest discount (line discounts and the sale's together) as basis points of the sale's gross.
    public var maxDiscountAdmin: Int64 = 10_000
    public var maxDiscountVendor: Int64 = 10_000

    public static let widths: [Int64] = [58, 80]

    public init() {}

    /// The role's limit in basis points of the gross; nil for owners, who may give any discount.
    public func maxDiscount(for role: Role) -> Int64? {
        switch role {
        case .owner: nil
        case .admin: maxDiscountAdmin
        case .vendor: maxDiscountVendor
        }
    }

    var auditValues: [String: JSONValue] {
        [
            "receipt_name": .string(shopName), "receipt_address": .string(address), "tax_id": .string(taxID), "receipt_footer": .string(footer),
            "receipt_width": .int(receiptWidth), "max_discount_admin_basis_points": .int(maxDiscountAdmin),
            "max_discount_vendor_basis_points": .int(maxDiscountVendor),
        ]
    }
}

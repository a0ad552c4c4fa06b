extension Migration {
    /// What the till prints and allows, per company: the receipt's header (shop name, address, tax id), its footer
    /// and paper width (58 or 80 mm), and the largest discount admins and vendors may give, in basis points of the
    /// sale's gross (10,000 = 100 %, the default, so shops that existed before keep selling as they did).
    static let m016TillSettings = Migration(
        id: 16, name: "till settings",
        statements: [
            "ALTER TABLE companies ADD COLUMN receipt_name TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE companies ADD COLUMN receipt_address TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE companies ADD COLUMN tax_id TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE companies ADD COLUMN receipt_footer TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE companies ADD COLUMN receipt_width BIGINT NOT NULL DEFAULT 80",
            "ALTER TABLE companies ADD COLUMN max_discount_admin_basis_points BIGINT NOT NULL DEFAULT 10000",
            "ALTER TABLE companies ADD COLUMN max_discount_vendor_basis_points BIGINT NOT NULL DEFAULT 10000",
        ])
}

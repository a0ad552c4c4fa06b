extension Migration {
    /// The shop's own formats: each company's currency (ISO 4217; null until the first start with this migration
    /// gives it the installation's default, `STOCKROOM_CURRENCY` or the machine's locale), and the text encoding
    /// an uploaded CSV was read in, which its preview reports again after a new mapping.
    static let m014ShopFormats = Migration(
        id: 14, name: "shop formats",
        statements: [
            "ALTER TABLE companies ADD COLUMN currency TEXT",
            "ALTER TABLE product_imports ADD COLUMN encoding TEXT",
        ])
}

extension Migration {
    /// Sales: each store's bill-number counter (a row per store, incremented inside the sale's transaction, so
    /// numbers never repeat or skip) and the company's tax settings.
    static let m005Sales = Migration(
        id: 5, name: "sales",
        statements: [
            """
            CREATE TABLE store_bill_counters (
                store_id BIGINT PRIMARY KEY REFERENCES stores(id),
                last_number BIGINT NOT NULL
            )
            """,
            "ALTER TABLE companies ADD COLUMN tax_rate_basis_points BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE companies ADD COLUMN prices_include_tax BOOLEAN NOT NULL DEFAULT FALSE",
            "CREATE INDEX sale_lines_product_sale ON sale_lines(product_id, sale_id)",
        ])
}

extension Migration {
    /// The catalog's remaining fields (Credith's product image) and the indexes stock lists and the ledger need.
    static let m003Catalog = Migration(
        id: 3, name: "catalog and stock",
        statements: [
            "ALTER TABLE products ADD COLUMN image_url TEXT",
            "CREATE INDEX products_company_active ON products(company_id, is_active, name)",
            "CREATE INDEX stock_levels_store_stock ON stock_levels(store_id, in_stock)",
            "CREATE INDEX stock_movements_product ON stock_movements(product_id, id)",
            "CREATE INDEX stock_movements_store_time ON stock_movements(store_id, created_at)",
        ])
}

extension Migration {
    /// What a product list needs to answer from indexes at 10,000 products: its page in name order straight from
    /// an index (it sorted the whole catalog on every request), and the count of products archived in a store
    /// (the page's `total` is the company's active products minus those).
    static let m009CatalogListIndexes = Migration(
        id: 9, name: "catalog list indexes",
        statements: [
            "CREATE INDEX products_company_lower_name ON products(company_id, (LOWER(name)), id)",
            "CREATE INDEX stock_levels_store_active ON stock_levels(store_id, is_active)",
        ])
}

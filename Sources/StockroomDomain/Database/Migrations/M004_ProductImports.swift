extension Migration {
    /// Uploaded product CSVs waiting between preview and confirm (kept a day).
    static let m004ProductImports = Migration(
        id: 4, name: "product imports",
        statements: [
            """
            CREATE TABLE product_imports (
                id {{id}},
                company_id BIGINT NOT NULL REFERENCES companies(id),
                user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                store_id BIGINT NOT NULL REFERENCES stores(id),
                csv TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """
        ])
}

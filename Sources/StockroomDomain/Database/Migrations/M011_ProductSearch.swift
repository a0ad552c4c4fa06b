extension Migration {
    /// A substring search of product names and barcodes (the product lists' `search`, the till's lookup) served by
    /// an index instead of reading every product: at 10,000 products each search read them all (6–7 ms on SQLite).
    ///
    /// SQLite: an FTS5 table with the `trigram` tokenizer over `products` (external content: it stores only the
    /// index), kept equal to the products by triggers — so by the very transaction that changes a product. Its
    /// matching folds case as `LOWER` does. PostgreSQL: `pg_trgm` GIN indexes on the same `LOWER(…)` expressions the
    /// query already uses; where the extension cannot be created (a role without the right), the search keeps
    /// working by reading the table, and the server says so once at start (`ProductSearchIndex`).
    static let m011ProductSearch = Migration(
        id: 11, name: "product search index",
        sqlite: [
            """
            CREATE VIRTUAL TABLE product_search USING fts5(
                name, barcode, content = 'products', content_rowid = 'id', tokenize = 'trigram')
            """,
            """
            CREATE TRIGGER products_search_insert AFTER INSERT ON products BEGIN
                INSERT INTO product_search (rowid, name, barcode) VALUES (new.id, new.name, new.barcode);
            END
            """,
            """
            CREATE TRIGGER products_search_delete AFTER DELETE ON products BEGIN
                INSERT INTO product_search (product_search, rowid, name, barcode) VALUES ('delete', old.id, old.name, old.barcode);
            END
            """,
            """
            CREATE TRIGGER products_search_update AFTER UPDATE OF name, barcode ON products BEGIN
                INSERT INTO product_search (product_search, rowid, name, barcode) VALUES ('delete', old.id, old.name, old.barcode);
                INSERT INTO product_search (rowid, name, barcode) VALUES (new.id, new.name, new.barcode);
            END
            """,
            "INSERT INTO product_search (product_search) VALUES ('rebuild')",
        ],
        postgres: [
            """
            DO $$ BEGIN
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
            EXCEPTION WHEN OTHERS THEN
                RAISE NOTICE 'pg_trgm is not available (%): product search reads the table', SQLERRM;
            END $$
            """,
            """
            DO $$ BEGIN
                IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
                    CREATE INDEX products_name_trigrams ON products USING gin (LOWER(name) gin_trgm_ops);
                    CREATE INDEX products_barcode_trigrams ON products USING gin (LOWER(barcode) gin_trgm_ops);
                END IF;
            END $$
            """,
        ])
}

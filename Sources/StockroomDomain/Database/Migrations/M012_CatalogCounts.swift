extension Migration {
    /// A product list's `total` without counting the catalog on every page: each company's products and active
    /// products kept in a row of their own by triggers, so by the transaction that adds, disables or removes a
    /// product (an index count was 0.3–0.9 ms a page at 10,000 products and grew with the catalog). And the page's
    /// rows in name order from an index that holds `is_active` too, so skipping to a deep page reads the index alone.
    ///
    /// PostgreSQL counts in a deferred constraint trigger: the company's row is taken at COMMIT, after every other
    /// row the transaction locks, so two transactions can never wait for each other through it. The products table
    /// is locked against writes while the counts are taken and the trigger made.
    static let m012CatalogCounts = Migration(
        id: 12, name: "catalog counts",
        sqlite: [
            """
            CREATE TABLE company_product_counts (
                company_id BIGINT PRIMARY KEY REFERENCES companies(id),
                products BIGINT NOT NULL,
                active_products BIGINT NOT NULL
            ) WITHOUT ROWID
            """,
            """
            INSERT INTO company_product_counts (company_id, products, active_products)
            SELECT company_id, COUNT(*), SUM(CASE WHEN is_active THEN 1 ELSE 0 END) FROM products GROUP BY company_id
            """,
            """
            CREATE TRIGGER products_count_insert AFTER INSERT ON products BEGIN
                INSERT INTO company_product_counts (company_id, products, active_products)
                VALUES (new.company_id, 1, CASE WHEN new.is_active THEN 1 ELSE 0 END)
                ON CONFLICT (company_id) DO UPDATE SET products = products + 1, active_products = active_products + excluded.active_products;
            END
            """,
            """
            CREATE TRIGGER products_count_delete AFTER DELETE ON products BEGIN
                UPDATE company_product_counts
                SET products = products - 1, active_products = active_products - CASE WHEN old.is_active THEN 1 ELSE 0 END
                WHERE company_id = old.company_id;
            END
            """,
            """
            CREATE TRIGGER products_count_update AFTER UPDATE OF is_active, company_id ON products BEGIN
                UPDATE company_product_counts
                SET products = products - 1, active_products = active_products - CASE WHEN old.is_active THEN 1 ELSE 0 END
                WHERE company_id = old.company_id;
                INSERT INTO company_product_counts (company_id, products, active_products)
                VALUES (new.company_id, 1, CASE WHEN new.is_active THEN 1 ELSE 0 END)
                ON CONFLICT (company_id) DO UPDATE SET products = products + 1, active_products = active_products + excluded.active_products;
            END
            """,
            "CREATE INDEX products_company_active_lower_name ON products(company_id, is_active, (LOWER(name)), id)",
        ],
        postgres: [
            // Another node may be adding products while this runs (a rolling upgrade): none may commit between the
            // count below and the trigger that keeps it, or it would be counted by neither. (SQLite's migration
            // holds the write lock throughout.)
            "LOCK TABLE products IN SHARE ROW EXCLUSIVE MODE",
            """
            CREATE TABLE company_product_counts (
                company_id BIGINT PRIMARY KEY REFERENCES companies(id),
                products BIGINT NOT NULL,
                active_products BIGINT NOT NULL
            )
            """,
            """
            INSERT INTO company_product_counts (company_id, products, active_products)
            SELECT company_id, COUNT(*), SUM(CASE WHEN is_active THEN 1 ELSE 0 END) FROM products GROUP BY company_id
            """,
            """
            CREATE FUNCTION count_products() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    UPDATE company_product_counts
                    SET products = products - 1, active_products = active_products - CASE WHEN OLD.is_active THEN 1 ELSE 0 END
                    WHERE company_id = OLD.company_id;
                END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    INSERT INTO company_product_counts AS counts (company_id, products, active_products)
                    VALUES (NEW.company_id, 1, CASE WHEN NEW.is_active THEN 1 ELSE 0 END)
                    ON CONFLICT (company_id) DO UPDATE
                    SET products = counts.products + 1, active_products = counts.active_products + EXCLUDED.active_products;
                END IF;
                RETURN NULL;
            END $$
            """,
            """
            CREATE CONSTRAINT TRIGGER products_count AFTER INSERT OR DELETE OR UPDATE OF is_active, company_id ON products
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION count_products()
            """,
            "CREATE INDEX products_company_active_lower_name ON products(company_id, is_active, (LOWER(name)), id)",
        ])
}

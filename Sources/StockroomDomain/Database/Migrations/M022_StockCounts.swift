extension Migration {
    /// Stock counts: a store's shelves counted while it keeps selling. Each line keeps the stock the system showed
    /// at the moment the line was counted (`expected`), so posting corrects by what the shelf was short or over
    /// then (`count` movements, one per line that differs), whatever sold since. One open count per store.
    static let m022StockCounts = Migration(
        id: 22, name: "stock counts",
        statements: [
            """
            CREATE TABLE stock_counts (
                id {{id}},
                company_id BIGINT NOT NULL REFERENCES companies(id),
                store_id BIGINT NOT NULL REFERENCES stores(id),
                status TEXT NOT NULL CHECK (status IN ('open', 'posted', 'abandoned')),
                scope TEXT NOT NULL DEFAULT '',
                note TEXT NOT NULL DEFAULT '',
                created_by BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                closed_by BIGINT REFERENCES users(id),
                closed_at BIGINT
            )
            """,
            "CREATE INDEX stock_counts_company ON stock_counts(company_id, id)",
            "CREATE UNIQUE INDEX stock_counts_open ON stock_counts(store_id) WHERE status = 'open'",
            """
            CREATE TABLE stock_count_lines (
                count_id BIGINT NOT NULL REFERENCES stock_counts(id),
                product_id BIGINT NOT NULL REFERENCES products(id),
                expected BIGINT,
                counted BIGINT CHECK (counted >= 0),
                counted_at BIGINT,
                counted_by BIGINT REFERENCES users(id),
                posted_delta BIGINT,
                PRIMARY KEY (count_id, product_id)
            ){{keyed}}
            """,
        ])
}

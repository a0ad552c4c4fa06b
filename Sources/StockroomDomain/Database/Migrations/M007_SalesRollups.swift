extension Migration {
    /// Running totals of completed sales, kept in the sale's own transaction, so reports over a year read
    /// a fraction of the rows instead of every sale line. Buckets are hours and days on the business clock
    /// (`LocalClock`); `report_clock` remembers which zone they were cut in, and a start with another zone
    /// rebuilds them from the sales (`SalesRollup.prepare`).
    static let m007SalesRollups = Migration(
        id: 7, name: "sales rollups",
        statements: [
            """
            CREATE TABLE sales_hourly (
                store_id BIGINT NOT NULL REFERENCES stores(id),
                local_hour BIGINT NOT NULL,
                company_id BIGINT NOT NULL REFERENCES companies(id),
                sales BIGINT NOT NULL,
                revenue_cents BIGINT NOT NULL,
                tax_cents BIGINT NOT NULL,
                units BIGINT NOT NULL,
                cost_cents BIGINT NOT NULL,
                PRIMARY KEY (store_id, local_hour)
            ){{keyed}}
            """,
            "CREATE INDEX sales_hourly_company ON sales_hourly(company_id, local_hour, sales, revenue_cents, tax_cents, units, cost_cents)",
            """
            CREATE TABLE product_sales_daily (
                product_id BIGINT NOT NULL REFERENCES products(id),
                store_id BIGINT NOT NULL REFERENCES stores(id),
                local_day BIGINT NOT NULL,
                company_id BIGINT NOT NULL REFERENCES companies(id),
                units BIGINT NOT NULL,
                revenue_cents BIGINT NOT NULL,
                cost_cents BIGINT NOT NULL,
                PRIMARY KEY (product_id, store_id, local_day)
            ){{keyed}}
            """,
            "CREATE INDEX product_sales_daily_company ON product_sales_daily(company_id, local_day, product_id, units, revenue_cents, cost_cents)",
            "CREATE INDEX product_sales_daily_store ON product_sales_daily(store_id, local_day, product_id, units, revenue_cents, cost_cents)",
            // The same by 28-day block (local_day / 28): a year is 13 blocks, so a long period reads whole blocks and
            // only its ragged ends day by day.
            """
            CREATE TABLE product_sales_blocks (
                product_id BIGINT NOT NULL REFERENCES products(id),
                store_id BIGINT NOT NULL REFERENCES stores(id),
                block BIGINT NOT NULL,
                company_id BIGINT NOT NULL REFERENCES companies(id),
                units BIGINT NOT NULL,
                revenue_cents BIGINT NOT NULL,
                cost_cents BIGINT NOT NULL,
                PRIMARY KEY (product_id, store_id, block)
            ){{keyed}}
            """,
            "CREATE INDEX product_sales_blocks_company ON product_sales_blocks(company_id, block, product_id, units, revenue_cents, cost_cents)",
            "CREATE INDEX product_sales_blocks_store ON product_sales_blocks(store_id, block, product_id, units, revenue_cents, cost_cents)",
            "CREATE TABLE report_clock (id BIGINT PRIMARY KEY CHECK (id = 1), time_zone TEXT NOT NULL)",
        ])
}

extension Migration {
    /// Completed sales per seller, store and local day, kept in the sale's transaction like the other rollups
    /// (`SalesRollup`): the metrics' sellers table read every sale of the period, 2.2 s for a year of 400,000
    /// sales. The table starts empty and the report clock is forgotten, so the next start rebuilds every rollup
    /// from the sales in the configured time zone (which only the server knows) — this table included.
    static let m015VendorSalesDaily = Migration(
        id: 15, name: "vendor sales rollup",
        statements: [
            """
            CREATE TABLE vendor_sales_daily (
                vendor_id BIGINT NOT NULL REFERENCES users(id),
                store_id BIGINT NOT NULL REFERENCES stores(id),
                local_day BIGINT NOT NULL,
                company_id BIGINT NOT NULL REFERENCES companies(id),
                sales BIGINT NOT NULL,
                revenue_cents BIGINT NOT NULL,
                PRIMARY KEY (vendor_id, store_id, local_day)
            ){{keyed}}
            """,
            "CREATE INDEX vendor_sales_daily_company ON vendor_sales_daily(company_id, local_day, vendor_id, sales, revenue_cents)",
            "CREATE INDEX vendor_sales_daily_store ON vendor_sales_daily(store_id, local_day, vendor_id, sales, revenue_cents)",
            "DELETE FROM report_clock",
        ])
}

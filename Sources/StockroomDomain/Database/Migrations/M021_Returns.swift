extension Migration {
    /// Customer returns against a sale: what came back of each product, what was refunded for it (from the prices,
    /// discounts and tax the sale captured), whether it went back on the shelf (`return`) or was written off with a
    /// reason (`return` then `write_off`). A return keeps the revenue, tax, units and cost it takes out of the
    /// reports, so the report totals can be rebuilt from sales less returns.
    static let m021Returns = Migration(
        id: 21, name: "returns",
        statements: [
            """
            CREATE TABLE sale_returns (
                id {{id}},
                company_id BIGINT NOT NULL REFERENCES companies(id),
                store_id BIGINT NOT NULL REFERENCES stores(id),
                sale_id BIGINT NOT NULL REFERENCES sales(id),
                refund_cents BIGINT NOT NULL CHECK (refund_cents >= 0),
                tax_cents BIGINT NOT NULL CHECK (tax_cents >= 0),
                note TEXT NOT NULL DEFAULT '',
                created_by BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX sale_returns_sale ON sale_returns(sale_id, id)",
            "CREATE INDEX sale_returns_company ON sale_returns(company_id, created_at)",
            """
            CREATE TABLE sale_return_lines (
                return_id BIGINT NOT NULL REFERENCES sale_returns(id),
                product_id BIGINT NOT NULL REFERENCES products(id),
                quantity BIGINT NOT NULL CHECK (quantity > 0),
                refund_cents BIGINT NOT NULL CHECK (refund_cents >= 0),
                revenue_cents BIGINT NOT NULL CHECK (revenue_cents >= 0),
                cost_cents BIGINT NOT NULL CHECK (cost_cents >= 0),
                restocked BOOLEAN NOT NULL,
                reason TEXT,
                PRIMARY KEY (return_id, product_id)
            ){{keyed}}
            """,
        ])
}

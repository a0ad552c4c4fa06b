extension Migration {
    /// Each sale keeps the tax it was made with, so an edit recomputes with the same rate after the company's
    /// rate changes.
    static let m006SaleTax = Migration(
        id: 6, name: "sale tax",
        statements: [
            "ALTER TABLE sales ADD COLUMN tax_rate_basis_points BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE sales ADD COLUMN prices_include_tax BOOLEAN NOT NULL DEFAULT FALSE",
        ])
}

extension Migration {
    /// Transfers in two steps: dispatched from one store (a `transfer_out` movement each line: the units are in
    /// transit), received at the other in any number of deliveries (`transfer_in`), and what never arrives recorded
    /// as lost with a reason (`transfer_in` then `transfer_loss`, so the ledger shows it arriving in the books and
    /// written off). A line's units in transit are `quantity − received − lost`, which the ledger also says: minus
    /// the sum of the transfer's `transfer_out` and `transfer_in` movements of that product (`stockroom check`).
    /// The one-step transfer (Credith's `POST /api/store-inventory/transfer`) is a transfer dispatched and received
    /// in one transaction. Transfers made before this migration have no row here; their movements balance alone.
    static let m020TransfersInTransit = Migration(
        id: 20, name: "transfers in transit",
        statements: [
            """
            CREATE TABLE transfers (
                id {{id}},
                company_id BIGINT NOT NULL REFERENCES companies(id),
                from_store_id BIGINT NOT NULL REFERENCES stores(id),
                to_store_id BIGINT NOT NULL REFERENCES stores(id),
                reference TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('in_transit', 'partially_received', 'received')),
                note TEXT NOT NULL DEFAULT '',
                dispatched_by BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                received_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX transfers_reference ON transfers(reference)",
            "CREATE INDEX transfers_company ON transfers(company_id, id)",
            "CREATE INDEX transfers_destination ON transfers(to_store_id, status)",
            """
            CREATE TABLE transfer_lines (
                id {{id}},
                transfer_id BIGINT NOT NULL REFERENCES transfers(id),
                product_id BIGINT NOT NULL REFERENCES products(id),
                quantity BIGINT NOT NULL CHECK (quantity > 0),
                received BIGINT NOT NULL DEFAULT 0 CHECK (received >= 0),
                lost BIGINT NOT NULL DEFAULT 0 CHECK (lost >= 0),
                CHECK (received + lost <= quantity)
            )
            """,
            "CREATE UNIQUE INDEX transfer_lines_product ON transfer_lines(transfer_id, product_id)",
            // What is still on the road, by product: the moving average counts it among the units held.
            "CREATE INDEX transfer_lines_open ON transfer_lines(product_id) WHERE received + lost < quantity",
            """
            CREATE TABLE transfer_receipts (
                id {{id}},
                transfer_id BIGINT NOT NULL REFERENCES transfers(id),
                received_by BIGINT REFERENCES users(id),
                note TEXT NOT NULL DEFAULT '',
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX transfer_receipts_transfer ON transfer_receipts(transfer_id, id)",
            """
            CREATE TABLE transfer_receipt_lines (
                receipt_id BIGINT NOT NULL REFERENCES transfer_receipts(id),
                line_id BIGINT NOT NULL REFERENCES transfer_lines(id),
                product_id BIGINT NOT NULL REFERENCES products(id),
                received BIGINT NOT NULL CHECK (received >= 0),
                lost BIGINT NOT NULL CHECK (lost >= 0),
                reason TEXT,
                PRIMARY KEY (receipt_id, line_id)
            ){{keyed}}
            """,
        ])
}

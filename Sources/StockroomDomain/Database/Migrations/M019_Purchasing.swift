extension Migration {
    /// The kinds of movement the supply side writes (issue #25), all at once so later steps need no table rebuild:
    /// `receipt` (a purchase order's goods arriving), `return` (a customer bringing goods back), `write_off` (a
    /// returned unit not fit to sell), `count` (a stock count's correction) and `transfer_loss` (units dispatched that
    /// never arrived). SQLite cannot change a CHECK in place, so the ledger is copied into a table with the new rule.
    static let movementKinds = """
        'opening', 'sale', 'sale_edit', 'void', 'adjustment', 'transfer_out', 'transfer_in', 'import',
        'receipt', 'return', 'write_off', 'count', 'transfer_loss'
        """

    /// Suppliers, the products they supply, purchase orders with their receipts, and the product's moving-average
    /// cost: the value of the company's units at average cost in whole cents (`stock_value_cents`) and the units it
    /// covers (`valued_units`), with every change of a product's cost kept (`product_cost_changes`) so stock can be
    /// valued at any past date. Existing products start their cost history at their creation with today's cost.
    static let m019Purchasing = Migration(
        id: 19, name: "purchasing",
        sqlite: [
            """
            CREATE TABLE stock_movements_next (
                id {{id}},
                company_id BIGINT NOT NULL REFERENCES companies(id),
                store_id BIGINT NOT NULL REFERENCES stores(id),
                product_id BIGINT NOT NULL REFERENCES products(id),
                kind TEXT NOT NULL CHECK (kind IN (\(movementKinds))),
                delta BIGINT NOT NULL,
                stock_after BIGINT NOT NULL CHECK (stock_after >= 0),
                actor_id BIGINT REFERENCES users(id),
                reference TEXT,
                reason TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            """
            INSERT INTO stock_movements_next (id, company_id, store_id, product_id, kind, delta, stock_after, actor_id, reference, reason, created_at)
            SELECT id, company_id, store_id, product_id, kind, delta, stock_after, actor_id, reference, reason, created_at FROM stock_movements
            """,
            "DROP TABLE stock_movements",
            "ALTER TABLE stock_movements_next RENAME TO stock_movements",
            "CREATE INDEX stock_movements_level ON stock_movements(store_id, product_id, id)",
            "CREATE INDEX stock_movements_company ON stock_movements(company_id, created_at)",
            "CREATE INDEX stock_movements_product ON stock_movements(product_id, id)",
            "CREATE INDEX stock_movements_store_time ON stock_movements(store_id, created_at)",
        ] + purchasingTables,
        postgres: [
            "ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_kind_check",
            "ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_kind_check CHECK (kind IN (\(movementKinds)))",
        ] + purchasingTables)

    private static let purchasingTables = [
        """
        CREATE TABLE suppliers (
            id {{id}},
            company_id BIGINT NOT NULL REFERENCES companies(id),
            name TEXT NOT NULL,
            contact TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            tax_id TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            is_active BOOLEAN NOT NULL DEFAULT TRUE,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX suppliers_name ON suppliers(company_id, LOWER(name))",
        """
        CREATE TABLE product_suppliers (
            product_id BIGINT NOT NULL REFERENCES products(id),
            supplier_id BIGINT NOT NULL REFERENCES suppliers(id),
            supplier_code TEXT NOT NULL DEFAULT '',
            last_cost_cents BIGINT CHECK (last_cost_cents >= 0),
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (product_id, supplier_id)
        ){{keyed}}
        """,
        "CREATE INDEX product_suppliers_supplier ON product_suppliers(supplier_id, product_id)",
        """
        CREATE TABLE store_purchase_order_counters (
            store_id BIGINT PRIMARY KEY REFERENCES stores(id),
            last_number BIGINT NOT NULL
        ){{keyed}}
        """,
        """
        CREATE TABLE purchase_orders (
            id {{id}},
            company_id BIGINT NOT NULL REFERENCES companies(id),
            store_id BIGINT NOT NULL REFERENCES stores(id),
            supplier_id BIGINT NOT NULL REFERENCES suppliers(id),
            number BIGINT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'ordered', 'partially_received', 'received', 'cancelled')),
            notes TEXT NOT NULL DEFAULT '',
            created_by BIGINT REFERENCES users(id),
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            ordered_at BIGINT
        )
        """,
        "CREATE UNIQUE INDEX purchase_orders_number ON purchase_orders(store_id, number)",
        "CREATE INDEX purchase_orders_company ON purchase_orders(company_id, id)",
        "CREATE INDEX purchase_orders_supplier ON purchase_orders(supplier_id, id)",
        """
        CREATE TABLE purchase_order_lines (
            id {{id}},
            order_id BIGINT NOT NULL REFERENCES purchase_orders(id) ON DELETE CASCADE,
            product_id BIGINT NOT NULL REFERENCES products(id),
            quantity BIGINT NOT NULL CHECK (quantity > 0),
            unit_cost_cents BIGINT NOT NULL CHECK (unit_cost_cents >= 0),
            received BIGINT NOT NULL DEFAULT 0 CHECK (received >= 0),
            allow_over_receipt BOOLEAN NOT NULL DEFAULT FALSE,
            CHECK (allow_over_receipt OR received <= quantity)
        )
        """,
        "CREATE UNIQUE INDEX purchase_order_lines_product ON purchase_order_lines(order_id, product_id)",
        """
        CREATE TABLE purchase_receipts (
            id {{id}},
            order_id BIGINT NOT NULL REFERENCES purchase_orders(id),
            company_id BIGINT NOT NULL REFERENCES companies(id),
            store_id BIGINT NOT NULL REFERENCES stores(id),
            received_by BIGINT REFERENCES users(id),
            note TEXT NOT NULL DEFAULT '',
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX purchase_receipts_order ON purchase_receipts(order_id, id)",
        """
        CREATE TABLE purchase_receipt_lines (
            receipt_id BIGINT NOT NULL REFERENCES purchase_receipts(id),
            line_id BIGINT NOT NULL REFERENCES purchase_order_lines(id),
            product_id BIGINT NOT NULL REFERENCES products(id),
            quantity BIGINT NOT NULL CHECK (quantity > 0),
            unit_cost_cents BIGINT NOT NULL CHECK (unit_cost_cents >= 0),
            PRIMARY KEY (receipt_id, line_id)
        ){{keyed}}
        """,
        "ALTER TABLE products ADD COLUMN stock_value_cents BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE products ADD COLUMN valued_units BIGINT NOT NULL DEFAULT 0",
        """
        CREATE TABLE product_cost_changes (
            id {{id}},
            company_id BIGINT NOT NULL REFERENCES companies(id),
            product_id BIGINT NOT NULL REFERENCES products(id),
            cost_cents BIGINT NOT NULL CHECK (cost_cents >= 0),
            reason TEXT NOT NULL CHECK (reason IN ('opening', 'edit', 'receipt')),
            reference TEXT,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX product_cost_changes_product ON product_cost_changes(product_id, created_at, id)",
        """
        INSERT INTO product_cost_changes (company_id, product_id, cost_cents, reason, reference, created_at)
        SELECT company_id, id, cost_cents, 'opening', NULL, created_at FROM products
        """,
    ]
}

extension Migration {
    /// Companies, stores and people; the catalog and per-store stock with its ledger; sales; notifications;
    /// the audit log and idempotency keys. Later migrations add columns as the areas grow.
    static let m001CoreTables = Migration(
        id: 1, name: "core tables",
        statements: [
            """
            CREATE TABLE companies (
                id {{id}},
                name TEXT NOT NULL,
                is_active BOOLEAN NOT NULL DEFAULT TRUE,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE stores (
                id {{id}},
                company_id BIGINT NOT NULL REFERENCES companies(id),
                name TEXT NOT NULL,
                address TEXT,
                is_active BOOLEAN NOT NULL DEFAULT TRUE,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX stores_company ON stores(company_id)",
            """
            CREATE TABLE users (
                id {{id}},
                company_id BIGINT NOT NULL REFERENCES companies(id),
                store_id BIGINT NOT NULL REFERENCES stores(id),
                username TEXT NOT NULL,
                email TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'vendor')),
                status TEXT NOT NULL CHECK (status IN ('active', 'pending', 'rejected', 'disabled')),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                last_login_at BIGINT
            )
            """,
            // Usernames and emails sign people in without naming a company, so they are unique across all of them.
            "CREATE UNIQUE INDEX users_username ON users(LOWER(username))",
            "CREATE UNIQUE INDEX users_email ON users(LOWER(email))",
            "CREATE INDEX users_company ON users(company_id, store_id)",
            """
            CREATE TABLE sessions (
                id TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL,
                last_seen_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX sessions_user ON sessions(user_id)",
            """
            CREATE TABLE categories (
                id {{id}},
                company_id BIGINT NOT NULL REFERENCES companies(id),
                name TEXT NOT NULL,
                is_active BOOLEAN NOT NULL DEFAULT TRUE,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX categories_name ON categories(company_id, LOWER(name))",
            """
            CREATE TABLE products (
                id {{id}},
                company_id BIGINT NOT NULL REFERENCES companies(id),
                category_id BIGINT REFERENCES categories(id),
                barcode TEXT NOT NULL,
                name TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                price_cents BIGINT NOT NULL CHECK (price_cents >= 0),
                cost_cents BIGINT NOT NULL DEFAULT 0 CHECK (cost_cents >= 0),
                expiration_date TEXT,
                is_active BOOLEAN NOT NULL DEFAULT TRUE,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX products_barcode ON products(company_id, barcode)",
            "CREATE INDEX products_name ON products(company_id, name)",
            """
            CREATE TABLE stock_levels (
                store_id BIGINT NOT NULL REFERENCES stores(id),
                product_id BIGINT NOT NULL REFERENCES products(id),
                in_stock BIGINT NOT NULL CHECK (in_stock >= 0),
                min_stock BIGINT NOT NULL DEFAULT 0 CHECK (min_stock >= 0),
                is_active BOOLEAN NOT NULL DEFAULT TRUE,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (store_id, product_id)
            )
            """,
            "CREATE INDEX stock_levels_product ON stock_levels(product_id)",
            """
            CREATE TABLE stock_movements (
                id {{id}},
                company_id BIGINT NOT NULL REFERENCES companies(id),
                store_id BIGINT NOT NULL REFERENCES stores(id),
                product_id BIGINT NOT NULL REFERENCES products(id),
                kind TEXT NOT NULL CHECK (kind IN
                    ('opening', 'sale', 'sale_edit', 'void', 'adjustment', 'transfer_out', 'transfer_in', 'import')),
                delta BIGINT NOT NULL,
                stock_after BIGINT NOT NULL CHECK (stock_after >= 0),
                actor_id BIGINT REFERENCES users(id),
                reference TEXT,
                reason TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX stock_movements_level ON stock_movements(store_id, product_id, id)",
            "CREATE INDEX stock_movements_company ON stock_movements(company_id, created_at)",
            """
            CREATE TABLE sales (
                id {{id}},
                company_id BIGINT NOT NULL REFERENCES companies(id),
                store_id BIGINT NOT NULL REFERENCES stores(id),
                vendor_id BIGINT NOT NULL REFERENCES users(id),
                bill_number BIGINT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('completed', 'voided')),
                payment_method TEXT NOT NULL,
                customer TEXT,
                subtotal_cents BIGINT NOT NULL,
                discount_cents BIGINT NOT NULL DEFAULT 0,
                tax_cents BIGINT NOT NULL DEFAULT 0,
                total_cents BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX sales_bill_number ON sales(store_id, bill_number)",
            "CREATE INDEX sales_company_time ON sales(company_id, created_at)",
            "CREATE INDEX sales_store_time ON sales(store_id, created_at)",
            "CREATE INDEX sales_vendor_time ON sales(vendor_id, created_at)",
            """
            CREATE TABLE sale_lines (
                id {{id}},
                sale_id BIGINT NOT NULL REFERENCES sales(id) ON DELETE CASCADE,
                product_id BIGINT NOT NULL REFERENCES products(id),
                quantity BIGINT NOT NULL CHECK (quantity > 0),
                unit_price_cents BIGINT NOT NULL,
                unit_cost_cents BIGINT NOT NULL,
                discount_basis_points BIGINT NOT NULL DEFAULT 0,
                line_total_cents BIGINT NOT NULL
            )
            """,
            "CREATE INDEX sale_lines_sale ON sale_lines(sale_id)",
            "CREATE INDEX sale_lines_product ON sale_lines(product_id)",
            """
            CREATE TABLE notifications (
                id {{id}},
                company_id BIGINT NOT NULL REFERENCES companies(id),
                user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                title TEXT NOT NULL,
                message TEXT NOT NULL,
                type TEXT NOT NULL CHECK (type IN ('success', 'warning', 'error', 'info')),
                action_url TEXT,
                is_read BOOLEAN NOT NULL DEFAULT FALSE,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX notifications_user ON notifications(user_id, is_read, id)",
            """
            CREATE TABLE audit_log (
                id {{id}},
                company_id BIGINT REFERENCES companies(id),
                user_id BIGINT REFERENCES users(id),
                username TEXT,
                action TEXT NOT NULL,
                entity_type TEXT,
                entity_id TEXT,
                old_values TEXT,
                new_values TEXT,
                ip_address TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX audit_log_company ON audit_log(company_id, created_at)",
            "CREATE INDEX audit_log_user ON audit_log(user_id, created_at)",
            "CREATE INDEX audit_log_entity ON audit_log(entity_type, entity_id)",
            """
            CREATE TABLE idempotency_keys (
                user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                request_hash TEXT NOT NULL,
                status_code INTEGER NOT NULL,
                response_body TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (user_id, key)
            )
            """,
        ])
}

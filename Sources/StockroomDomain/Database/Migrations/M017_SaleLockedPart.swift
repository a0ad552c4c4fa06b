extension Migration {
    /// PostgreSQL: the part of a new sale that takes rows other sales wait for — the stock levels, the store's hour,
    /// the products' and the seller's totals, the bill counter — as one function, so it costs one round trip
    /// instead of about nine. A store's sales queue on those rows from the first one a sale locks to its COMMIT; a
    /// round trip under load is 0.2–0.4 ms, and that queue was what held PostgreSQL at 170 sales a second
    /// (BENCHMARKS.md, issue #18). The function takes the rows in the documented lock order (`SalesRollup`): stock
    /// levels by product, the hour, product rows by product, the seller's day, and the bill counter last (only new
    /// sales take it, so it cannot meet an edit or void in the other order).
    ///
    /// A level that cannot give what is asked (or does not exist) stops the function at that product: it answers
    /// the product with no stock figures and writes nothing more; the caller rolls the whole sale back. The sale's
    /// row was written before with a provisional bill number (its id, negated); the function gives it the real one.
    /// SQLite has nothing to add: its one writer runs a sale's statements without round trips.
    static let m017SaleLockedPart = Migration(
        id: 17, name: "sale locked part",
        sqlite: [],
        postgres: [
            """
            CREATE FUNCTION stockroom_sale_locked_part(
                p_company BIGINT, p_store BIGINT, p_sale BIGINT, p_actor BIGINT, p_now BIGINT,
                p_products BIGINT[], p_deltas BIGINT[],
                p_hour BIGINT, p_hour_totals BIGINT[],
                p_day BIGINT, p_block BIGINT, p_units BIGINT[], p_revenue BIGINT[], p_cost BIGINT[],
                p_vendor BIGINT, p_vendor_totals BIGINT[],
                p_username TEXT, p_ip TEXT, p_audit_values TEXT
            ) RETURNS TABLE (changed_product BIGINT, changed_stock BIGINT, changed_minimum BIGINT, bill BIGINT)
            LANGUAGE plpgsql AS $$
            DECLARE
                i INT;
                after_change BIGINT;
                minimum BIGINT;
            BEGIN
                -- p_products holds each product once, ascending; p_deltas, p_units, p_revenue and p_cost follow it.
                FOR i IN 1 .. coalesce(array_length(p_products, 1), 0) LOOP
                    UPDATE stock_levels AS level SET in_stock = level.in_stock + p_deltas[i], updated_at = p_now
                    WHERE level.store_id = p_store AND level.product_id = p_products[i] AND level.in_stock + p_deltas[i] >= 0
                    RETURNING level.in_stock, level.min_stock INTO after_change, minimum;
                    IF NOT FOUND THEN
                        changed_product := p_products[i]; changed_stock := NULL; changed_minimum := NULL; bill := NULL;
                        RETURN NEXT;
                        RETURN;
                    END IF;
                    INSERT INTO stock_movements (company_id, store_id, product_id, kind, delta, stock_after, actor_id, reference, reason, created_at)
                    VALUES (p_company, p_store, p_products[i], 'sale', p_deltas[i], after_change, p_actor, 'sale:' || p_sale, NULL, p_now);
                    changed_product := p_products[i]; changed_stock := after_change; changed_minimum := minimum; bill := NULL;
                    RETURN NEXT;
                END LOOP;
                INSERT INTO sales_hourly AS t (store_id, local_hour, company_id, sales, revenue_cents, tax_cents, units, cost_cents)
                VALUES (p_store, p_hour, p_company, p_hour_totals[1], p_hour_totals[2], p_hour_totals[3], p_hour_totals[4], p_hour_totals[5])
                ON CONFLICT (store_id, local_hour) DO UPDATE SET
                    sales = t.sales + excluded.sales, revenue_cents = t.revenue_cents + excluded.revenue_cents,
                    tax_cents = t.tax_cents + excluded.tax_cents, units = t.units + excluded.units, cost_cents = t.cost_cents + excluded.cost_cents;
                INSERT INTO product_sales_daily AS t (product_id, store_id, local_day, company_id, units, revenue_cents, cost_cents)
                SELECT r.product, p_store, p_day, p_company, r.units, r.revenue, r.cost
                FROM unnest(p_products, p_units, p_revenue, p_cost) WITH ORDINALITY AS r(product, units, revenue, cost, n) ORDER BY r.n
                ON CONFLICT (product_id, store_id, local_day) DO UPDATE SET
                    units = t.units + excluded.units, revenue_cents = t.revenue_cents + excluded.revenue_cents, cost_cents = t.cost_cents + excluded.cost_cents;
                INSERT INTO product_sales_blocks AS t (product_id, store_id, block, company_id, units, revenue_cents, cost_cents)
                SELECT r.product, p_store, p_block, p_company, r.units, r.revenue, r.cost
                FROM unnest(p_products, p_units, p_revenue, p_cost) WITH ORDINALITY AS r(product, units, revenue, cost, n) ORDER BY r.n
                ON CONFLICT (product_id, store_id, block) DO UPDATE SET
                    units = t.units + excluded.units, revenue_cents = t.revenue_cents + excluded.revenue_cents, cost_cents = t.cost_cents + excluded.cost_cents;
                INSERT INTO vendor_sales_daily AS t (vendor_id, store_id, local_day, company_id, sales, revenue_cents)
                VALUES (p_vendor, p_store, p_day, p_company, p_vendor_totals[1], p_vendor_totals[2])
                ON CONFLICT (vendor_id, store_id, local_day) DO UPDATE SET
                    sales = t.sales + excluded.sales, revenue_cents = t.revenue_cents + excluded.revenue_cents;
                INSERT INTO store_bill_counters AS t (store_id, last_number) VALUES (p_store, 1)
                ON CONFLICT (store_id) DO UPDATE SET last_number = t.last_number + 1
                RETURNING t.last_number INTO bill;
                UPDATE sales SET bill_number = bill WHERE id = p_sale;
                -- The sale's audit values were written with the provisional number (keys sorted, so it comes first).
                INSERT INTO audit_log (company_id, user_id, username, action, entity_type, entity_id, old_values, new_values, ip_address, created_at)
                VALUES (p_company, p_actor, p_username, 'sale_created', 'sale', p_sale::text, NULL,
                        replace(p_audit_values, '{"bill_number":' || (-p_sale)::text || ',', '{"bill_number":' || bill::text || ','), p_ip, p_now);
                changed_product := NULL; changed_stock := NULL; changed_minimum := NULL;
                RETURN NEXT;
            END
            $$
            """
        ])
}

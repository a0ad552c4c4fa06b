extension Migration {
    /// PostgreSQL: the locked part of migration 17 for a batch of new sales at once (`SaleBatches`). Migration 17's
    /// function stays, so that nodes of the version before keep selling while the nodes are upgraded one by one (the
    /// two take the shared rows in the same order). A store's sales
    /// all take its bill counter and its hour's totals, so one sale per transaction holds those rows from its first
    /// lock to its COMMIT, and a store cannot sell faster than one COMMIT after another: `pgbench`'s own transaction
    /// on one shared row does about 1,000 a second on the bench machine (BENCHMARKS.md, issue #18). Written together,
    /// the sales waiting on one node share those rows once and one COMMIT.
    ///
    /// The batch's sales and lines are written before the call under provisional bill numbers (each sale's id,
    /// negated). The function locks every stock level of the batch first, in the lock order (store, product), then
    /// takes each sale in turn: one that some level cannot give (or that names a product the store does not stock)
    /// is refused alone — its rows deleted, its first short product and that level's stock answered — and the others
    /// go on. Then the totals of the sales that stayed, one row change per hour, product, block and seller, in key
    /// order; the bill counters last, by store, numbering the store's sales in batch order with no gap; the audit
    /// records with their real numbers.
    ///
    /// Rows answered: a refused sale's one row (`out_refused`, product and stock); for each sale that stayed, one row
    /// per product (stock after and minimum), then one with its bill number.
    static let m018SaleBatches = Migration(
        id: 18, name: "sale batches",
        sqlite: [],
        postgres: [
            """
            CREATE FUNCTION stockroom_record_sales(
                p_now BIGINT,
                s_id BIGINT[], s_company BIGINT[], s_store BIGINT[], s_vendor BIGINT[], s_hour BIGINT[], s_day BIGINT[], s_block BIGINT[],
                s_revenue BIGINT[], s_tax BIGINT[], s_units BIGINT[], s_cost BIGINT[], s_username TEXT[], s_ip TEXT[], s_audit TEXT[],
                s_first INT[], s_last INT[], l_product BIGINT[], l_units BIGINT[], l_revenue BIGINT[], l_cost BIGINT[]
            ) RETURNS TABLE (out_sale BIGINT, out_product BIGINT, out_stock BIGINT, out_minimum BIGINT, out_bill BIGINT, out_refused BOOLEAN)
            LANGUAGE plpgsql AS $$
            DECLARE
                n INT := coalesce(array_length(s_id, 1), 0);
                i INT;
                kept BOOLEAN[];
                bills BIGINT[];
                short_product BIGINT;
                available BIGINT;
                wanted_rows INT;
                changed_rows INT;
                counter RECORD;
                next_bill BIGINT;
            BEGIN
                IF n = 0 THEN RETURN; END IF;
                kept := array_fill(true, ARRAY[n]);
                bills := array_fill(NULL::BIGINT, ARRAY[n]);
                -- s_* describe the sales (one element each; s_units and s_cost are the hour's units and cost); l_* hold
                -- each sale's products once, ascending, sale after sale: sale i's are l_*[s_first[i]:s_last[i]].
                PERFORM 1 FROM stock_levels AS level
                JOIN (SELECT DISTINCT s_store[si] AS store, unnest(l_product[s_first[si]:s_last[si]]) AS product
                      FROM generate_subscripts(s_id, 1) AS x(si)) AS wanted
                  ON level.store_id = wanted.store AND level.product_id = wanted.product
                ORDER BY level.store_id, level.product_id
                FOR UPDATE OF level;
                FOR i IN 1 .. n LOOP
                    SELECT w.product, coalesce(level.in_stock, 0) INTO short_product, available
                    FROM unnest(l_product[s_first[i]:s_last[i]], l_units[s_first[i]:s_last[i]]) AS w(product, units)
                    LEFT JOIN stock_levels AS level ON level.store_id = s_store[i] AND level.product_id = w.product
                    WHERE level.in_stock IS NULL OR level.in_stock < w.units
                    ORDER BY w.product LIMIT 1;
                    IF FOUND THEN
                        kept[i] := false;
                        DELETE FROM sale_lines WHERE sale_lines.sale_id = s_id[i];
                        DELETE FROM sales WHERE sales.id = s_id[i];
                        out_sale := s_id[i]; out_product := short_product; out_stock := available; out_minimum := NULL;
                        out_bill := NULL; out_refused := true;
                        RETURN NEXT;
                        CONTINUE;
                    END IF;
                    RETURN QUERY
                    WITH changed AS (
                        UPDATE stock_levels AS level SET in_stock = level.in_stock - w.units, updated_at = p_now
                        FROM unnest(l_product[s_first[i]:s_last[i]], l_units[s_first[i]:s_last[i]]) AS w(product, units)
                        WHERE level.store_id = s_store[i] AND level.product_id = w.product AND level.in_stock >= w.units
                        RETURNING level.product_id AS product, level.in_stock AS after, level.min_stock AS minimum, w.units AS units
                    ), moved AS (
                        INSERT INTO stock_movements (company_id, store_id, product_id, kind, delta, stock_after, actor_id, reference, reason, created_at)
                        SELECT s_company[i], s_store[i], c.product, 'sale', -c.units, c.after, s_vendor[i], 'sale:' || s_id[i], NULL, p_now
                        FROM changed AS c ORDER BY c.product
                    )
                    SELECT s_id[i], c.product, c.after, c.minimum, NULL::BIGINT, false FROM changed AS c ORDER BY c.product;
                    -- A level made after the first statement was checked unlocked: if another sale took from it since,
                    -- the guard above left it out, and the batch must not stand (it is written again sale by sale).
                    GET DIAGNOSTICS changed_rows = ROW_COUNT;
                    wanted_rows := s_last[i] - s_first[i] + 1;
                    IF changed_rows <> wanted_rows THEN
                        RAISE EXCEPTION 'stock of sale % changed while its batch was written', s_id[i] USING ERRCODE = '40001';
                    END IF;
                END LOOP;
                INSERT INTO sales_hourly AS t (store_id, local_hour, company_id, sales, revenue_cents, tax_cents, units, cost_cents)
                SELECT s_store[si], s_hour[si], min(s_company[si]), count(*), sum(s_revenue[si])::BIGINT, sum(s_tax[si])::BIGINT,
                       sum(s_units[si])::BIGINT, sum(s_cost[si])::BIGINT
                FROM generate_subscripts(s_id, 1) AS x(si) WHERE kept[si]
                GROUP BY 1, 2 ORDER BY 1, 2
                ON CONFLICT (store_id, local_hour) DO UPDATE SET
                    sales = t.sales + excluded.sales, revenue_cents = t.revenue_cents + excluded.revenue_cents,
                    tax_cents = t.tax_cents + excluded.tax_cents, units = t.units + excluded.units, cost_cents = t.cost_cents + excluded.cost_cents;
                \(productTotals(table: "product_sales_daily", bucket: "local_day", of: "s_day"))
                \(productTotals(table: "product_sales_blocks", bucket: "block", of: "s_block"))
                INSERT INTO vendor_sales_daily AS t (vendor_id, store_id, local_day, company_id, sales, revenue_cents)
                SELECT s_vendor[si], s_store[si], s_day[si], min(s_company[si]), count(*), sum(s_revenue[si])::BIGINT
                FROM generate_subscripts(s_id, 1) AS x(si) WHERE kept[si]
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                ON CONFLICT (vendor_id, store_id, local_day) DO UPDATE SET
                    sales = t.sales + excluded.sales, revenue_cents = t.revenue_cents + excluded.revenue_cents;
                FOR counter IN
                    SELECT s_store[si] AS store, count(*) AS sold FROM generate_subscripts(s_id, 1) AS x(si) WHERE kept[si] GROUP BY 1 ORDER BY 1
                LOOP
                    INSERT INTO store_bill_counters AS t (store_id, last_number) VALUES (counter.store, counter.sold)
                    ON CONFLICT (store_id) DO UPDATE SET last_number = t.last_number + excluded.last_number
                    RETURNING t.last_number - counter.sold INTO next_bill;
                    FOR i IN 1 .. n LOOP
                        IF kept[i] AND s_store[i] = counter.store THEN
                            next_bill := next_bill + 1;
                            bills[i] := next_bill;
                        END IF;
                    END LOOP;
                END LOOP;
                UPDATE sales SET bill_number = bills[si] FROM generate_subscripts(s_id, 1) AS x(si) WHERE kept[si] AND sales.id = s_id[si];
                -- Each sale's audit values were written with its provisional number (keys sorted, so it comes first).
                INSERT INTO audit_log (company_id, user_id, username, action, entity_type, entity_id, old_values, new_values, ip_address, created_at)
                SELECT s_company[si], s_vendor[si], NULLIF(s_username[si], ''), 'sale_created', 'sale', s_id[si]::text, NULL,
                       replace(s_audit[si], '{"bill_number":' || (-s_id[si])::text || ',', '{"bill_number":' || bills[si]::text || ','),
                       NULLIF(s_ip[si], ''), p_now
                FROM generate_subscripts(s_id, 1) AS x(si) WHERE kept[si] ORDER BY si;
                RETURN QUERY
                SELECT s_id[si], NULL::BIGINT, NULL::BIGINT, NULL::BIGINT, bills[si], false FROM generate_subscripts(s_id, 1) AS x(si) WHERE kept[si];
            END
            $$
            """
        ])

    /// The batch's sales that stayed, added to a product totals table: one row change per product, store and
    /// `bucket` (the sale's `of`), in key order.
    private static func productTotals(table: String, bucket: String, of sales: String) -> String {
        """
        INSERT INTO \(table) AS t (product_id, store_id, \(bucket), company_id, units, revenue_cents, cost_cents)
                        SELECT w.product, s_store[si], \(sales)[si], min(s_company[si]), sum(w.units)::BIGINT, sum(w.revenue)::BIGINT, sum(w.cost)::BIGINT
                        FROM generate_subscripts(s_id, 1) AS x(si),
                             unnest(l_product[s_first[si]:s_last[si]], l_units[s_first[si]:s_last[si]], l_revenue[s_first[si]:s_last[si]],
                                    l_cost[s_first[si]:s_last[si]]) AS w(product, units, revenue, cost)
                        WHERE kept[si]
                        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                        ON CONFLICT (product_id, store_id, \(bucket)) DO UPDATE SET
                            units = t.units + excluded.units, revenue_cents = t.revenue_cents + excluded.revenue_cents, cost_cents = t.cost_cents + excluded.cost_cents;
        """
    }
}

-- THE price rule of a pay by items, in one place: each line priced from `price` at the prices of the moment
-- (name, quantity, unitPrice, billing, subtotal = unitPrice × quantity), in order, and their total. Answers
-- {items: [line…], total} (what the bill keeps as its priceInfo, and the `entitlement` view lists), or, refused and
-- not stored, INVALID_ARGUMENT naming the first unknown item (`input.items[1].name`) or a total past 2^53-1 cents.
-- Each line is looked up by the price table's key (an index probe, whatever the table's size). The total is
-- numeric: past 2^53-1 it is refused, not overflowed. The lines are gathered as rows (price_line, migration
-- PriceLinesTyped) and turned into JSON once, with the total: a jsonb built around another copies it whole, and a
-- line built as jsonb and appended was copied at every line after it.
CREATE OR REPLACE FUNCTION ledger_price_items(items jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  v_item jsonb;
  pr price;
  v_quantity bigint;
  v_subtotal numeric;
  v_lines price_line[] := '{}';
  v_total numeric := 0;
BEGIN
  FOR i IN 0 .. jsonb_array_length(items) - 1 LOOP
    v_item := items->i;
    SELECT * INTO pr FROM price WHERE name = v_item->>'name';
    IF NOT FOUND THEN
      RETURN ledger_rejection('INVALID_ARGUMENT',
        format('input.items[%s].name: unknown item "%s"', i, v_item->>'name'), format('input.items[%s].name', i));
    END IF;
    v_quantity := (v_item->>'quantity')::bigint;
    v_subtotal := pr.price::numeric * v_quantity;
    v_lines := v_lines || ROW(pr.name, v_quantity, pr.price, pr.billing, v_subtotal)::price_line;
    v_total := v_total + v_subtotal;
  END LOOP;
  IF v_total > 9007199254740991 THEN
    RETURN ledger_rejection('INVALID_ARGUMENT', 'input.items: the total exceeds 2^53-1 cents', 'input.items');
  END IF;
  RETURN to_jsonb(ROW(v_lines, v_total)::priced_items);
END
$fn$;

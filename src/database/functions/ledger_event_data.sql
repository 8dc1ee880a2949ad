-- An event's data as readers get it (the feed, subscriptions, webhooks). A BILL_RECORDED event written since
-- migration BillsWrittenOnce keeps {account} and names its bill's row (ledger_event.bill_row); its data is
-- {bill, account}, the bill rendered from the bill table by ledger_bill_json (a bill row never changes once
-- written). Older events kept the bill in their data and are read as they are.
CREATE OR REPLACE FUNCTION ledger_event_data(e ledger_event) RETURNS jsonb
LANGUAGE sql STABLE AS $fn$
  SELECT CASE WHEN e.bill_row IS NULL THEN e.data
         ELSE e.data || jsonb_build_object(
                'bill', (SELECT ledger_bill_json(b) FROM bill b WHERE b.app_id = e.app_id AND b.id = e.bill_row)) END
$fn$;

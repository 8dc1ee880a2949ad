import { createLedgerClient } from './client';
import { Ledger } from './ledger';
import { newOrderNo, serialOrderNos } from './order-no';
import type { RetryOptions } from './retry';

/**
 * A first session with the kit: open an account, recharge it, pay twice,
 * roll a pay back, and page through the bills. test/client-example.spec.ts
 * runs it against the real service (through a connection that drops the
 * answer of a pay, so the retry is exercised too). Run it yourself against
 * `npm start` with: LEDGER_URL=http://localhost:3000/graphql LEDGER_API_KEY=<admin key>
 * npm run example:client
 */
export async function runDemo(o: { url: string; apiKey: string; appId: number; retry?: RetryOptions }) {
  const ledger = new Ledger(createLedgerClient({ url: o.url, apiKey: o.apiKey }), o.retry);
  const { appId } = o;

  const opened = await ledger.openAccount(appId);
  // The recharge's orderNo comes from the ledger's serials; the pays' from UUIDs.
  const [rechargeNo] = await serialOrderNos(ledger.client, 1, 'recharge-');
  const recharge = await ledger.recharge({ orderNo: rechargeNo, appId, amount: 10_000, info: 'demo top-up' });

  const firstPayNo = newOrderNo();
  const firstPay = await ledger.pay({ orderNo: firstPayNo, appId, amount: 1_500, info: 'first pay' });
  const secondPay = await ledger.pay({ orderNo: newOrderNo(), appId, amount: 700, info: 'second pay' });
  const rollback = await ledger.rollback({ orderNo: newOrderNo(), appId, payOrderNo: firstPayNo, reason: 'refund' });

  // A retry of the first pay long after: the ledger answers the stored first answer (a snapshot),
  // and the cache keeps the newer account (type-policies.ts).
  const replay = await ledger.pay({ orderNo: firstPayNo, appId, amount: 1_500, info: 'first pay' });
  const cached = ledger.cachedAccount(appId);

  const pages = [];
  for await (const page of ledger.bills(appId, 2)) pages.push(page);
  const account = await ledger.account(appId);
  return { opened, recharge, firstPay, secondPay, rollback, replay, cached, pages, account };
}

if (require.main === module) {
  const url = process.env.LEDGER_URL ?? 'http://localhost:3000/graphql';
  const apiKey = process.env.LEDGER_API_KEY;
  if (!apiKey) {
    console.error('Set LEDGER_API_KEY to an API key (npm start prints the admin key).');
    process.exit(2);
  }
  const appId = Number(process.env.LEDGER_APP_ID ?? 1);
  runDemo({
    url,
    apiKey,
    appId,
    retry: {
      onRetry: (e, n, ms) => console.log(`retry ${n} in ${ms} ms: ${e instanceof Error ? e.message : String(e)}`),
    },
  }).then(
    (r) => {
      const line = (what: string, m: { replayed: boolean; bill: { amount: number }; account: { balance: number } }) =>
        console.log(`${what}: ${m.bill.amount} cents, balance ${m.account.balance}${m.replayed ? ' (replayed)' : ''}`);
      line('recharge', r.recharge);
      line('pay', r.firstPay);
      line('pay', r.secondPay);
      line('rollback of the first pay', r.rollback);
      line('late retry of the first pay', r.replay);
      console.log(`cached account: balance ${r.cached?.balance}, version ${r.cached?.version}`);
      console.log(`bills, newest first, pages of 2: ${JSON.stringify(r.pages.map((p) => p.map((b) => b.channel)))}`);
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}

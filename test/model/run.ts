import { Pool } from 'pg';
import { ledgerBreaks } from '../support/ledger';
import { PrivatePostgres } from '../support/private-postgres';
import { Cluster, Sent } from './cluster';
import '../support/database'; // bigint columns read as numbers
import { APPS, Bad, Fault, ITEMS, Money, Step } from './commands';
import * as D from './documents';
import { Answer, ERRORS, judgeOrder, Order, Violation } from './judge';
import { emptyModel, EPS, leased, Model, orderKey } from './model';

export interface RunResult {
  ok: boolean;
  /** Index of the step whose answer broke the model (steps.length: the final checks). */
  failedAt?: number;
  message?: string;
  faults?: Cluster['faults'];
  ms: number;
}

const j = (v: unknown) => JSON.stringify(v);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function expect(cond: unknown, msg: () => string): asserts cond {
  if (!cond) throw new Violation(msg());
}

function expectError(a: Answer, code: string, field?: string): void {
  const e = a.error?.extensions;
  expect(
    e && e.code === code && e.retCode === (ERRORS[code]?.retCode ?? e.retCode) && (!field || e.field === field),
    () => `expected ${code}${field ? ` on ${field}` : ''}, got ${j(a)}`,
  );
}

/** Resolves a step's command against the model: the orderNo, input, and what its references name. */
export function resolve(m: Model, c: Money, orderNo: string): Order | null {
  const pick = <T>(xs: T[], ref: number): T | undefined => (xs.length ? xs[ref % xs.length] : undefined);
  switch (c.op) {
    case 'recharge':
      return { op: 'recharge', app: c.app, orderNo, input: { orderNo, appId: c.app, amount: c.amount } };
    case 'pay': {
      const input: Record<string, unknown> = { orderNo, appId: c.app };
      if (c.items) input.items = c.items;
      else input.amount = c.amount;
      let couponId: string | null = null;
      if (c.couponRef !== undefined) {
        const own = m.coupons.filter((x) => x.app === c.app);
        const coupon = c.couponRef % 4 === 0 ? pick(m.coupons, c.couponRef) : pick(own, c.couponRef);
        couponId = coupon?.id ?? (c.couponRef % 8 === 1 ? '999999999' : null);
      }
      if (couponId) input.couponId = couponId;
      return { op: 'pay', app: c.app, orderNo, input, couponId };
    }
    case 'rollback': {
      const pay = c.unknown
        ? undefined
        : pick(
            m.pays.filter((p) => p.app === c.app),
            c.payRef,
          );
      const payOrderNo = pay?.orderNo ?? `nopay-${c.payRef}`;
      return { op: 'rollback', app: c.app, orderNo, input: { orderNo, appId: c.app, payOrderNo }, payOrderNo };
    }
    case 'hold':
      return {
        op: 'hold',
        app: c.app,
        orderNo,
        input: { orderNo, appId: c.app, amount: c.amount, ttlSeconds: c.ttl },
      };
    case 'capture':
    case 'release': {
      const open = m.holds.filter((h) => h.status === 'OPEN');
      const hold = c.holdRef % 10 < 7 && open.length ? pick(open, c.holdRef) : pick(m.holds, c.holdRef);
      const wrong = c.op === 'capture' && c.wrongApp && c.holdRef % 4 === 0;
      const app = hold ? (wrong ? APPS[(APPS.indexOf(hold.app) + 1) % APPS.length] : hold.app) : APPS[c.holdRef % 3];
      const input: Record<string, unknown> = { orderNo, appId: app, holdId: hold?.id ?? '999999999' };
      if (c.op === 'capture' && c.fraction !== undefined && hold) {
        input.amount = Math.max(1, Math.floor(hold.amount * c.fraction));
      }
      return { op: c.op === 'capture' ? 'captureHold' : 'releaseHold', app, orderNo, input, hold: hold ?? null };
    }
    case 'issueCoupon': {
      const t = pick(m.templates, c.templateRef);
      const templateCode = t?.code ?? 'no-such-template';
      return { op: 'issueCoupon', app: c.app, orderNo, input: { orderNo, appId: c.app, templateCode }, templateCode };
    }
    case 'repeat': {
      const key = pick(m.orderKeys, c.orderRef);
      if (!key) return null;
      const prior = m.orders[key];
      const input = { ...prior.input };
      if (c.changed) {
        if (prior.op === 'releaseHold') input.holdId = '999999998';
        else if (prior.op === 'issueCoupon') input.templateCode = 'changed';
        else if (prior.op === 'rollback') input.reason = 'changed';
        else if (prior.op === 'captureHold') input.amount = ((input.amount as number | undefined) ?? 0) + 1;
        else input.info = 'changed';
      }
      return { op: prior.op as Order['op'], app: prior.app, orderNo: prior.orderNo, input };
    }
  }
}

const BAD: Record<
  Bad,
  (app: number, orderNo: string) => { doc: string; vars: Record<string, unknown>; field?: string }
> = {
  'recharge-zero': (a, o) => ({
    doc: D.ORDER_DOCS.recharge,
    vars: { input: { orderNo: o, appId: a, amount: 0 } },
    field: 'input.amount',
  }),
  'pay-negative': (a, o) => ({
    doc: D.ORDER_DOCS.pay,
    vars: { input: { orderNo: o, appId: a, amount: -5 } },
    field: 'input.amount',
  }),
  'pay-fraction': (a, o) => ({ doc: D.ORDER_DOCS.pay, vars: { input: { orderNo: o, appId: a, amount: 1.5 } } }),
  'pay-over-2^53': (a, o) => ({ doc: D.ORDER_DOCS.pay, vars: { input: { orderNo: o, appId: a, amount: 2 ** 53 } } }),
  'pay-both': (a, o) => ({
    doc: D.ORDER_DOCS.pay,
    vars: { input: { orderNo: o, appId: a, amount: 5, items: [{ name: ITEMS[0], quantity: 1 }] } },
    field: 'input.items',
  }),
  'pay-neither': (a, o) => ({ doc: D.ORDER_DOCS.pay, vars: { input: { orderNo: o, appId: a } }, field: 'input.items' }),
  'pay-quantity': (a, o) => ({
    doc: D.ORDER_DOCS.pay,
    vars: { input: { orderNo: o, appId: a, items: [{ name: ITEMS[0], quantity: 0 }] } },
    field: 'input.items[0].quantity',
  }),
  'order-chars': (a) => ({
    doc: D.ORDER_DOCS.recharge,
    vars: { input: { orderNo: 'bad order!', appId: a, amount: 5 } },
    field: 'input.orderNo',
  }),
  'order-long': (a) => ({
    doc: D.ORDER_DOCS.pay,
    vars: { input: { orderNo: 'x'.repeat(65), appId: a, amount: 5 } },
    field: 'input.orderNo',
  }),
  'order-empty': (a) => ({
    doc: D.ORDER_DOCS.hold,
    vars: { input: { orderNo: '', appId: a, amount: 5, ttlSeconds: 60 } },
    field: 'input.orderNo',
  }),
  'hold-ttl-zero': (a, o) => ({
    doc: D.ORDER_DOCS.hold,
    vars: { input: { orderNo: o, appId: a, amount: 5, ttlSeconds: 0 } },
    field: 'input.ttlSeconds',
  }),
  'hold-ttl-long': (a, o) => ({
    doc: D.ORDER_DOCS.hold,
    vars: { input: { orderNo: o, appId: a, amount: 5, ttlSeconds: 604_801 } },
    field: 'input.ttlSeconds',
  }),
  'price-negative': () => ({ doc: D.SET_PRICE, vars: { input: { name: ITEMS[1], price: -1 } }, field: 'input.price' }),
  'freeze-empty': (a) => ({ doc: D.FREEZE, vars: { a, r: '' }, field: 'reason' }),
  'freeze-nul': (a) => ({ doc: D.FREEZE, vars: { a, r: 'a\u0000b' }, field: 'reason' }),
  'lock-ttl': (a) => ({ doc: D.ACQUIRE, vars: { a, o: 'bad', t: 0 }, field: 'ttlSeconds' }),
  'capture-over': (a, o) => ({
    doc: D.ORDER_DOCS.captureHold,
    vars: { input: { orderNo: o, appId: a, holdId: '1', amount: 0 } },
    field: 'input.amount',
  }),
  'month-bad': () => ({ doc: D.SETTLE, vars: { m: '2026-13' }, field: 'month' }),
};

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

interface Judged {
  order: Order;
  sends: Sent[];
}

/** Judges one order's answers (several when it was sent to both instances) in place. */
function judgeGroup(m: Model, g: Judged): void {
  const stored = (s: Sent) => !s.answer.error || ERRORS[s.answer.error.extensions.code]?.stored;
  const first = (s: Sent) => (s.answer.data?.[g.order.op]?.replayed || s.answer.error?.extensions.replayed ? 1 : 0);
  // Answers that were not stored changed nothing: judge them first; then the one that ran, then its replays.
  const sends = [...g.sends].sort((a, b) => Number(stored(a)) - Number(stored(b)) || first(a) - first(b));
  const dup = g.sends.length > 1;
  for (const s of sends) judgeOrder(m, g.order, s.answer, s.w, s.flex || dup);
}

export class ModelRun {
  m: Model = emptyModel();
  step = 0;

  constructor(
    private readonly c: Cluster,
    private readonly pool: Pool,
  ) {}

  private async gql(via: number, doc: string, vars: Record<string, unknown>): Promise<Sent> {
    return this.c.definite(via, doc, vars);
  }

  async runStep(s: Step, i: number): Promise<void> {
    this.step = i;
    const m = this.m;
    switch (s.kind) {
      case 'money': {
        const o = resolve(m, s.cmd, `s${i}`);
        if (!o) return;
        const sent = await this.c.definite(s.via, D.ORDER_DOCS[o.op], { input: o.input }, s.drop);
        return judgeOrder(m, o, sent.answer, sent.w, sent.flex);
      }
      case 'burst':
        return this.burst(s.cmds, s.both, i, s.fault);
      case 'open': {
        const { answer } = await this.gql(s.via, D.OPEN, { a: s.app });
        const acc = answer.data?.openAccount;
        m.accounts[s.app] ??= { balance: 0, frozen: false };
        const want = m.accounts[s.app];
        expect(
          acc && acc.balance === want.balance && acc.frozen === want.frozen,
          () => `openAccount ${j(answer)} vs ${j(want)}`,
        );
        return;
      }
      case 'freeze': {
        const { answer } = await this.gql(s.via, s.frozen ? D.FREEZE : D.UNFREEZE, { a: s.app, r: `reason ${i}` });
        const acct = m.accounts[s.app];
        if (!acct) return expectError(answer, 'NOT_FOUND');
        const acc = answer.data?.[s.frozen ? 'freezeAccount' : 'unfreezeAccount'];
        expect(
          acc && acc.frozen === s.frozen && acc.balance === acct.balance,
          () => `freeze ${j(answer)} vs ${j(acct)}`,
        );
        acct.frozen = s.frozen;
        return;
      }
      case 'setPrice': {
        const billing = s.monthly ? 'MONTHLY' : 'ONE_TIME';
        const input = { name: ITEMS[s.item], price: s.price, billing };
        const { answer } = await this.gql(s.via, D.SET_PRICE, { input });
        expect(
          j(answer.data?.setPrice) === j({ name: input.name, price: s.price, billing }),
          () => `setPrice ${j(answer)}`,
        );
        m.prices[input.name] = { price: s.price, billing };
        return;
      }
      case 'template': {
        const code = `T${s.code}`;
        const input = {
          code,
          name: `template ${code}`,
          discount: s.discount,
          minSpend: s.minSpend,
          stock: s.stock,
          perAppLimit: s.perApp,
          validDays: 30,
        };
        const { answer } = await this.gql(0, D.TEMPLATE, { input });
        if (m.templates.some((t) => t.code === code)) return expectError(answer, 'INVALID_ARGUMENT', 'input.code');
        const t = answer.data?.createCouponTemplate;
        expect(
          t && t.code === code && t.issued === 0 && t.discount === s.discount && t.stock === s.stock,
          () => `template ${j(answer)}`,
        );
        m.templates.push({
          code,
          discount: s.discount,
          minSpend: s.minSpend,
          stock: s.stock,
          perApp: s.perApp,
          issued: 0,
        });
        return;
      }
      case 'acquire': {
        const sent = await this.gql(s.via, D.ACQUIRE, { a: s.app, o: `owner-${i}`, t: s.ttl });
        const l = leased(m, s.app, sent.w);
        const got = sent.answer.data?.acquireAppLock;
        if (l === 'yes' || (l === 'maybe' && !got)) return expectError(sent.answer, 'ACCOUNT_LOCKED');
        const token = (m.leases[s.app]?.token ?? 0) + 1;
        const expiresAt = Date.parse(got?.expiresAt);
        expect(
          got &&
            got.locked &&
            got.owner === `owner-${i}` &&
            got.token === token &&
            expiresAt >= sent.w.sent + s.ttl * 1000 - EPS &&
            expiresAt <= sent.w.recv + s.ttl * 1000 + EPS,
          () => `acquireAppLock ${j(sent.answer)}: expected token ${token}`,
        );
        m.leases[s.app] = { token, expiresAt };
        return;
      }
      case 'releaseLock': {
        const lease = m.leases[s.app];
        const latest = lease?.token ?? 0;
        const token = !lease ? 1 : s.stale ? (latest > 1 ? latest - 1 : latest + 1000) : latest;
        const { answer } = await this.gql(s.via, D.RELEASE_LOCK, { a: s.app, t: token });
        if (!lease || token !== latest) return expectError(answer, 'ACCOUNT_LOCKED');
        const got = answer.data?.releaseAppLock;
        expect(got && !got.locked && got.token === latest && got.owner === null, () => `releaseAppLock ${j(answer)}`);
        lease.expiresAt = null;
        return;
      }
      case 'settle': {
        if (s.which === 'current') {
          const month = new Date().toISOString().slice(0, 7);
          return expectError((await this.gql(0, D.SETTLE, { m: month })).answer, 'INVALID_ARGUMENT', 'month');
        }
        // Every account of the run was opened after this month: nothing to settle (SPEC §5).
        const { answer } = await this.gql(0, D.SETTLE, { m: '2025-01' });
        const want = {
          month: '2025-01',
          accounts: 0,
          settled: 0,
          alreadySettled: 0,
          locked: 0,
          charged: 0,
          totalCharged: 0,
          frozen: 0,
        };
        expect(j(answer.data?.settleMonth) === j(want), () => `settleMonth ${j(answer)}`);
        return;
      }
      case 'bad': {
        const b = BAD[s.bad](s.app, `s${i}`);
        return expectError(await this.c.once(s.via, b.doc, b.vars), 'INVALID_ARGUMENT', b.field);
      }
      case 'waitHolds':
        return this.resolveHolds(true);
    }
  }

  /** Orders sent at once; the answers must be those of some serial order of them (SPEC: each applied once). */
  private async burst(cmds: Money[], both: boolean, i: number, fault?: Fault): Promise<void> {
    const orders: Order[] = [];
    for (const [k, c] of cmds.entries()) {
      const o = resolve(this.m, c, `s${i}-${k}`);
      // Two commands of a burst repeating one order are one group.
      if (o && !orders.some((x) => x.app === o.app && x.orderNo === o.orderNo)) orders.push(o);
    }
    const sends = orders.map((o, k) =>
      Promise.all((both ? [0, 1] : [k % 2]).map((via) => this.c.definite(via, D.ORDER_DOCS[o.op], { input: o.input }))),
    );
    let faulted: Promise<void> = Promise.resolve();
    if (fault) {
      faulted = sleep(fault.afterMs).then(() =>
        fault.what === 'kill' ? this.c.kill(fault.instance) : this.c.crashPostgres(),
      );
    }
    const answers = await Promise.all(sends);
    await faulted; // a killed instance restarts in the background; requests go to the other meanwhile
    const groups: Judged[] = orders.map((order, k) => ({ order, sends: answers[k] }));
    let firstError: unknown;
    const perms = groups.length <= 5 ? permutations(groups) : [groups];
    for (const perm of perms) {
      const trial = structuredClone(this.m);
      try {
        for (const g of perm) judgeGroup(trial, { ...g, order: rehome(trial, g.order) });
        this.m = trial;
        return;
      } catch (err) {
        if (!(err instanceof Violation)) throw err;
        firstError ??= err;
      }
    }
    throw new Violation(
      `no serial order of the burst explains its answers (${perms.length} tried); in the order sent: ${(firstError as Error).message}\n` +
        groups
          .map((g) => `  ${g.order.op} ${j(g.order.input)} -> ${g.sends.map((s) => j(s.answer)).join(' | ')}`)
          .join('\n'),
    );
  }

  /**
   * Holds past their deadline end by the job: learn how (by reading the hold
   * through the API) so that the model stays exact. `all`: wait until every
   * such hold of an unleased app has ended.
   */
  async resolveHolds(all = false): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const now = Date.now();
      const unleased = (h: { app: number }) => leased(this.m, h.app, { sent: now, recv: now }) === 'no';
      const due = this.m.holds.filter((h) => h.status === 'OPEN' && h.expiresAt < now - 250 && unleased(h));
      // `all`: short holds not yet due are waited for too (their deadline is seconds away).
      const soon = this.m.holds.filter((h) => h.status === 'OPEN' && h.expiresAt < now + 10_000 && unleased(h));
      if (!due.length && (!all || !soon.length)) return;
      let pending = 0;
      for (const h of due.slice(0, all ? due.length : 3)) {
        const { answer } = await this.gql(0, D.HOLD_STATUS, { a: h.app, id: h.id });
        const status = answer.data?.hold?.status;
        expect(
          status === 'OPEN' || status === 'EXPIRED',
          () => `hold ${h.id} past its deadline is ${j(answer)}, expected EXPIRED`,
        );
        if (status === 'EXPIRED') h.status = 'EXPIRED';
        else pending++;
      }
      if (!all || (!pending && due.length === soon.length)) return;
      expect(
        Date.now() < deadline,
        () => `${pending + soon.length - due.length} holds still OPEN 30 s after their deadline`,
      );
      await sleep(100);
    }
  }

  /** The end of a run: leases released, due holds expired, then the database against the model. */
  async finalChecks(): Promise<void> {
    const m = this.m;
    for (const [app, lease] of Object.entries(m.leases)) {
      if (lease.expiresAt === null) continue;
      const { answer } = await this.gql(0, D.RELEASE_LOCK, { a: Number(app), t: lease.token });
      expect(answer.data?.releaseAppLock?.locked === false, () => `final releaseAppLock ${j(answer)}`);
      lease.expiresAt = null;
    }
    await this.resolveHolds(true);
    // Every stored order replays its first answer, after every fault of the run (a sample, to bound the time).
    for (const key of m.orderKeys.filter((_, k) => k % Math.max(1, Math.floor(m.orderKeys.length / 60)) === 0)) {
      const o = m.orders[key];
      const sent = await this.c.definite(m.orderKeys.indexOf(key) % 2, D.ORDER_DOCS[o.op], { input: o.input });
      judgeOrder(
        m,
        { op: o.op as Order['op'], app: o.app, orderNo: o.orderNo, input: o.input },
        sent.answer,
        sent.w,
        false,
      );
    }

    const accounts = await this.pool.query('SELECT app_id, balance, held, frozen FROM account ORDER BY app_id');
    const want = Object.entries(m.accounts).map(([app, a]) => ({
      app_id: Number(app),
      balance: a.balance,
      held: m.holds.filter((h) => h.app === Number(app) && h.status === 'OPEN').reduce((s, h) => s + h.amount, 0),
      frozen: a.frozen,
    }));
    expect(j(accounts.rows) === j(want), () => `accounts ${j(accounts.rows)}\n  model ${j(want)}`);

    const holds = await this.pool.query(
      'SELECT h.id::text AS id, app_id, amount, status, captured FROM hold h ORDER BY h.id',
    );
    const wantHolds = [...m.holds]
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((h) => ({ id: h.id, app_id: h.app, amount: h.amount, status: h.status, captured: h.captured }));
    expect(j(holds.rows) === j(wantHolds), () => `holds ${j(holds.rows)}\n  model ${j(wantHolds)}`);

    const coupons = await this.pool.query('SELECT c.id::text AS id, app_id, status FROM coupon c ORDER BY c.id');
    const wantCoupons = [...m.coupons]
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((c) => ({ id: c.id, app_id: c.app, status: c.status }));
    expect(j(coupons.rows) === j(wantCoupons), () => `coupons ${j(coupons.rows)}\n  model ${j(wantCoupons)}`);
    const templates = await this.pool.query('SELECT code, issued FROM coupon_template ORDER BY code');
    const wantT = [...m.templates]
      .sort((a, b) => (a.code < b.code ? -1 : 1))
      .map((t) => ({ code: t.code, issued: t.issued }));
    expect(j(templates.rows) === j(wantT), () => `templates ${j(templates.rows)}\n  model ${j(wantT)}`);

    // Each order once: a SUCCESS bill exactly for the orders applied, a FAILED one for refused spends, none else.
    const bills = await this.pool.query(
      `SELECT app_id, order_no, status, count(*)::int AS n FROM bill
        WHERE order_no NOT LIKE 'expire/%' GROUP BY app_id, order_no, status`,
    );
    const seen = new Map<string, { SUCCESS?: number; FAILED?: number }>();
    for (const r of bills.rows) {
      const k = orderKey(r.app_id, r.order_no);
      seen.set(k, { ...seen.get(k), [r.status]: r.n });
    }
    for (const [k, o] of Object.entries(m.orders)) {
      const code = 'error' in o.answer ? o.answer.error.code : null;
      const failedBill = code === 'INSUFFICIENT_BALANCE' || code === 'ACCOUNT_FROZEN';
      const want = o.applied ? { SUCCESS: 1 } : failedBill ? { FAILED: 1 } : undefined;
      expect(
        j(seen.get(k)) === j(want),
        () => `order ${k} (${j(o.answer).slice(0, 200)}): bills ${j(seen.get(k))}, expected ${j(want)}`,
      );
      seen.delete(k);
    }
    expect(seen.size === 0, () => `bills of orders never answered as stored: ${j([...seen.entries()].slice(0, 10))}`);
    const expired = await this.pool.query(
      `SELECT count(*)::int AS n FROM bill WHERE order_no LIKE 'expire/%' AND status = 'SUCCESS'`,
    );
    expect(
      expired.rows[0].n === m.holds.filter((h) => h.status === 'EXPIRED').length,
      () => `expiry bills ${expired.rows[0].n}`,
    );

    // Only stored answers keep their orderNo (bad input, locks, reuse are not stored: SPEC §6).
    const keys = await this.pool.query(
      'SELECT app_id, order_no, response IS NOT NULL AS answered FROM idempotency_key',
    );
    const stored = new Set(keys.rows.map((r) => orderKey(r.app_id, r.order_no)));
    expect(
      keys.rows.every((r) => r.answered),
      () => `dedupe rows without an answer`,
    );
    const missing = Object.keys(m.orders).filter((k) => !stored.has(k));
    const extra = [...stored].filter((k) => !m.orders[k]);
    expect(
      !missing.length && !extra.length,
      () => `dedupe rows: missing ${j(missing.slice(0, 10))}, unexpected ${j(extra.slice(0, 10))}`,
    );

    for (const app of Object.keys(m.accounts)) {
      const { answer } = await this.gql(Number(app) % 2, D.AUDIT, { a: Number(app) });
      expect(answer.data?.auditAccount?.ok === true, () => `auditAccount ${j(answer)}`);
    }
    const breaks = await ledgerBreaks(this.pool);
    expect(breaks.length === 0, () => `ledger oracle: ${j(breaks.slice(0, 10))}`);
  }
}

/** A burst's orders were resolved against the model before it was cloned: point them at the clone's hold. */
function rehome(m: Model, o: Order): Order {
  return o.hold ? { ...o, hold: m.holds.find((h) => h.id === o.hold!.id) ?? null } : o;
}

/** What the database was doing and what the instances logged as errors, for the failure report. */
async function diagnostics(pool: Pool, cluster: Cluster): Promise<string> {
  const activity = await pool
    .query(
      `SELECT pid, application_name, state, wait_event_type, wait_event, now() - xact_start AS xact_age, left(query, 120) AS query
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
    )
    .then((r) => r.rows.map((x) => `  ${j(x)}`).join('\n'))
    .catch((e) => `  (${e})`);
  const errors = cluster.outputs
    .flatMap((o) => o.join('').split('\n'))
    .filter((l) => /"level":(50|60)/.test(l))
    .slice(-15)
    .map((l) => `  ${l.slice(0, 600)}`)
    .join('\n');
  const tails = cluster.outputs
    .map((o, k) => `  output ${k}: ...${o.join('').slice(-400).replace(/\n/g, '\n    ')}`)
    .join('\n');
  return `instances: ${cluster.describe()}\n${tails}\ndatabase sessions not idle:\n${activity}\ninstance error logs (last 15):\n${errors}`;
}

/** Runs `steps` on a fresh private PostgreSQL with two instances, then the final checks. */
export async function runModel(steps: Step[], log: (msg: string) => void = () => undefined): Promise<RunResult> {
  const started = Date.now();
  const pg = await PrivatePostgres.create();
  const cluster = new Cluster(pg, pg.url);
  const timing: Record<string, number> = {};
  let at = 0;
  try {
    await cluster.start();
    const run = new ModelRun(cluster, pg.pool);
    for (at = 0; at < steps.length; at++) {
      const t0 = Date.now();
      await run.runStep(steps[at], at);
      await run.resolveHolds();
      const kind = steps[at].kind === 'money' ? (steps[at] as { cmd: Money }).cmd.op : steps[at].kind;
      timing[kind] = (timing[kind] ?? 0) + Date.now() - t0;
      if (at % 500 === 499) log(`step ${at + 1}/${steps.length} (${Math.round((Date.now() - started) / 1000)} s)`);
    }
    at = steps.length;
    const t0 = Date.now();
    await run.finalChecks();
    timing.final = Date.now() - t0;
    log(`ms spent by kind of step: ${j(timing)}`);
    // How much of the run went through group commit: transactions that wrote bills of several accounts.
    const grouped = await pg.pool.query<{ txs: number; bills: number }>(
      `SELECT count(*)::int AS txs, coalesce(sum(n), 0)::int AS bills
         FROM (SELECT count(*) AS n FROM bill GROUP BY xmin::text HAVING count(DISTINCT app_id) > 1) t`,
    );
    log(`bills committed in batches across accounts: ${j(grouped.rows[0])}`);
    return { ok: true, faults: cluster.faults, ms: Date.now() - started };
  } catch (err) {
    if (!(err instanceof Violation)) throw err;
    return {
      ok: false,
      failedAt: at,
      message: `${err.message}\n${await diagnostics(pg.pool, cluster)}`,
      faults: cluster.faults,
      ms: Date.now() - started,
    };
  } finally {
    await cluster.stop().catch(() => undefined);
    await pg.destroy();
  }
}

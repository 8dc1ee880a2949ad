import { canonical, EPS, HoldM, leased, Model, orderKey, possibleHeld, Window } from './model';

/**
 * Retcodes of SPEC §7, and whether the answer is stored for replay: written from the SPEC here, not imported from
 * src/common/errors/error-codes.ts, so that the model judges the service instead of agreeing with it.
 */
export const ERRORS: Record<string, { retCode: number; stored: boolean }> = {
  NOT_FOUND: { retCode: 1, stored: true },
  INSUFFICIENT_BALANCE: { retCode: 3, stored: true },
  ACCOUNT_FROZEN: { retCode: 4, stored: true },
  ACCOUNT_LOCKED: { retCode: 5, stored: false },
  INVALID_ARGUMENT: { retCode: 6, stored: false },
  COUPON_UNAVAILABLE: { retCode: 7, stored: true },
  HOLD_NOT_OPEN: { retCode: 8, stored: true },
  ALREADY_REVERSED: { retCode: 9, stored: true },
  IDEMPOTENCY_KEY_REUSED: { retCode: 10, stored: false },
};

export interface GqlErr {
  message: string;
  extensions: { code: string; retCode: number; field?: string; replayed?: boolean };
}

/** A definite answer: the operation's data, or its first error. */
export interface Answer {
  data?: Record<string, any>;
  error?: GqlErr;
}

/** An idempotent mutation, resolved against the model when its step runs. */
export interface Order {
  op: 'recharge' | 'pay' | 'rollback' | 'hold' | 'captureHold' | 'releaseHold' | 'issueCoupon';
  app: number;
  orderNo: string;
  input: Record<string, unknown>;
  /** What the input means, resolved: the hold, pay or coupon it names (or none: unknown). */
  hold?: HoldM | null;
  payOrderNo?: string;
  couponId?: string | null;
  templateCode?: string;
}

export class Violation extends Error {}

function fail(msg: string): never {
  throw new Violation(msg);
}

const j = (v: unknown) => JSON.stringify(v);

function expectError(a: Answer, code: string): void {
  if (!a.error) fail(`expected ${code}, got data ${j(a.data)}`);
  const spec = ERRORS[code];
  if (a.error.extensions.code !== code || a.error.extensions.retCode !== spec.retCode) {
    fail(`expected ${code} (${spec.retCode}), got ${j(a.error)}`);
  }
}

function dataOf(a: Answer, op: string): Record<string, any> {
  if (a.error) fail(`expected success, got ${j(a.error)}`);
  const d = a.data?.[op];
  if (!d) fail(`expected data.${op}, got ${j(a.data)}`);
  return d;
}

function withoutReplayed(d: Record<string, any>): Record<string, any> {
  const { replayed: _r, ...rest } = d;
  return rest;
}

/**
 * Checks an answer's account against the model: balance and frozen exactly,
 * held among the values the expiry job may have left (plus `heldDelta`).
 */
function checkAccount(m: Model, app: number, acc: any, w: Window, balance: number, heldDelta: number): void {
  const a = m.accounts[app];
  const held = [...possibleHeld(m, app, w)].map((h) => h + heldDelta);
  if (acc.appId !== app || acc.balance !== balance || (acc.frozen !== undefined && acc.frozen !== a.frozen)) {
    fail(`account ${j(acc)}: expected appId ${app}, balance ${balance}, frozen ${a.frozen}`);
  }
  if (!held.includes(acc.held)) fail(`account ${j(acc)}: held should be one of ${j(held)}`);
  if (acc.available !== undefined && acc.available !== acc.balance - acc.held) fail(`account ${j(acc)}: available`);
}

function checkBill(bill: any, want: Record<string, unknown>): void {
  const base = { status: 'SUCCESS', retCode: 0 };
  for (const [k, v] of Object.entries({ ...base, ...want })) {
    if (bill[k] !== v) fail(`bill ${j(bill)}: ${k} should be ${j(v)}`);
  }
}

/** Apply the expiry the job may have done on holds whose deadline passed, as seen in `observedHeld`. */
function learnHeld(m: Model, app: number, w: Window, observedHeld: number, heldDelta: number): void {
  // Only when exactly one subset of the maybe-expired holds explains the observation.
  const open = m.holds.filter((h) => h.app === app && h.status === 'OPEN');
  const sure = open.filter((h) => h.expiresAt > w.recv + EPS).reduce((s, h) => s + h.amount, 0);
  const maybe = open.filter((h) => h.expiresAt <= w.recv + EPS);
  const target = observedHeld - heldDelta - sure;
  const total = maybe.reduce((s, h) => s + h.amount, 0);
  if (target === total) return; // none expired yet
  if (target === 0) for (const h of maybe) h.status = 'EXPIRED';
}

/**
 * Judges one definite answer of an order against the model and applies it.
 * `flex`: the order may have run before this answer (an earlier attempt's
 * answer was lost, or it was sent more than once at once), so `replayed` may
 * be true on the first answer we see. Throws Violation when the answer is not
 * one the SPEC allows.
 */
export function judgeOrder(m: Model, o: Order, a: Answer, w: Window, flex: boolean): void {
  const key = orderKey(o.app, o.orderNo);
  const fp = canonical(o.op, o.input);
  const prior = m.orders[key];
  if (prior) {
    if (prior.fp !== fp) return expectError(a, 'IDEMPOTENCY_KEY_REUSED');
    // A repeat: the first answer, byte for byte, flagged replayed.
    if ('error' in prior.answer) {
      if (!a.error) fail(`replay of a stored ${prior.answer.error.code} answered data ${j(a.data)}`);
      const e = a.error;
      if (e.extensions.code !== prior.answer.error.code || e.message !== prior.answer.error.message) {
        fail(`replay answered ${j(e)}, first answer was ${j(prior.answer.error)}`);
      }
      if (e.extensions.replayed !== true) fail(`replayed error without replayed: true: ${j(e)}`);
      return;
    }
    const d = dataOf(a, o.op);
    if (d.replayed !== true) fail(`replay not flagged replayed: ${j(d)}`);
    if (j(withoutReplayed(d)) !== j(prior.answer.data)) {
      fail(`replay answered ${j(withoutReplayed(d))}, first answer was ${j(prior.answer.data)}`);
    }
    return;
  }
  if (a.data?.[o.op] && a.data[o.op].replayed !== false && !flex) fail(`first answer flagged replayed: ${j(a.data)}`);
  if (a.error?.extensions.replayed && !flex) fail(`first answer flagged replayed: ${j(a.error)}`);

  // The write path (ledger_run) locks an existing account and applies the lease rule before the operation
  // decides anything else: on a leased app, every money mutation of an existing account answers ACCOUNT_LOCKED.
  const leasedFirst = o.op !== 'issueCoupon' && m.accounts[o.app] !== undefined && lockedAnswer(m, o, a, w);
  const outcome = leasedFirst ? 'no-bill' : FIRST[o.op](m, o, a, w);
  const store = (answer: OrderM['answer'], applied: boolean) => {
    m.orders[key] = { app: o.app, orderNo: o.orderNo, op: o.op, fp, input: o.input, answer, applied };
    m.orderKeys.push(key);
  };
  if (a.error) {
    const spec = ERRORS[a.error.extensions.code];
    if (spec?.stored) store({ error: { code: a.error.extensions.code, message: a.error.message } }, false);
  } else {
    store({ data: withoutReplayed(a.data![o.op]) }, outcome !== 'no-bill');
  }
}
type OrderM = Model['orders'][string];

/** Money mutations' own rule: which lease world applies, and whether the answer is ACCOUNT_LOCKED. */
function lockedAnswer(m: Model, o: Order, a: Answer, w: Window): boolean {
  const l = leased(m, o.app, w);
  if (l === 'yes') {
    expectError(a, 'ACCOUNT_LOCKED');
    return true;
  }
  if (l === 'maybe' && a.error?.extensions.code === 'ACCOUNT_LOCKED') {
    expectError(a, 'ACCOUNT_LOCKED');
    return true;
  }
  if (a.error?.extensions.code === 'ACCOUNT_LOCKED') fail(`ACCOUNT_LOCKED without a lease on app ${o.app}`);
  return false;
}

/**
 * A refused spend (pay, hold): frozen first, then the available balance. The
 * answer must be one the model allows, given which holds the job may have
 * expired meanwhile.
 */
function spend(m: Model, o: Order, a: Answer, w: Window, cost: number, heldDelta: number): boolean {
  const acct = m.accounts[o.app];
  if (acct.frozen) {
    expectError(a, 'ACCOUNT_FROZEN');
    return false;
  }
  const held = [...possibleHeld(m, o.app, w)];
  const canAfford = held.some((h) => acct.balance - cost >= h + heldDelta);
  const canRefuse = held.some((h) => acct.balance - cost < h + heldDelta);
  if (a.error) {
    if (!canRefuse)
      fail(`refused ${j(a.error)} but available ${acct.balance - Math.max(...held)} covers ${cost + heldDelta}`);
    expectError(a, 'INSUFFICIENT_BALANCE');
    return false;
  }
  if (!canAfford)
    fail(`accepted, but available ${acct.balance - Math.min(...held)} < ${cost + heldDelta}: ${j(a.data)}`);
  return true;
}

const FIRST: Record<Order['op'], (m: Model, o: Order, a: Answer, w: Window) => 'bill' | 'no-bill'> = {
  recharge(m, o, a, w) {
    const acct = m.accounts[o.app];
    if (!acct) return (expectError(a, 'NOT_FOUND'), 'no-bill');
    if (lockedAnswer(m, o, a, w)) return 'no-bill';
    const amount = o.input.amount as number;
    const d = dataOf(a, 'recharge');
    checkBill(d.bill, {
      channel: 'RECHARGE',
      amount,
      oldBalance: acct.balance,
      newBalance: acct.balance + amount,
      orderNo: o.orderNo,
      appId: o.app,
    });
    checkAccount(m, o.app, d.account, w, acct.balance + amount, 0);
    learnHeld(m, o.app, w, d.account.held, 0);
    acct.balance += amount;
    return 'bill';
  },

  pay(m, o, a, w) {
    const items = o.input.items as { name: string; quantity: number }[] | undefined;
    let gross = o.input.amount as number;
    if (items) {
      const unknown = items.findIndex((i) => !m.prices[i.name]);
      if (unknown >= 0) {
        expectError(a, 'INVALID_ARGUMENT');
        if (a.error!.extensions.field !== `input.items[${unknown}].name`) fail(`field of ${j(a.error)}`);
        return 'no-bill';
      }
      gross = items.reduce((s, i) => s + m.prices[i.name].price * i.quantity, 0);
    }
    const acct = m.accounts[o.app];
    if (!acct) return (expectError(a, 'NOT_FOUND'), 'no-bill');
    let discount = 0;
    const coupon = o.couponId ? m.coupons.find((c) => c.id === o.couponId && c.app === o.app) : undefined;
    if (o.couponId) {
      if (!coupon) return (expectError(a, 'NOT_FOUND'), 'no-bill');
      if (coupon.status === 'USED' || gross < coupon.minSpend) return (expectError(a, 'COUPON_UNAVAILABLE'), 'no-bill');
      discount = Math.min(coupon.discount, gross);
    }
    if (lockedAnswer(m, o, a, w)) return 'no-bill';
    const cost = gross - discount;
    if (!spend(m, o, a, w, cost, 0)) return 'no-bill';
    const d = dataOf(a, 'pay');
    checkBill(d.bill, {
      channel: 'PAY',
      amount: -cost,
      oldBalance: acct.balance,
      newBalance: acct.balance - cost,
      orderNo: o.orderNo,
      appId: o.app,
    });
    if (
      (items || coupon) &&
      (d.bill.priceInfo?.total !== gross || (coupon && d.bill.priceInfo?.discount !== discount))
    ) {
      fail(`priceInfo ${j(d.bill.priceInfo)}: total ${gross}, discount ${discount}`);
    }
    checkAccount(m, o.app, d.account, w, acct.balance - cost, 0);
    learnHeld(m, o.app, w, d.account.held, 0);
    acct.balance -= cost;
    if (coupon) coupon.status = 'USED';
    m.pays.push({
      app: o.app,
      orderNo: o.orderNo,
      billId: d.bill.billId,
      amount: cost,
      couponId: coupon?.id ?? null,
      rolledBack: false,
    });
    return 'bill';
  },

  rollback(m, o, a, w) {
    const pay = m.pays.find((p) => p.app === o.app && p.orderNo === o.payOrderNo);
    if (!pay) return (expectError(a, 'NOT_FOUND'), 'no-bill');
    if (pay.rolledBack) return (expectError(a, 'ALREADY_REVERSED'), 'no-bill');
    if (lockedAnswer(m, o, a, w)) return 'no-bill';
    const acct = m.accounts[o.app];
    const d = dataOf(a, 'rollback');
    checkBill(d.bill, {
      channel: 'ROLLBACK',
      amount: pay.amount,
      billId: pay.billId,
      oldBalance: acct.balance,
      newBalance: acct.balance + pay.amount,
      orderNo: o.orderNo,
      appId: o.app,
    });
    checkAccount(m, o.app, d.account, w, acct.balance + pay.amount, 0);
    learnHeld(m, o.app, w, d.account.held, 0);
    acct.balance += pay.amount;
    pay.rolledBack = true;
    const c = m.coupons.find((x) => x.id === pay.couponId);
    if (c) c.status = 'ISSUED';
    return 'bill';
  },

  hold(m, o, a, w) {
    const acct = m.accounts[o.app];
    if (!acct) return (expectError(a, 'NOT_FOUND'), 'no-bill');
    if (lockedAnswer(m, o, a, w)) return 'no-bill';
    const amount = o.input.amount as number;
    if (!spend(m, o, a, w, 0, amount)) return 'no-bill';
    const d = dataOf(a, 'hold');
    const h = d.hold;
    const expiresAt = Date.parse(h.expiresAt);
    const ttl = (o.input.ttlSeconds as number) * 1000;
    if (
      h.appId !== o.app ||
      h.orderNo !== o.orderNo ||
      h.amount !== amount ||
      h.captured !== 0 ||
      h.status !== 'OPEN' ||
      expiresAt < w.sent + ttl - EPS ||
      expiresAt > w.recv + ttl + EPS
    ) {
      fail(`hold ${j(h)}: expected OPEN, ${amount} cents, ttl ${ttl} ms within ${j(w)}`);
    }
    checkAccount(m, o.app, d.account, w, acct.balance, amount);
    learnHeld(m, o.app, w, d.account.held, amount);
    m.holds.push({
      id: h.id,
      app: o.app,
      orderNo: o.orderNo,
      billId: h.billId,
      amount,
      status: 'OPEN',
      captured: 0,
      expiresAt,
    });
    return 'bill';
  },

  captureHold: (m, o, a, w) => endHold(m, o, a, w, 'CAPTURED'),
  releaseHold: (m, o, a, w) => endHold(m, o, a, w, 'RELEASED'),

  issueCoupon(m, o, a) {
    const t = m.templates.find((x) => x.code === o.templateCode);
    if (!t) return (expectError(a, 'NOT_FOUND'), 'no-bill');
    const qk = `${o.app}/${t.code}`;
    if ((m.quotas[qk] ?? 0) >= t.perApp || (t.stock !== null && t.issued >= t.stock)) {
      return (expectError(a, 'COUPON_UNAVAILABLE'), 'no-bill');
    }
    const c = dataOf(a, 'issueCoupon').coupon;
    if (
      c.appId !== o.app ||
      c.templateCode !== t.code ||
      c.discount !== t.discount ||
      c.minSpend !== t.minSpend ||
      c.status !== 'ISSUED' ||
      c.orderNo !== o.orderNo ||
      m.coupons.some((x) => x.id === c.id)
    ) {
      fail(`coupon ${j(c)} does not match template ${j(t)} / order ${o.orderNo}`);
    }
    m.quotas[qk] = (m.quotas[qk] ?? 0) + 1;
    t.issued++;
    m.coupons.push({
      id: c.id,
      app: o.app,
      template: t.code,
      discount: t.discount,
      minSpend: t.minSpend,
      status: 'ISSUED',
    });
    return 'no-bill'; // a coupon is granted without a bill: no money moves
  },
};

/**
 * Capture or release (SPEC §5): an unknown hold is NOT_FOUND, an ended one
 * HOLD_NOT_OPEN; one past its deadline is expired by the request itself
 * (which needs the lease) and answers HOLD_NOT_OPEN; a capture above the
 * hold is INVALID_ARGUMENT; then the lease; then it ends the hold.
 */
function endHold(m: Model, o: Order, a: Answer, w: Window, status: 'CAPTURED' | 'RELEASED'): 'bill' | 'no-bill' {
  const h = o.hold && o.hold.app === o.app ? m.holds.find((x) => x.id === o.hold!.id)! : undefined;
  if (!h) return (expectError(a, 'NOT_FOUND'), 'no-bill');
  const open = h.status === 'OPEN';
  // Past the deadline for sure / maybe (the server acted between sent and recv).
  const surelyPast = h.expiresAt <= w.sent - EPS;
  const maybePast = h.expiresAt <= w.recv + EPS;
  if (!open) return (expectError(a, 'HOLD_NOT_OPEN'), 'no-bill');
  if (a.error?.extensions.code === 'HOLD_NOT_OPEN') {
    if (!maybePast) fail(`HOLD_NOT_OPEN for hold ${h.id} open until ${new Date(h.expiresAt).toISOString()}: ${j(w)}`);
    h.status = 'EXPIRED';
    return 'no-bill';
  }
  if (a.error?.extensions.code === 'ACCOUNT_LOCKED') {
    lockedAnswer(m, o, a, w);
    return 'no-bill';
  }
  if (surelyPast && !a.error) fail(`hold ${h.id} ended by ${o.op} after its deadline ${h.expiresAt}: ${j(a.data)}`);
  const amount = status === 'CAPTURED' ? ((o.input.amount as number | undefined) ?? h.amount) : 0;
  if (amount > h.amount) {
    expectError(a, 'INVALID_ARGUMENT');
    if (a.error!.extensions.field !== 'input.amount') fail(`field of ${j(a.error)}`);
    return 'no-bill';
  }
  if (lockedAnswer(m, o, a, w)) return 'no-bill';
  const acct = m.accounts[o.app];
  const d = dataOf(a, o.op);
  if (status === 'CAPTURED') {
    checkBill(d.bill, {
      channel: 'CAPTURE',
      amount: -amount,
      billId: h.billId,
      oldBalance: acct.balance,
      newBalance: acct.balance - amount,
      orderNo: o.orderNo,
      appId: o.app,
    });
  } else if (d.hold.id !== h.id || d.hold.status !== 'RELEASED' || d.hold.captured !== 0) {
    fail(`released hold ${j(d.hold)}`);
  }
  checkAccount(m, o.app, d.account, w, acct.balance - amount, -h.amount);
  acct.balance -= amount;
  h.status = status;
  h.captured = amount;
  learnHeld(m, o.app, w, d.account.held, 0);
  return 'bill';
}

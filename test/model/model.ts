/**
 * The model of the SPEC a run is checked against: accounts, holds, pays,
 * coupons, prices, leases, and every orderNo whose answer is stored. It is
 * plain data (cloned freely: a concurrent burst is checked against each
 * order of its commands), written from SPEC §5-8, never from the code.
 */

export interface Acct {
  balance: number;
  frozen: boolean;
}

export type HoldStatus = 'OPEN' | 'CAPTURED' | 'RELEASED' | 'EXPIRED';

export interface HoldM {
  id: string;
  app: number;
  orderNo: string;
  billId: number;
  amount: number;
  status: HoldStatus;
  captured: number;
  /** Server time (ms) of the deadline, from the answer that placed it. */
  expiresAt: number;
}

export interface PayM {
  app: number;
  orderNo: string;
  billId: number;
  /** Cents debited (≥ 0). */
  amount: number;
  couponId: string | null;
  rolledBack: boolean;
}

export interface CouponM {
  id: string;
  app: number;
  template: string;
  discount: number;
  minSpend: number;
  status: 'ISSUED' | 'USED';
}

export interface TemplateM {
  code: string;
  discount: number;
  minSpend: number;
  stock: number | null;
  perApp: number;
  issued: number;
}

export interface LeaseM {
  token: number;
  /** Held until this server time (ms); null when released. */
  expiresAt: number | null;
}

/** The first answer of an order whose answer is stored (SPEC §6). */
export interface OrderM {
  app: number;
  orderNo: string;
  op: string;
  /** Canonical JSON of the operation and its input (null and absent alike). */
  fp: string;
  /** The input, to repeat it exactly. */
  input: Record<string, unknown>;
  /** The first answer: data (minus `replayed`) or error {code, message}. */
  answer: { data: unknown } | { error: { code: string; message: string } };
  /** Did it move money or change state (a SUCCESS bill)? */
  applied: boolean;
}

export interface Model {
  accounts: Record<number, Acct>;
  holds: HoldM[];
  pays: PayM[];
  coupons: CouponM[];
  templates: TemplateM[];
  quotas: Record<string, number>;
  prices: Record<string, { price: number; billing: 'ONE_TIME' | 'MONTHLY' }>;
  leases: Record<number, LeaseM>;
  orders: Record<string, OrderM>;
  /** Keys of orders, in the order they were first stored (for `repeat` refs). */
  orderKeys: string[];
}

export function emptyModel(): Model {
  return {
    accounts: {},
    holds: [],
    pays: [],
    coupons: [],
    templates: [],
    quotas: {},
    prices: {},
    leases: {},
    orders: {},
    orderKeys: [],
  };
}

export const orderKey = (app: number, orderNo: string) => `${app}/${orderNo}`;

/** SPEC §6's fingerprint input: keys sorted, null and absent alike. */
export function canonical(op: string, input: Record<string, unknown>): string {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .filter((k) => (v as Record<string, unknown>)[k] !== null && (v as Record<string, unknown>)[k] !== undefined)
          .sort()
          .map((k) => [k, norm((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify([op, norm(input)]);
}

/** Time of a step as the client saw it: sent before, answered after (the server acted in between). */
export interface Window {
  sent: number;
  recv: number;
}

/** Clock slack between the test and the server's now() (same machine; ms rounding of DateTime). */
export const EPS = 15;

export function openHoldsOf(m: Model, app: number): HoldM[] {
  return m.holds.filter((h) => h.app === app && h.status === 'OPEN');
}

/**
 * `held` of an app as the server may have had it during `w`: the OPEN holds
 * whose deadline may have passed may or may not have been expired by the job
 * yet. Returns every possible value (few holds are ever in that window).
 */
export function possibleHeld(m: Model, app: number, w: Window): Set<number> {
  let sums = new Set([0]);
  for (const h of openHoldsOf(m, app)) {
    const maybeGone = h.expiresAt <= w.recv + EPS;
    const next = new Set<number>();
    for (const s of sums) {
      next.add(s + h.amount);
      if (maybeGone) next.add(s);
    }
    sums = next;
    if (sums.size > 4096) break; // cannot happen with a handful of short holds; keeps a bug from hanging the run
  }
  return sums;
}

/** Whether the app's lease blocks money mutations during `w`: yes, no, or either (it ran out meanwhile). */
export function leased(m: Model, app: number, w: Window): 'yes' | 'no' | 'maybe' {
  const l = m.leases[app];
  if (!l || l.expiresAt === null) return 'no';
  if (w.recv < l.expiresAt - EPS) return 'yes';
  if (w.sent > l.expiresAt + EPS) return 'no';
  return 'maybe';
}

import fc from 'fast-check';

/**
 * The steps of a model run. They are context-free and drawn from the seed
 * alone (fast-check arbitraries sampled with the seed), so a seed gives the
 * same sequence whatever the service answers, and a prefix of it is a shorter
 * run of the same test. What a step refers to (a hold, a pay, a coupon) is an
 * index resolved against the model when the step runs.
 */

export const APPS = [1, 2, 3, 4, 5, 6];
export const ITEMS = ['web', 'db', 'cdn', 'gpu'];

export type Money =
  | { op: 'recharge'; app: number; amount: number }
  | { op: 'pay'; app: number; amount?: number; items?: { name: string; quantity: number }[]; couponRef?: number }
  | { op: 'rollback'; app: number; payRef: number; unknown: boolean }
  | { op: 'hold'; app: number; amount: number; ttl: number }
  | { op: 'capture'; holdRef: number; fraction?: number; wrongApp: boolean }
  | { op: 'release'; holdRef: number }
  | { op: 'issueCoupon'; app: number; templateRef: number }
  /** An exact repeat of an earlier order, or the same orderNo with another input. */
  | { op: 'repeat'; orderRef: number; changed: boolean };

export type Bad =
  | 'recharge-zero'
  | 'pay-negative'
  | 'pay-fraction'
  | 'pay-both'
  | 'pay-neither'
  | 'pay-quantity'
  | 'order-chars'
  | 'order-long'
  | 'order-empty'
  | 'hold-ttl-zero'
  | 'hold-ttl-long'
  | 'price-negative'
  | 'freeze-empty'
  | 'freeze-nul'
  | 'lock-ttl'
  | 'capture-over'
  | 'month-bad'
  | 'pay-over-2^53';

export type Step =
  | { kind: 'money'; cmd: Money; via: number; drop?: number }
  | { kind: 'open'; app: number; via: number }
  | { kind: 'freeze'; app: number; frozen: boolean; via: number }
  | { kind: 'setPrice'; item: number; price: number; monthly: boolean; via: number }
  | { kind: 'template'; code: number; discount: number; minSpend: number; stock: number | null; perApp: number }
  | { kind: 'acquire'; app: number; ttl: number; via: number }
  | { kind: 'releaseLock'; app: number; stale: boolean; via: number }
  | { kind: 'settle'; which: 'past' | 'current' }
  | { kind: 'bad'; bad: Bad; app: number; via: number }
  /** Orders sent at once (each to either instance; `both` sends each to the two). */
  | { kind: 'burst'; cmds: Money[]; both: boolean; fault?: Fault }
  | { kind: 'waitHolds' };

/** A fault injected `afterMs` into a burst. */
export type Fault = { what: 'kill'; instance: number; afterMs: number } | { what: 'pg'; afterMs: number };

const app = fc.constantFrom(...APPS);
const ref = fc.nat({ max: 1_000_000 });
const via = fc.nat({ max: 1 });
const amount = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 5_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 5_000, max: 200_000 }) },
);

const money: fc.Arbitrary<Money> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('recharge' as const), app, amount }) },
  {
    weight: 8,
    arbitrary: fc.record({ op: fc.constant('pay' as const), app, amount }),
  },
  {
    weight: 3,
    arbitrary: fc.record(
      {
        op: fc.constant('pay' as const),
        app,
        items: fc.array(fc.record({ name: fc.constantFrom(...ITEMS), quantity: fc.integer({ min: 1, max: 3 }) }), {
          minLength: 1,
          maxLength: 2,
        }),
        couponRef: fc.option(ref, { nil: undefined }),
      },
      { requiredKeys: ['op', 'app', 'items'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('pay' as const), app, amount, couponRef: ref }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('rollback' as const), app, payRef: ref, unknown: fc.boolean() }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('hold' as const),
      app,
      amount,
      ttl: fc.oneof({ weight: 1, arbitrary: fc.constantFrom(1, 2) }, { weight: 3, arbitrary: fc.constant(3600) }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        op: fc.constant('capture' as const),
        holdRef: ref,
        fraction: fc.option(fc.double({ min: 0.01, max: 1.25, noNaN: true }), { nil: undefined }),
        wrongApp: fc.boolean(),
      },
      { requiredKeys: ['op', 'holdRef', 'wrongApp'] },
    ),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('release' as const), holdRef: ref }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('issueCoupon' as const), app, templateRef: ref }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('repeat' as const), orderRef: ref, changed: fc.boolean() }) },
);

const bad = fc.constantFrom<Bad>(
  'recharge-zero',
  'pay-negative',
  'pay-fraction',
  'pay-both',
  'pay-neither',
  'pay-quantity',
  'order-chars',
  'order-long',
  'order-empty',
  'hold-ttl-zero',
  'hold-ttl-long',
  'price-negative',
  'freeze-empty',
  'freeze-nul',
  'lock-ttl',
  'capture-over',
  'month-bad',
  'pay-over-2^53',
);

const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ what: fc.constant('kill' as const), instance: via, afterMs: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ what: fc.constant('pg' as const), afterMs: fc.integer({ min: 0, max: 40 }) }),
);

function stepArb(faults: boolean): fc.Arbitrary<Step> {
  const burst = (f: fc.Arbitrary<Fault | undefined>) =>
    fc.record({
      kind: fc.constant('burst' as const),
      cmds: fc.array(money, { minLength: 2, maxLength: 5 }),
      both: fc.boolean(),
      fault: f,
    });
  return fc.oneof(
    { weight: 60, arbitrary: fc.record({ kind: fc.constant('money' as const), cmd: money, via }) },
    {
      weight: faults ? 3 : 0,
      arbitrary: fc.record({
        kind: fc.constant('money' as const),
        cmd: money,
        via,
        drop: fc.integer({ min: 0, max: 30 }),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('open' as const), app, via }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('freeze' as const), app, frozen: fc.boolean(), via }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('setPrice' as const),
        item: fc.nat({ max: ITEMS.length - 1 }),
        price: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3_000 })),
        monthly: fc.boolean(),
        via,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('template' as const),
        code: fc.nat({ max: 5 }),
        discount: fc.integer({ min: 1, max: 2_000 }),
        minSpend: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3_000 })),
        stock: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
        perApp: fc.integer({ min: 1, max: 3 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('acquire' as const),
        app,
        ttl: fc.oneof({ weight: 1, arbitrary: fc.constant(1) }, { weight: 3, arbitrary: fc.constant(60) }),
        via,
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('releaseLock' as const), app, stale: fc.boolean(), via }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('settle' as const),
        which: fc.constantFrom('past' as const, 'current' as const),
      }),
    },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('bad' as const), bad, app, via }) },
    { weight: 6, arbitrary: burst(fc.constant(undefined)) },
    { weight: faults ? 2 : 0, arbitrary: burst(fault) },
    { weight: 1, arbitrary: fc.constant({ kind: 'waitHolds' as const }) },
  );
}

/** The first `steps` steps of the seed's sequence (the same prefix for any longer length). */
export function generate(seed: number, steps: number, faults: boolean): Step[] {
  const out: Step[] = [
    { kind: 'open', app: 1, via: 0 },
    { kind: 'open', app: 2, via: 1 },
  ];
  if (steps <= out.length) return out.slice(0, steps);
  return [...out, ...fc.sample(stepArb(faults), { seed, numRuns: steps - out.length })];
}

export function describeStep(s: Step): string {
  return JSON.stringify(s);
}

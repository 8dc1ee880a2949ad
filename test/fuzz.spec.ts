import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  getNamedType,
} from 'graphql';
import { TestDatabase } from './support/database';
import { fundedAccount, ok } from './support/ledger';
import { GqlError, GqlResult, Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

/**
 * Issue 13 "Done when": a generated-input fuzz of every operation. Each root
 * field of the committed schema gets arguments generated from its declared
 * input types (mostly well-typed values near the edges, some nulls, absent
 * fields, NUL characters and wrong-typed junk), sent both as variables and
 * as literals in the document. Whatever the input: no answer has a negative
 * retCode (those tell a client to retry: a fault on our side), every error
 * has a code, and every INVALID_ARGUMENT names a field. Kept small for
 * `npm test`; FUZZ_RUNS raises the runs per operation, FUZZ_SEED replays one.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const APPS = [1601, 1602];

const schema = buildSchema(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 5 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant({}),
  fc.constant([1]),
);

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      'a\u0000b',
      'web',
      'x'.repeat(200),
      '2024-05',
      '2024-13',
      '2024-02-30',
      '2024-03-15',
      '1999-12',
      'WELCOME',
    ),
  },
);

const ints = fc.oneof(
  fc.integer({ min: -3, max: 20 }),
  fc.constantFrom(0, -1, 1000, 10_001, 86_400, 2_147_483_647, 2_147_483_648, -2_147_483_649, 1.5),
  fc.integer(),
);

const safeInts = fc.oneof(
  fc.integer({ min: -10, max: 20_000 }),
  fc.constantFrom(0, -1, 1.5, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e300),
  fc.maxSafeInteger(),
);

function scalar(name: string, field: string): fc.Arbitrary<unknown> {
  if (field === 'appId')
    return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...APPS) }, { weight: 1, arbitrary: ints });
  if (/orderNo$/i.test(field)) {
    return fc.oneof(
      { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/) },
      { weight: 1, arbitrary: text },
    );
  }
  switch (name) {
    case 'Int':
      return ints;
    case 'SafeInt':
      return safeInts;
    case 'Boolean':
      return fc.boolean();
    case 'ID':
      return fc.oneof(fc.constantFrom('1', '2', '0', '-1', '99999999999999999999', 'abc'), fc.uuid(), text);
    case 'DateTime':
      return fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constantFrom('2024-02-30T00:00:00Z', 'yesterday'),
      );
    case 'JSON':
      return fc.jsonValue({ maxDepth: 2 });
    default:
      return text;
  }
}

/** A value for an input type: mostly of the type, sometimes null or junk. */
function valueOf(type: GraphQLInputType, field: string, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) {
    return fc.oneof(
      { weight: 12, arbitrary: valueOf(type.ofType, field, depth) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
  }
  let arb: fc.Arbitrary<unknown>;
  if (isListType(type)) {
    arb = fc.array(valueOf(type.ofType, field, depth + 1), { maxLength: depth > 1 ? 1 : 3 });
  } else if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    arb = fc.record(Object.fromEntries(fields.map((f) => [f.name, valueOf(f.type, f.name, depth + 1)])), {
      requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name),
    });
  } else if (isEnumType(type)) {
    arb = fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)) },
      { weight: 1, arbitrary: text },
    );
  } else {
    arb = scalar((type as GraphQLNamedType).name, field);
  }
  return fc.oneof(
    { weight: 10, arbitrary: arb },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: junk },
  );
}

/** The value as a GraphQL literal of `type` (an enum name bare, everything else as JSON spells it). */
function literal(value: unknown, type: GraphQLInputType): string {
  if (value === null || value === undefined) return 'null';
  const named = getNamedType(type);
  if (Array.isArray(value)) {
    const nullable = isNonNullType(type) ? type.ofType : type;
    const item = isListType(nullable) ? nullable.ofType : type;
    return `[${value.map((v) => literal(v, item)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const fields = isInputObjectType(named) ? named.getFields() : {};
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}: ${literal(v, fields[k]?.type ?? named)}`);
    return `{${parts.join(', ')}}`;
  }
  if (isEnumType(named) && typeof value === 'string' && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value;
  if (typeof value === 'number' && !Number.isFinite(value)) return '0';
  return JSON.stringify(value);
}

interface Call {
  query: string;
  variables: Record<string, unknown>;
}

function callOf(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): fc.Arbitrary<Call> {
  const args: readonly GraphQLArgument[] = field.args;
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  const values = fc.record(Object.fromEntries(args.map((a) => [a.name, valueOf(a.type, a.name)])), {
    requiredKeys: args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined).map((a) => a.name),
  });
  return fc.tuple(values, fc.boolean()).map(([vals, asVariables]) => {
    const given = args.filter((a) => a.name in vals);
    if (asVariables) {
      const defs = given.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
      const use = given.map((a) => `${a.name}: $${a.name}`).join(', ');
      return {
        query: `${kind}${defs ? `(${defs})` : ''} { ${field.name}${use ? `(${use})` : ''}${selection} }`,
        variables: vals,
      };
    }
    const use = given.map((a) => `${a.name}: ${literal((vals as Record<string, unknown>)[a.name], a.type)}`).join(', ');
    return { query: `${kind} { ${field.name}${use ? `(${use})` : ''}${selection} }`, variables: {} };
  });
}

/** What the contract promises about any answer, whatever the input. */
function contractBreaks(r: GqlResult): string[] {
  const breaks: string[] = [];
  if (r.status >= 500) breaks.push(`HTTP ${r.status}`);
  for (const e of r.errors ?? []) {
    const { code, retCode, field } = (e.extensions ?? {}) as Partial<GqlError['extensions']>;
    if (typeof code !== 'string' || typeof retCode !== 'number') breaks.push(`no code: ${JSON.stringify(e)}`);
    else if (retCode < 0) breaks.push(`negative retCode: ${JSON.stringify(e)}`);
    if (code === 'INVALID_ARGUMENT' && (typeof field !== 'string' || !field)) {
      breaks.push(`INVALID_ARGUMENT without a field: ${JSON.stringify(e)}`);
    }
  }
  return breaks;
}

describe('generated-input fuzz of every operation (fast-check over the schema)', () => {
  let db: TestDatabase;
  let svc: Service;
  /** How the answers went, so that the last test can tell the fuzz reached the resolvers. */
  const outcomes = new Map<string, number>();

  beforeAll(async () => {
    // No waiting on leases a generated acquireAppLock takes: ACCOUNT_LOCKED at once.
    ({
      db,
      services: [svc],
    } = await openLedger({ APPLOCK_WAIT_MS: '0' }));
    for (const app of APPS) await fundedAccount(svc, app, 1_000_000);
    ok(await svc.gql(`mutation { setPrice(input: { name: "web", price: 100 }) { name } }`));
  });

  afterAll(() => closeLedger(db, [svc]));

  const operations = (['query', 'mutation'] as const).flatMap((kind) => {
    const root = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
    return Object.values(root!.getFields()).map((f) => [kind, f] as const);
  });

  it('covers every root operation of the schema', () => {
    expect(operations.length).toBeGreaterThanOrEqual(30);
    expect(operations.every(([, f]) => isScalarType(getNamedType(f.type)) || isObjectType(getNamedType(f.type)))).toBe(
      true,
    );
  });

  it.each(operations.map(([kind, f]) => [`${kind} ${f.name}`, kind, f] as const))(
    '%s: no negative retCode, every INVALID_ARGUMENT names its field',
    async (_name, kind, field) => {
      await fc.assert(
        fc.asyncProperty(callOf(kind, field), async ({ query, variables }) => {
          const r = await svc.gql(query, variables);
          const outcome = !r.errors?.length ? 'data' : r.errors[0].path ? 'resolver error' : 'refused by GraphQL';
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          expect({ query, variables, breaks: contractBreaks(r) }).toEqual({ query, variables, breaks: [] });
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    },
  );

  it('reached the resolvers: answers with data and resolver errors, not only GraphQL refusals', () => {
    const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
    console.log(`fuzz outcomes of ${total} calls: ${JSON.stringify(Object.fromEntries(outcomes))}`);
    expect(outcomes.get('data') ?? 0).toBeGreaterThan(total / 10);
    expect(outcomes.get('resolver error') ?? 0).toBeGreaterThan(total / 10);
  });
});

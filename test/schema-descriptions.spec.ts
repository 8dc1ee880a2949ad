import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
import { ERROR_SPEC } from '../src/common/errors/error-codes';

/**
 * The schema documents itself (issue 13): every type, field, argument, input
 * field and enum value has a description, and every root field says who may
 * call it, whether it is idempotent and which error codes it answers. It reads
 * the committed schema.graphql, which test/schema.spec.ts keeps equal to what
 * the service serves.
 */
const schema: GraphQLSchema = buildSchema(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));

function undocumented(s: GraphQLSchema): string[] {
  const missing: string[] = [];
  const need = (what: string, d: string | null | undefined) => {
    if (!d || !d.trim()) missing.push(what);
  };
  for (const type of Object.values(s.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    const root = type === s.getQueryType() || type === s.getMutationType() || type === s.getSubscriptionType();
    if (!root) need(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const f of Object.values(type.getFields())) {
        need(`${type.name}.${f.name}`, f.description);
        for (const a of f.args) need(`${type.name}.${f.name}(${a.name})`, a.description);
      }
    } else if (isInputObjectType(type)) {
      for (const f of Object.values(type.getFields())) need(`${type.name}.${f.name}`, f.description);
    } else if (isEnumType(type)) {
      for (const v of type.getValues()) need(`${type.name}.${v.name}`, v.description);
    }
  }
  return missing;
}

describe('schema descriptions', () => {
  it('every type, field, argument, input field and enum value has a description', () => {
    expect(undocumented(schema)).toEqual([]);
  });

  it('the check finds a field without one', () => {
    const bare = buildSchema('"A thing." type Query { "Documented." a: Int  b(x: Int): Int }');
    expect(undocumented(bare)).toEqual(['Query.b', 'Query.b(x)']);
  });

  it('every root field says who may call it, whether it is idempotent and which errors it answers', () => {
    const roots = [schema.getQueryType()!, schema.getMutationType()!, schema.getSubscriptionType()].filter(
      (t) => t !== null && t !== undefined,
    );
    const codes = new Set(Object.keys(ERROR_SPEC));
    const bad: string[] = [];
    for (const root of roots) {
      for (const f of Object.values(root.getFields())) {
        const d = f.description ?? '';
        const errors = /^Errors: (.*)$/m.exec(d)?.[1] ?? '';
        const named = errors.match(/[A-Z][A-Z_]+[A-Z]/g) ?? [];
        if (!/^Who may call: \S/m.test(d) || !/^Idempotent: \S/m.test(d) || named.length === 0) bad.push(f.name);
        for (const code of named) if (!codes.has(code)) bad.push(`${f.name}: unknown code ${code}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the error codes are in the schema as an enum, each with its retCode', () => {
    const e = schema.getType('ErrorCode');
    expect(isEnumType(e)).toBe(true);
    if (!isEnumType(e)) return;
    expect(
      e
        .getValues()
        .map((v) => v.name)
        .sort(),
    ).toEqual(Object.keys(ERROR_SPEC).sort());
    for (const v of e.getValues()) {
      const { retCode } = ERROR_SPEC[v.name as keyof typeof ERROR_SPEC];
      expect(v.description).toMatch(new RegExp(`^retCode ${retCode}\\b.*Retry: `, 's'));
    }
  });
});

import { FieldNode, FragmentDefinitionNode, Kind, OperationDefinitionNode, parse } from 'graphql';
import { selects } from '../../src/common/graphql/selection';

/** The resolver info of the operation's first root field, as graphql-js gives it to a resolver. */
function infoOf(query: string) {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  return { fieldNodes: [op.selectionSet.selections[0] as FieldNode], fragments };
}

const BILL_PRICE_INFO = ['bill', 'priceInfo'];

describe('selects: whether a request selects a field below the resolver', () => {
  it('finds a field selected directly or under an alias, and not one that is absent', () => {
    expect(selects(infoOf('mutation { pay { bill { billId priceInfo } } }'), BILL_PRICE_INFO)).toBe(true);
    expect(selects(infoOf('mutation { pay { b: bill { p: priceInfo } } }'), BILL_PRICE_INFO)).toBe(true);
    expect(selects(infoOf('mutation { pay { bill { billId amount } account { balance } } }'), BILL_PRICE_INFO)).toBe(
      false,
    );
    // The same name elsewhere is not the field at that path.
    expect(selects(infoOf('mutation { pay { priceInfo: replayed bill { billId } } }'), BILL_PRICE_INFO)).toBe(false);
  });

  it('looks through fragment spreads (nested too) and inline fragments', () => {
    const spread = `mutation { pay { ...R } } fragment R on MoneyResult { bill { ...B } } fragment B on Bill { priceInfo }`;
    expect(selects(infoOf(spread), BILL_PRICE_INFO)).toBe(true);
    expect(
      selects(infoOf('mutation { pay { ... on MoneyResult { bill { ... { priceInfo } } } } }'), BILL_PRICE_INFO),
    ).toBe(true);
    const without = `mutation { pay { ...R } } fragment R on MoneyResult { bill { billId } }`;
    expect(selects(infoOf(without), BILL_PRICE_INFO)).toBe(false);
  });

  it('counts a field under @include or @skip as selected', () => {
    expect(
      selects(infoOf('mutation($x: Boolean!) { pay { bill { priceInfo @include(if: $x) } } }'), BILL_PRICE_INFO),
    ).toBe(true);
    expect(selects(infoOf('mutation { pay { bill { priceInfo @skip(if: true) } } }'), BILL_PRICE_INFO)).toBe(true);
  });

  it('stops at a cycle of fragment spreads instead of recursing forever', () => {
    const cyclic = `mutation { pay { bill { ...A } } } fragment A on Bill { ...B } fragment B on Bill { ...A }`;
    expect(selects(infoOf(cyclic), BILL_PRICE_INFO)).toBe(false);
  });
});

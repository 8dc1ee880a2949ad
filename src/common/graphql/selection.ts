import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the request selects the field at `path` below the resolver's own field (`['bill', 'priceInfo']`), under
 * any alias, through fragments and inline fragments. Conservative: a field under `@include` or `@skip` counts as
 * selected, whatever the directive's variable says.
 */
export function selects(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): boolean {
  const within = (set: SelectionSetNode | undefined, rest: readonly string[], spread: ReadonlySet<string>): boolean =>
    !!set &&
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD) {
        return s.name.value === rest[0] && (rest.length === 1 || within(s.selectionSet, rest.slice(1), spread));
      }
      if (s.kind === Kind.INLINE_FRAGMENT) return within(s.selectionSet, rest, spread);
      // A fragment spread (a cycle of spreads is invalid GraphQL, refused before execution; stopped here anyway).
      const name = s.name.value;
      return !spread.has(name) && within(info.fragments[name]?.selectionSet, rest, new Set(spread).add(name));
    });
  return info.fieldNodes.some((f) => within(f.selectionSet, path, new Set()));
}

import {
  ArgumentNode,
  DocumentNode,
  getLocation,
  Kind,
  ObjectFieldNode,
  SelectionSetNode,
  Source,
  SourceLocation,
  ValueNode,
} from 'graphql';

/**
 * Where each argument value sits in a document, as the argument path a client
 * knows (`input.items[0].quantity`). GraphQL's own validation and
 * variable-coercion errors name a document location or a variable, never the
 * argument; error-logging.plugin.ts uses this map to put `extensions.field`
 * on every INVALID_ARGUMENT (SPEC §8).
 */
export class ArgumentPaths {
  /** "line:column" of an argument, input field or value node → its path. */
  private readonly byLocation = new Map<string, string>();
  /** Variable name → the path of its first use. */
  private readonly byVariable = new Map<string, string>();
  private readonly variableDefinitions: { key: string; name: string }[] = [];

  constructor(private readonly document: DocumentNode) {
    for (const def of document.definitions) {
      if (def.kind === Kind.OPERATION_DEFINITION) {
        for (const v of def.variableDefinitions ?? []) {
          this.variableDefinitions.push({ key: this.key(v.loc?.start), name: v.variable.name.value });
          this.variableDefinitions.push({ key: this.key(v.variable.loc?.start), name: v.variable.name.value });
        }
      }
      if (def.kind === Kind.OPERATION_DEFINITION || def.kind === Kind.FRAGMENT_DEFINITION) {
        this.selections(def.selectionSet);
      }
    }
  }

  /** The path at one of the error's locations, if it points into an argument. */
  at(locations: readonly SourceLocation[] | undefined): string | undefined {
    for (const l of locations ?? []) {
      const k = `${l.line}:${l.column}`;
      const path = this.byLocation.get(k) ?? this.variablePathAt(k);
      if (path) return path;
    }
    return undefined;
  }

  /** The argument path a variable feeds (`$i` used as `pay(input: $i)` → `input`). */
  ofVariable(name: string): string | undefined {
    return this.byVariable.get(name);
  }

  private variablePathAt(key: string): string | undefined {
    const def = this.variableDefinitions.find((d) => d.key === key);
    return def ? this.byVariable.get(def.name) : undefined;
  }

  private key(offset: number | undefined): string {
    if (offset === undefined) return '';
    const source = this.document.loc?.source ?? new Source('');
    const { line, column } = getLocation(source, offset);
    return `${line}:${column}`;
  }

  private selections(set: SelectionSetNode | undefined): void {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) {
        for (const arg of sel.arguments ?? []) this.argument(arg);
      }
      if (sel.kind !== Kind.FRAGMENT_SPREAD) this.selections(sel.selectionSet);
    }
  }

  private argument(arg: ArgumentNode): void {
    this.remember(arg.loc?.start, arg.name.value);
    this.value(arg.value, arg.name.value);
  }

  private field(f: ObjectFieldNode, parent: string): void {
    const path = `${parent}.${f.name.value}`;
    this.remember(f.loc?.start, path);
    this.value(f.value, path);
  }

  private value(v: ValueNode, path: string): void {
    this.remember(v.loc?.start, path);
    if (v.kind === Kind.OBJECT) for (const f of v.fields) this.field(f, path);
    if (v.kind === Kind.LIST) v.values.forEach((item, i) => this.value(item, `${path}[${i}]`));
    if (v.kind === Kind.VARIABLE && !this.byVariable.has(v.name.value)) this.byVariable.set(v.name.value, path);
  }

  private remember(offset: number | undefined, path: string): void {
    const k = this.key(offset);
    if (k && !this.byLocation.has(k)) this.byLocation.set(k, path);
  }
}

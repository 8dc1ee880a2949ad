import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ERROR_SPEC } from '../src/common/errors/error-codes';

const ROOT = join(__dirname, '..');

/**
 * Pages written on other branches at the same time (issue 13: the events page
 * is the events engineer's). Linked from here; empty this list once merged.
 */
const pages = [
  join(ROOT, 'README.md'),
  join(ROOT, 'examples', 'typescript-client', 'README.md'),
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(ROOT, 'docs', f)),
];

/** The repository's documentation stands alone (issue 13): readers have only the repository. */
describe('documentation', () => {
  it('links only to files in the repository, and never outside it', () => {
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(page, 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target) || target.startsWith('#')) continue;
        const file = resolve(dirname(page), target.split('#')[0]);
        if (!file.startsWith(ROOT + '/') || !existsSync(file)) {
          broken.push(`${page.slice(ROOT.length + 1)} -> ${target}`);
        }
      }
      if (/\.\.\/shared\b|SPEC\.md/.test(text))
        broken.push(`${page.slice(ROOT.length + 1)} names ../shared or SPEC.md`);
    }
    expect(broken).toEqual([]);
  });

  it('docs/errors.md lists every error code with its retCode and whether it is stored', () => {
    const text = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');
    for (const [code, { retCode, stored }] of Object.entries(ERROR_SPEC)) {
      expect(text).toContain(`| ${retCode} | \`${code}\` |`);
      const row = text.split('\n').find((l) => l.startsWith(`| ${retCode} | \`${code}\` |`))!;
      expect(row.split('|')[4].trim()).toBe(stored ? 'yes' : 'no');
    }
  });

  it('docs/operations.md distributes every table of the migrations on Citus (and none they dropped)', () => {
    const text = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
    const dir = join(ROOT, 'src', 'database', 'migrations');
    const tables = new Set<string>();
    const dropped = new Set<string>();
    // In the order the migrations run (their up(), not their down()): a table a later one drops is not in the schema.
    for (const f of readdirSync(dir).sort()) {
      const up = readFileSync(join(dir, f), 'utf8').split(/async down\(/)[0];
      for (const [, verb, t] of up.matchAll(/(CREATE|DROP) TABLE (\w+)/g)) {
        if (verb === 'CREATE') tables.add(t);
        else if (tables.delete(t)) dropped.add(t);
      }
    }
    expect(tables.size).toBeGreaterThan(0);
    for (const t of tables) {
      expect(text).toMatch(new RegExp(`create_(reference|distributed)_table\\('${t}'`));
    }
    for (const t of dropped) {
      expect(text).not.toMatch(new RegExp(`create_(reference|distributed)_table\\('${t}'`));
    }
  });
});

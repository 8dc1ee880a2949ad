import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The checksums of the landed migrations (`sha256  file` lines, sorted) in
 * src/database/migrations.sha256, so that an edited landed migration is
 * caught (test/migrations.spec.ts) rather than silently applied differently
 * on new databases than on old ones. Paths are of the source tree (`root`:
 * the repository), which the build does not copy.
 */
export const migrationsDir = (root: string) => join(root, 'src', 'database', 'migrations');
export const manifestPath = (root: string) => join(root, 'src', 'database', 'migrations.sha256');

export function migrationHashes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(migrationsDir(root))
    .filter((n) => n.endsWith('.ts'))
    .sort()) {
    out[f] = createHash('sha256')
      .update(readFileSync(join(migrationsDir(root), f)))
      .digest('hex');
  }
  return out;
}

export function readManifest(root: string): Record<string, string> {
  if (!existsSync(manifestPath(root))) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(manifestPath(root), 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
    if (m) out[m[2]] = m[1];
  }
  return out;
}

export function manifestText(hashes: Record<string, string>): string {
  return Object.keys(hashes)
    .sort()
    .map((f) => `${hashes[f]}  ${f}\n`)
    .join('');
}

export type MigrationProblem = { file: string; kind: 'changed' | 'missing' | 'unlisted' };

/** What differs between the manifest and the files: listed files changed or gone, files not listed yet. */
export function checkMigrations(listed: Record<string, string>, actual: Record<string, string>): MigrationProblem[] {
  const problems: MigrationProblem[] = [];
  for (const [file, hash] of Object.entries(listed)) {
    if (!(file in actual)) problems.push({ file, kind: 'missing' });
    else if (actual[file] !== hash) problems.push({ file, kind: 'changed' });
  }
  for (const file of Object.keys(actual)) if (!(file in listed)) problems.push({ file, kind: 'unlisted' });
  return problems;
}

/**
 * `npm run migrations:manifest`: records the SHA-256 of every migration file
 * in src/database/migrations.sha256. A landed migration is never edited, so
 * an existing entry is never changed: the script adds new files and refuses
 * (exit 1) when a listed file changed or disappeared.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkMigrations,
  manifestPath,
  manifestText,
  migrationHashes,
  readManifest,
} from '../src/database/migrations-manifest';

const root = join(__dirname, '..');
const listed = readManifest(root);
const actual = migrationHashes(root);
const broken = checkMigrations(listed, actual).filter((p) => p.kind !== 'unlisted');
if (broken.length) {
  for (const p of broken) console.error(`${p.file}: ${p.kind}; a landed migration is never edited: write a new one`);
  process.exit(1);
}
const merged = { ...actual, ...listed };
writeFileSync(manifestPath(root), manifestText(merged));
console.log(`${manifestPath(root)}: ${Object.keys(merged).length} migrations`);

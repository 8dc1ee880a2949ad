import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `node dist/bench/profile-summary.js <file.cpuprofile | dir> [top]`
 *
 * Self time of a V8 CPU profile (from `--cpu-prof`, e.g. `BENCH_SERVICE_NODE_ARGS="--cpu-prof
 * --cpu-prof-dir=/tmp/prof" npm run bench -- --only spread`), summed by package (the node_modules
 * directory, `node:` internals, our own `dist/`, or a V8 category such as `(garbage collector)`) and by
 * function. A directory means its newest profile. Percentages are of the profile's busy time (idle excluded).
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/dist/');
  return dist >= 0
    ? 'ledger ' +
        url
          .slice(dist + 6)
          .split('/')
          .slice(0, 2)
          .join('/')
    : url;
}

function main(): void {
  let file = process.argv[2];
  const top = Number(process.argv[3] ?? 25);
  if (!file) throw new Error('usage: profile-summary <file.cpuprofile | dir> [top]');
  if (statSync(file).isDirectory()) {
    const files = readdirSync(file)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(file, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    file = files[0];
  }
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const pkg = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    busy += us;
    const k = packageOf(url, functionName);
    pkg.set(k, (pkg.get(k) ?? 0) + us);
    const f = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    fns.set(f, (fns.get(f) ?? 0) + us);
  }
  const show = (title: string, m: Map<string, number>) => {
    console.log(`\n${title} (busy ${(busy / 1000).toFixed(0)} ms)`);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${((100 * us) / busy).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
    }
  };
  console.log(file);
  show('self time by package', pkg);
  show('self time by function', fns);
}

main();

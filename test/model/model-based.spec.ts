import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStep, generate } from './commands';
import { runModel } from './run';

/**
 * The seeded model-based test (issue 14): a random sequence of every
 * operation, with concurrent bursts and faults (SIGKILL of one of the two
 * instances, PostgreSQL stopped at once, dropped answers), each answer
 * checked against the model of the SPEC, and the database against the model
 * at the end. MODEL_SEED reruns a seed, MODEL_STEPS sets the length,
 * MODEL_FAULTS=0 leaves the faults out, MODEL_SHRINK_RUNS bounds the search
 * for the shortest failing prefix.
 */
const seed = process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : Math.floor(Math.random() * 2 ** 31);
const length = Number(process.env.MODEL_STEPS ?? (process.env.MODEL_LONG ? 3000 : 200));
const faults = process.env.MODEL_FAULTS !== '0';
const shrinkRuns = Number(process.env.MODEL_SHRINK_RUNS ?? 6);

const log = (msg: string) => process.stdout.write(`[model seed=${seed}] ${msg}\n`);

describe('model-based run against two instances', () => {
  it(
    `seed ${seed}, ${length} steps${faults ? ', with faults' : ''}: every answer and the final database agree with the model`,
    async () => {
      const steps = generate(seed, length, faults);
      const result = await runModel(steps, log);
      log(
        `${result.ok ? 'passed' : 'FAILED'} in ${Math.round(result.ms / 1000)} s; faults: ${JSON.stringify(result.faults)}`,
      );
      if (result.ok) return;

      // Shrink: the shortest prefix that still fails (bisection; each try is a fresh database and instances).
      let failing = Math.min(result.failedAt! + 1, steps.length);
      let message = result.message!;
      let passing = 0;
      for (let tries = 0; tries < shrinkRuns && failing - passing > 1; tries++) {
        const mid = Math.floor((passing + failing) / 2);
        const r = await runModel(steps.slice(0, mid));
        log(`shrink: ${mid} steps ${r.ok ? 'pass' : 'fail'}`);
        if (r.ok) passing = mid;
        else {
          failing = Math.min(r.failedAt! + 1, mid);
          message = r.message!;
        }
      }
      const file = join(tmpdir(), `model-seed-${seed}-${failing}.json`);
      writeFileSync(file, JSON.stringify(steps.slice(0, failing), null, 1));
      const shown = steps.slice(Math.max(0, failing - 30), failing);
      throw new Error(
        `model run failed: MODEL_SEED=${seed} MODEL_STEPS=${length}${faults ? '' : ' MODEL_FAULTS=0'} ` +
          `(failed at step ${result.failedAt} of ${length})\n` +
          `shortest failing prefix found: ${failing} steps (all in ${file}); its last ${shown.length}:\n` +
          shown.map((s, k) => `  #${failing - shown.length + k} ${describeStep(s)}`).join('\n') +
          `\n${message}` +
          (message === result.message
            ? ''
            : `\n\nthe full run's failure (step ${result.failedAt}):\n${result.message}`),
      );
    },
    180_000 + length * 600 + shrinkRuns * (60_000 + length * 300),
  );
});

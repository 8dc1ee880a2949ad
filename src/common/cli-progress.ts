import { Presets, SingleBar } from 'cli-progress';

/** A progress bar on stderr (drawn only on a terminal), so stdout keeps the summary. */
export function progressBar(what: string, unit = 'accounts'): SingleBar {
  return new SingleBar(
    {
      format: `${what} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
}

/** 1234567 → "1,234,567". */
export function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

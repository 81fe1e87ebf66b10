/**
 * Small helpers shared by the benchmarks: timing loops, percentiles, the machine description,
 * and writing a Markdown section to docs/bench/<area>.md.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Runs `fn` `warmup` times untimed, then `runs` times, and returns the durations in ms. */
export async function timeRuns(fn: () => Promise<unknown> | unknown, runs = 30, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** One line describing the machine and the date, for every results section. */
export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  let kernel = os.release();
  try { kernel = execSync('uname -r', { encoding: 'utf8' }).trim(); } catch { /* keep os.release() */ }
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${kernel}, Node ${process.version}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Writes a results section to docs/bench/<area>.md and echoes it. */
export function writeSection(area: string, markdown: string): void {
  const dir = path.resolve('docs/bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${area}.md`), `${markdown.trim()}\n`);
  process.stdout.write(`${markdown.trim()}\n\n`);
}

/** Formats milliseconds. */
export const ms = (v: number): string => (v < 10 ? v.toFixed(2) : v.toFixed(1));

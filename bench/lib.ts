/**
 * Shared pieces of the benchmarks: timing a command, medians, and a plain-text table. Each benchmark
 * is a module under bench/ exporting `run(): Promise<BenchResult>`; bench/run.ts runs them.
 */
import { spawn } from 'node:child_process';

export interface BenchResult {
  /** Short title printed above the table. */
  title: string;
  /** Column headers, then one row per measured thing (cells already formatted). */
  table: { headers: string[]; rows: string[][] };
  /** What was compared and how, so the figures can be judged. */
  notes: string[];
  /** A line printed as it is after the notes, for scripts to read (e.g. `judge: {…}`). */
  machineLine?: string;
}

export interface Benchmark {
  run(): Promise<BenchResult>;
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('median of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface CommandRun {
  milliseconds: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and returns its wall time (spawn to exit). */
export function timeCommand(command: string, args: readonly string[], cwd: string): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({
        milliseconds: Number(process.hrtime.bigint() - started) / 1e6,
        exitCode: code ?? -1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

/**
 * Measures several contenders in rounds: one warm-up round (file cache, JIT of node itself), then
 * `runs` rounds. Within a round every contender runs once, so drifting machine load hits all alike.
 * Each contender returns the milliseconds of one run.
 */
export async function measureRounds(
  contenders: Record<string, () => Promise<number>>,
  runs: number,
): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (let round = -1; round < runs; round++) {
    for (const [name, once] of Object.entries(contenders)) {
      const milliseconds = await once();
      if (round >= 0) samples[name]!.push(milliseconds);
    }
  }
  return samples;
}

export function formatMs(milliseconds: number): string {
  return `${milliseconds.toFixed(0)} ms`;
}

export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

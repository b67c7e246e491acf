import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyOfRepository, runCli } from '../helpers/cli.ts';

const PROD = 'flags/ons-data-platform-app/production/feature-flags.yaml';
const scratch: string[] = [];
function repo(): string {
  const dir = copyOfRepository();
  scratch.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('flagops validate', () => {
  it('passes on the repository as committed', async () => {
    const run = await runCli(['validate']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^ok: 4 targets in 1 application/m);
    expect(run.code).toBe(0);
  });

  it('reports a bad value at its file and line, with exit 1', async () => {
    const dir = repo();
    const file = join(dir, PROD);
    writeFileSync(file, readFileSync(file, 'utf8').replace('percentage: 0', 'percentage: 150'));
    const run = await runCli(['validate'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^${PROD}:7:\\d+: error: .*(100|maximum)`, 'm'));
  });

  it('reports every problem, not only the first', async () => {
    const dir = repo();
    const file = join(dir, PROD);
    const broken = readFileSync(file, 'utf8')
      .replace('percentage: 0', 'percentage: 150')
      .replace('enable_query_performance_monitoring', 'enable_query_performance_monitorin');
    writeFileSync(file, broken);
    const run = await runCli(['validate', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as { diagnostics: Array<{ code: string; message: string }> };
    expect(out.diagnostics.length).toBeGreaterThanOrEqual(2);
    expect(out.diagnostics.some((d) => /enable_query_performance_monitoring/.test(d.message))).toBe(true);
  });

  it('writes GitHub annotations with --format github', async () => {
    const dir = repo();
    const file = join(dir, PROD);
    writeFileSync(file, readFileSync(file, 'utf8').replace('percentage: 0', 'percentage: 150'));
    const run = await runCli(['validate', '--format', 'github'], { cwd: dir });
    expect(run.stdout).toMatch(
      new RegExp(`^::error file=${PROD.replaceAll('/', '\\/')},line=7,col=\\d+`, 'm'),
    );
  });

  it('rejects unknown options with a usage error (exit 2)', async () => {
    const run = await runCli(['validate', '--formt', 'json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown option --formt \(did you mean --format\?\)/);
  });
});

describe('flagops compile', () => {
  it('prints the production document as AppConfig takes it', async () => {
    const run = await runCli(['compile', '--environment', 'production']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      version: string;
      values: Record<string, { enabled: boolean; percentage?: number }>;
    };
    expect(doc.version).toBe('1');
    expect(doc.values['influxdb_traffic_percentage']).toEqual({ enabled: true, percentage: 0 });
    expect(doc.values['use_influxdb_for_api_queries']).toEqual({ enabled: false });
  });

  it('names the known environments when one is misspelt', async () => {
    const run = await runCli(['compile', '--environment', 'prod']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no environment "prod"; known: development, production/);
  });

  it('requires --environment', async () => {
    const run = await runCli(['compile']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--environment is required/);
  });
});

describe('flagops plan', () => {
  it('shows old → new for a changed percentage and fails an oversized step', async () => {
    const { execFileSync } = await import('node:child_process');
    const dir = repo();
    const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'base');
    const file = join(dir, 'flags/ons-data-platform-app/development/feature-flags.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('percentage: 25', 'percentage: 50'));
    const ok = await runCli(['plan', '--base', 'HEAD', '--format', 'json'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/"before": 25/);
    expect(ok.stdout).toMatch(/"after": 50/);

    writeFileSync(file, readFileSync(file, 'utf8').replace('percentage: 50', 'percentage: 100'));
    const bad = await runCli(['plan', '--base', 'HEAD', '--format', 'markdown'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/at most \+25 per change/);
  });

  it('names a base revision git cannot resolve', async () => {
    const run = await runCli(['plan', '--base', 'no-such-ref-xyz']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--base no-such-ref-xyz: git cannot resolve/);
  });
});

/**
 * `flagops verify` on seeded sandbox data: production serves InfluxDB traffic, the sandbox's
 * scenario publishes per-backend metrics for it, and the guide's acceptance criteria (from the
 * repository's app.yaml) pass on healthy data and fail on degraded latency. Results are recorded as
 * GitHub deployments and the 100 % gate reads them back.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '../../packages/sandbox/src/index.ts';
import { acceptanceQuery, acceptanceWindow, judgeAcceptance } from '../../src/acceptance/criteria.ts';
import {
  gitHubVerificationStore,
  verificationFromEnv,
  verificationProvider,
} from '../../src/acceptance/record.ts';
import { verifyEnvironment } from '../../src/acceptance/verify.ts';
import { parseRepository } from '../../src/github/api.ts';
import { createOctokit } from '../../src/github/octokit.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import type { Application } from '../../src/model/types.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { runRelease } from '../../src/pipeline/release.ts';
import { checkChange } from '../../src/policy/index.ts';
import { type PipelineHarness, PRODUCTION, startPipelineHarness } from '../../testkit/pipeline-harness.ts';
import { runCli } from '../helpers/cli.ts';
import { OUTSIDE_FREEZE, onsRepo } from '../policy/builders.ts';

const repoApp = (): Application => {
  const repo = loadRepository(new WorkingTreeSource(PROJECT_ROOT));
  return repo.applications['ons-data-platform-app']!;
};

describe('acceptance criteria (pure)', () => {
  const app = repoApp();
  const def = app.acceptance!;

  it("states the guide's thresholds as data", () => {
    const rules = Object.values(def.criteria)
      .filter((c) => c.backend === 'influxdb' && c.guard === undefined)
      .map((c) => `${c.name} ${c.passWhen.op} ${c.passWhen.threshold}`);
    expect(rules).toEqual([
      'influxdb-average-response <= 5',
      'influxdb-p95-response <= 10',
      'influxdb-error-rate < 1',
    ]);
    expect(def.criteria['influxdb-p95-response']!.metrics['latency']!.stat).toBe('p95');
    // The guide's "InfluxDB response time ≤ Timestream + 20 %" is the comparative guard's verdict.
    expect(def.criteria['influxdb-latency-vs-timestream']!.guard).toBe('influxdb-latency-vs-timestream');
  });

  it('asks one period as long as the window, ending at the last complete window', () => {
    const now = Date.parse('2026-06-01T12:34:56Z');
    const window = acceptanceWindow(def, now);
    expect(new Date(window.from).toISOString()).toBe('2026-06-01T11:00:00.000Z');
    expect(new Date(window.to).toISOString()).toBe('2026-06-01T12:00:00.000Z');
    const query = acceptanceQuery(def, window, app.guards);
    expect(query.startTime).toBe(window.from);
    const periods = (plan: (typeof query.plans)[number]) =>
      new Set(
        query.queries
          .filter((q) => Object.values(plan.metricIds ?? {}).includes(q.Id))
          .map((q) => q.MetricStat?.Period),
      );
    const [comparative, ...thresholds] = [...query.plans].reverse();
    for (const plan of thresholds) expect(periods(plan)).toEqual(new Set([3600]));
    // The comparative criterion is judged minute by minute, as its guard is during a bake.
    expect(comparative!.guard.name).toBe('influxdb-latency-vs-timestream');
    expect(periods(comparative!)).toEqual(new Set([60]));
  });

  it('fails a required criterion without data and shows an optional one as n/a', () => {
    const window = acceptanceWindow(def, Date.parse('2026-06-01T12:00:00Z'));
    const query = acceptanceQuery(def, window, app.guards);
    const value = (id: string, v: number) => ({ id, timestamps: [window.from], values: [v] });
    const plans = query.plans.map((p) => p.valueId);
    const samples = query.plans.map((p) => p.samplesId);
    // avg 0.8 s, p95 0.9 s, errors 0.3 % with 600 requests; Timestream has no traffic.
    const healthy = [
      value(plans[0]!, 0.8),
      value(plans[1]!, 0.9),
      value(plans[2]!, 0.3),
      value(samples[2]!, 600),
    ];
    const result = judgeAcceptance(def, query, healthy, window);
    // No comparison data at all: the optional comparative criterion is n/a, never a pass.
    expect(result.rows.map((r) => r.outcome)).toEqual(['pass', 'pass', 'pass', 'n/a', 'n/a']);
    expect(result.passed).toBe(true);

    const without = judgeAcceptance(def, query, healthy.slice(1), window);
    expect(without.rows[0]!.outcome).toBe('no-data');
    expect(without.passed).toBe(false);

    const slow = judgeAcceptance(def, query, [value(plans[0]!, 5.01), ...healthy.slice(1)], window);
    expect(slow.rows[0]!.outcome).toBe('fail');
    expect(slow.passed).toBe(false);
  });
});

describe('flagops verify on the sandbox', () => {
  let h: PipelineHarness;
  const app = repoApp();
  const store = () => {
    const octokit = createOctokit({
      token: h.sandbox.env['GITHUB_TOKEN']!,
      baseUrl: h.sandbox.env['GITHUB_API_URL']!,
      sleep: async () => {},
    });
    return gitHubVerificationStore(octokit, parseRepository(h.sandbox.env['GITHUB_REPOSITORY'])!);
  };
  const verifyNow = () =>
    verifyEnvironment({
      app,
      environment: 'production',
      cloudwatch: h.aws.cloudwatch,
      now: h.clock.now(),
      store: store(),
    });
  const advanceMinutes = (minutes: number) => h.control('clock', { advanceSeconds: minutes * 60 });

  beforeAll(async () => {
    h = await startPipelineHarness({ scenario: 'healthy' });
    await bootstrap(h.ctx, h.snapshot().repo);
    h.setPercentage('production', 75);
    const released = await runRelease({
      target: PRODUCTION,
      aws: h.aws,
      clock: h.clock,
      content: h.provider(() => 'aaaa75'),
      bake: false,
    });
    expect(released.status).toBe('deployed');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await h?.close();
  });

  it('passes on healthy traffic and records the pass', async () => {
    await advanceMinutes(125);
    const outcome = await verifyNow();
    const byName = Object.fromEntries(outcome.result.rows.map((r) => [r.criterion, r]));
    expect(byName['influxdb-average-response']!.value).toBeGreaterThan(0.6);
    expect(byName['influxdb-average-response']!.value).toBeLessThan(1);
    expect(byName['influxdb-p95-response']!.value).toBeGreaterThanOrEqual(
      byName['influxdb-average-response']!.value!,
    );
    // 75 % of 1 200 queries a minute for an hour.
    expect(byName['influxdb-error-rate']!.samples).toBe(54_000);
    expect(outcome.result.rows.map((r) => r.outcome)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    // The comparison is shown inside the margin: its whole interval lies below 1.2× Timestream.
    const comparison = byName['influxdb-latency-vs-timestream']!;
    expect(comparison.interval![1]).toBeLessThan(1.2);
    expect(comparison.interval![0]).toBeLessThanOrEqual(comparison.value!);
    expect(outcome.result.passed).toBe(true);
    expect(outcome.record?.passed).toBe(true);
    const latest = await store().latest('production');
    expect(latest).toMatchObject({ passed: true, id: outcome.record!.id });
  });

  it('fails when InfluxDB answers slowly, and the failure supersedes the earlier pass', async () => {
    await h.control('scenario', { name: 'influxdb-latency-degraded' });
    // Two hours: the last complete (hour-aligned) window then lies wholly after the switch.
    await advanceMinutes(125);
    const outcome = await verifyNow();
    expect(outcome.result.rows.map((r) => [r.criterion, r.outcome])).toEqual([
      ['influxdb-average-response', 'fail'],
      ['influxdb-p95-response', 'fail'],
      ['influxdb-error-rate', 'pass'],
      ['timestream-error-rate', 'pass'],
      ['influxdb-latency-vs-timestream', 'fail'],
    ]);
    const comparison = outcome.result.rows.at(-1)!;
    expect(comparison.interval![0]).toBeGreaterThan(1.2);
    expect(outcome.result.passed).toBe(false);
    expect((await store().latest('production'))?.passed).toBe(false);
  });

  it('refuses 75 → 100 % until a passing verification is recorded, and only while it is recent', async () => {
    const base = onsRepo({ percentage: 75 }, { percentage: 100 }, { app });
    const head = onsRepo({ percentage: 100 }, { percentage: 100 }, { app });
    const gate = async (now: Date) => {
      const provider = await verificationProvider(store(), ['production']);
      return checkChange(base, head, { now, verification: provider }).filter((f) => f.rule === 'acceptance');
    };
    const now = new Date(h.clock.now());
    const failed = await gate(now);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toContain('FAILED');
    expect(failed[0]!.position).toMatchObject({ line: 6 });

    await h.control('scenario', { name: 'healthy' });
    await advanceMinutes(125);
    await verifyNow();
    expect(await gate(new Date(h.clock.now()))).toEqual([]);
    // What the CLI and the plan action use: the same records, found from the environment.
    const fromEnv = await verificationFromEnv({ ...h.sandbox.env }, head);
    expect(fromEnv?.latest(PRODUCTION)?.passed).toBe(true);
    expect(await verificationFromEnv({ ...h.sandbox.env, GITHUB_TOKEN: '' }, head)).toBeUndefined();
    const stale = await gate(new Date(h.clock.now() + (app.acceptance!.maxAgeMinutes + 5) * 60_000));
    expect(stale[0]!.message).toMatch(/min old/);

    // Without any way to read the records the gate fails closed; lowering is never gated.
    expect(checkChange(base, head, { now: OUTSIDE_FREEZE }).some((f) => f.rule === 'acceptance')).toBe(true);
    expect(checkChange(head, base, { now: OUTSIDE_FREEZE }).some((f) => f.rule === 'acceptance')).toBe(false);
  });

  it('flagops verify prints the table, records it, and exits 0 on a pass and 1 on a failure', async () => {
    const env = { ...h.sandbox.env };
    // The SDK reads its endpoint and credentials from the process environment, as in a real shell.
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    const passed = await runCli(['verify', '--environment', 'production'], { env });
    expect(passed.stderr).toBe('');
    expect(passed.stdout).toMatch(/influxdb-p95-response\s+influxdb\s+0\.\d+ s\s+<= 10 s\s+PASS/);
    expect(passed.stdout).toMatch(
      /influxdb-latency-vs-timestream\s+influxdb\s+[\d.]+ \[[\d.]+, [\d.]+\] × control\s+upper bound ≤ 1\.2× control\s+PASS/,
    );
    expect(passed.stdout).toContain('verification PASSED');
    expect(passed.stdout).toContain('recorded: ');
    expect(passed.code).toBe(0);

    await h.control('scenario', { name: 'influxdb-latency-degraded' });
    await advanceMinutes(125);
    // The clock seam's origin holds until the clock is moved: a shell asks the sandbox again after.
    const later = { ...h.sandbox.env };
    for (const [k, v] of Object.entries(later)) vi.stubEnv(k, v);
    const failed = await runCli(['verify', '--environment', 'production', '--json', '--no-record'], {
      env: later,
    });
    expect(failed.code).toBe(1);
    const body = JSON.parse(failed.stdout) as { result: { passed: boolean }; record?: unknown };
    expect(body.result.passed).toBe(false);
    expect(body.record).toBeUndefined();
    // Not recorded: the newest record is still the pass.
    expect((await store().latest('production'))?.passed).toBe(true);

    const unknown = await runCli(['verify', '--environment', 'staging'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /environment staging is not declared in flags\/ons-data-platform-app\/app.yaml/,
    );
  });
});

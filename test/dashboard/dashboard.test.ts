/**
 * The dashboard as code: the body computed from the guards (both backends, thresholds, deployment
 * markers) passes the sandbox's check of AWS's body structure; bootstrap writes it, `--check`
 * reports a hand edit made with the AWS CLI, `--apply` restores it and re-runs write nothing; and
 * the README's block of the guide's diagnostic and monitoring commands runs on the sandbox.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { validateBody } from '../../packages/sandbox/src/cloudwatch/dashboards.ts';
import { type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { dashboardBody, sameBody } from '../../src/dashboard/body.ts';
import { loadWorkingTree } from '../../src/model/revision.ts';
import { AWS_CLI, assertAwsCli, awsCli, awsEnv } from '../helpers/aws-cli.ts';
import { PROJECT_ROOT, runCli } from '../helpers/cli.ts';

const DASHBOARD = 'ons-data-platform-production-traffic-switching';
const app = loadWorkingTree(PROJECT_ROOT).applications['ons-data-platform-app']!;
const production = app.environments.find((e) => e.name === 'production')!;
const guards = production.guards.map((g) => app.guards[g]!);

describe('dashboardBody', () => {
  const body = dashboardBody({
    application: app.name,
    environment: 'production',
    region: 'eu-west-2',
    guards,
    deployments: [
      { number: 1, startedAt: Date.UTC(2026, 0, 5, 10), version: '3' },
      { number: 2, startedAt: Date.UTC(2026, 0, 5, 11), version: '4' },
    ],
  });
  const widgets = body['widgets'] as Array<{ type: string; properties: Record<string, unknown> }>;
  const graph = (title: string) => widgets.find((w) => w.properties['title'] === title)!.properties;

  it('names the guide dashboard and passes the documented body structure', () => {
    expect(production.dashboard).toBe(DASHBOARD);
    expect(validateBody(JSON.stringify(body))).toEqual([]);
    expect(widgets.filter((w) => w.type === 'metric')).toHaveLength(guards.length);
  });

  it('draws each single-backend guard for both backends, with its threshold and the deployments', () => {
    const errorRate = app.guards['influxdb-error-rate']!;
    const p = graph(errorRate.description!);
    const expressions = (p['metrics'] as unknown[][])
      .filter((m) => typeof m[0] === 'object')
      .map((m) => m[0] as { expression: string; label: string });
    expect(expressions).toEqual([
      { expression: '100 * errors / requests', label: 'influxdb-error-rate (influxdb)', id: 'value' },
      { expression: '100 * errors_1 / requests_1', label: 'influxdb-error-rate (timestream)', id: 'value_1' },
    ]);
    expect(p['metrics']).toContainEqual([
      'ONS/TrafficSwitching',
      'ErrorCount',
      'Backend',
      'timestream',
      { id: 'errors_1', stat: 'Sum', visible: false },
    ]);
    expect(p['annotations']).toEqual({
      horizontal: [{ label: 'influxdb-error-rate breaches > 5', value: 5 }],
      vertical: [
        { value: '2026-01-05T10:00:00.000Z', label: 'deployment 1 (version 3)' },
        { value: '2026-01-05T11:00:00.000Z', label: 'deployment 2 (version 4)' },
      ],
    });
  });
});

describe('a dashboard compared with the guards', () => {
  const deployment = (number: number) => ({
    number,
    startedAt: Date.UTC(2026, 0, 5, 9 + number),
    version: `${number}`,
  });
  const bodyWith = (deployments: number[], threshold = 5) =>
    dashboardBody({
      application: app.name,
      environment: 'production',
      region: 'eu-west-2',
      guards: guards.map((g) =>
        g.name === 'influxdb-error-rate' ? { ...g, breachWhen: { ...g.breachWhen, threshold } } : g,
      ),
      deployments: deployments.map(deployment),
    });

  it('is behind, not changed by hand, when only deployments since it was written are missing', () => {
    const written = JSON.stringify(bodyWith([1]));
    expect(sameBody(written, bodyWith([1, 2]))).toBe(false);
    expect(sameBody(written, bodyWith([1, 2]), true)).toBe(true);
  });

  it('is changed by hand when anything but the markers differs', () => {
    const edited = JSON.stringify(bodyWith([1, 2], 50));
    expect(sameBody(edited, bodyWith([1, 2]), true)).toBe(false);
    expect(sameBody('{"widgets":[]}', bodyWith([]), true)).toBe(false);
    expect(sameBody('not json', bodyWith([]), true)).toBe(false);
  });
});

describe('on the sandbox', () => {
  let sandbox: Sandbox;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    assertAwsCli();
    sandbox = await startSandbox({ speed: 600 });
    env = { ...sandbox.env };
    for (const [k, v] of Object.entries(sandbox.env)) vi.stubEnv(k, v);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await sandbox?.close();
  });

  it('bootstrap writes the dashboard; --check sees a hand edit; --apply restores it; re-runs write nothing', async () => {
    const boot = await runCli(['bootstrap'], { env });
    expect(boot.code, boot.stderr).toBe(0);
    expect(boot.stdout).toContain(`dashboard ${DASHBOARD} (ons-data-platform-app/production): created`);
    const clean = await runCli(['dashboard', '--check'], { env });
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain('matches the guards');

    const edit = await awsCli(sandbox.url, [
      'cloudwatch',
      'put-dashboard',
      '--dashboard-name',
      DASHBOARD,
      '--dashboard-body',
      JSON.stringify({ widgets: [{ type: 'text', properties: { markdown: 'edited by hand' } }] }),
    ]);
    expect(edit.code, edit.stderr).toBe(0);
    const drifted = await runCli(['dashboard', '--check'], { env });
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toContain('changed outside git');
    const drift = await runCli(['drift', '--json', '--no-issue'], { env });
    expect(drift.code, drift.stderr).toBe(1);
    expect(JSON.parse(drift.stdout).dashboards).toEqual([
      {
        application: 'ons-data-platform-app',
        environment: 'production',
        dashboard: DASHBOARD,
        state: 'drifted',
      },
    ]);
    expect((await runCli(['drift', '--no-issue'], { env })).stdout).toContain(
      `dashboard ${DASHBOARD} (ons-data-platform-app/production): changed outside git`,
    );

    const applied = await runCli(['dashboard', '--apply'], { env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('updated from the guards');
    const again = await runCli(['dashboard', '--apply'], { env });
    expect(again.stdout).toContain('matches the guards');
    expect((await runCli(['dashboard', '--check'], { env })).code).toBe(0);
    const after = JSON.parse((await runCli(['drift', '--json', '--no-issue'], { env })).stdout);
    expect(after.dashboards.map((d: { state: string }) => d.state)).toEqual(['unchanged']);
  }, 120_000);

  it("the README's block of the guide's commands runs with Debian's AWS CLI", async () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf("### The guide's diagnostic and monitoring commands"));
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBeDefined();
    // `flagops` and `aws` on PATH as a user has them: the project's bin and Debian's CLI.
    const bin = mkdtempSync(join(tmpdir(), 'flagops-bin-'));
    writeFileSync(
      join(bin, 'flagops'),
      `#!/bin/sh\nexec "${process.execPath}" "${join(PROJECT_ROOT, 'bin', 'flagops.mjs')}" "$@"\n`,
    );
    writeFileSync(join(bin, 'aws'), `#!/bin/sh\nexec ${AWS_CLI} "$@"\n`);
    chmodSync(join(bin, 'flagops'), 0o755);
    chmodSync(join(bin, 'aws'), 0o755);
    const shellEnv = { ...awsEnv(), ...sandbox.env, PATH: `${bin}:${process.env['PATH']}` };
    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
      execFile(
        'bash',
        ['-euo', 'pipefail', '-c', block as string],
        { env: shellEnv, timeout: 120_000 },
        (err, stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(out.code, out.stderr).toBe(0);
    const stats = JSON.parse(out.stdout.slice(0, out.stdout.indexOf('\n}\n') + 2)) as {
      Label: string;
      Datapoints: Array<{ Sum: number; Unit: string }>;
    };
    expect(stats.Label).toBe('RequestCount');
    expect(stats.Datapoints.length).toBeGreaterThan(0);
    expect(stats.Datapoints.every((d) => d.Unit === 'Count' && typeof d.Sum === 'number')).toBe(true);
    expect(out.stdout).toMatch(
      /^ons-data-platform-influxdb-migration-error-rate\t(OK|ALARM|INSUFFICIENT_DATA)$/m,
    );
    expect(out.stdout.trim().endsWith(DASHBOARD)).toBe(true);
  }, 120_000);
});

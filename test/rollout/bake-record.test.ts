/**
 * The bake record on the sandbox's GitHub: written once per baked deployment (re-recording writes
 * nothing), read back with the newest status as the verdict, and used by the dwell rule — an
 * increase is refused until the current step's record is healthy, of the content the base compiles
 * to, and old enough.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { parseRepository } from '../../src/github/api.ts';
import { createOctokit } from '../../src/github/octokit.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import { checkTransition } from '../../src/policy/index.ts';
import {
  type BakeFacts,
  type BakeRecord,
  compiledHash,
  dwellFromEnv,
  dwellFromRecords,
  gitHubBakeStore,
  parseFacts,
} from '../../src/rollout/bake-record.ts';
import { releaseOf } from '../../src/rollout/release-store.ts';
import { copyOfRepository, runCli } from '../helpers/cli.ts';
import { OUTSIDE_FREEZE, onsRepo } from '../policy/builders.ts';

const MIN = 60_000;
const PRODUCTION = {
  application: 'ons-data-platform-app',
  environment: 'production',
  profile: 'feature-flags',
};
const DEV_AHEAD = { percentage: 100 };
const base = onsRepo({ percentage: 10 }, DEV_AHEAD);
const head = onsRepo({ percentage: 25 }, DEV_AHEAD);

let sandbox: Sandbox;
let seed: string;
const store = () =>
  gitHubBakeStore(
    createOctokit({
      token: sandbox.env['GITHUB_TOKEN']!,
      baseUrl: sandbox.env['GITHUB_API_URL']!,
      sleep: async () => {},
    }),
    parseRepository(sandbox.env['GITHUB_REPOSITORY'])!,
  );
const facts = (over: Partial<BakeFacts> = {}): BakeFacts => ({
  target: 'ons-data-platform-app/production/feature-flags',
  environment: 'production',
  deploymentNumber: 3,
  contentHash: compiledHash(base, PRODUCTION)!,
  window: { from: OUTSIDE_FREEZE.getTime() - 40 * MIN, to: OUTSIDE_FREEZE.getTime() - 15 * MIN },
  completedAt: OUTSIDE_FREEZE.getTime() - 30 * MIN,
  verdict: 'healthy',
  ...over,
});
const dwellFindings = async (now = OUTSIDE_FREEZE) => {
  const dwell = await dwellFromEnv(sandbox.env, base);
  expect(dwell).toBeDefined();
  return checkTransition(base, head, { now, dwell: dwell! }).filter((f) => f.rule === 'dwell');
};

beforeAll(async () => {
  seed = mkdtempSync(join(tmpdir(), 'flagops-bake-record-'));
  writeFileSync(join(seed, 'README.md'), 'seed\n');
  sandbox = await startSandbox({ speed: 0, seedDir: seed });
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(seed, { recursive: true, force: true });
});

describe('bake records', () => {
  it('refuses the next increase while no bake of the current step is recorded', async () => {
    const findings = await dwellFindings();
    expect(findings.map((f) => f.severity)).toEqual(['error']);
    expect(findings[0]!.message).toContain('no bake of the current step is recorded');
  });

  it('ignores a record of other content, and an unverified bake does not start the dwell', async () => {
    await store().record(facts({ deploymentNumber: 2, contentHash: 'ffffffffffffffff' }), 'main');
    expect((await dwellFindings())[0]!.message).toContain('is of other content than the current step');
    expect((await dwellFindings())[0]!.severity).toBe('error');
    await store().record(facts({ verdict: 'unverified' }), 'main');
    expect((await dwellFindings())[0]!.message).toContain(
      "the current step's bake (deployment 3) is unverified",
    );
  });

  it('counts a healthy record from its completion, and only once dwell_minutes have passed', async () => {
    const record = await store().record(facts({ deploymentNumber: 4 }), 'main');
    expect(record.verdict).toBe('healthy');
    // Re-recording the same bake is the same record.
    expect((await store().record(facts({ deploymentNumber: 4 }), 'main')).id).toBe(record.id);
    expect(await store().latest(PRODUCTION)).toMatchObject({ id: record.id, verdict: 'healthy' });
    const early = await dwellFindings(new Date(OUTSIDE_FREEZE.getTime() - 20 * MIN));
    expect(early[0]!.message).toContain('baked healthy for 10 min; 15 min are required');
    expect(early[0]!.severity).toBe('error');
    expect(await dwellFindings()).toEqual([]);
  });

  it('reads a later revision as the verdict (a breach found by the soak watch)', async () => {
    const latest = (await store().latest(PRODUCTION))!;
    const breached = { ...releaseOf(latest), verdict: 'breached' as const };
    const outcome = await store().write(latest, breached, 'soak breach: influxdb-error-rate');
    expect(outcome.won).toBe(true);
    expect(await store().latest(PRODUCTION)).toMatchObject({
      verdict: 'breached',
      release: { verdict: 'breached', revision: 1 },
    });
    expect((await dwellFindings())[0]!.message).toContain('is breached');
  });

  it('keeps a record written from a commit GitHub does not have, on the default branch', async () => {
    const development = { ...PRODUCTION, environment: 'development' };
    const written = await store().record(
      facts({
        target: 'ons-data-platform-app/development/feature-flags',
        environment: 'development',
        deploymentNumber: 9,
        verdict: 'breached',
      }),
      'local',
    );
    const { data } = await createOctokit({
      token: sandbox.env['GITHUB_TOKEN']!,
      baseUrl: sandbox.env['GITHUB_API_URL']!,
    }).rest.repos.getDeployment({
      ...parseRepository(sandbox.env['GITHUB_REPOSITORY'])!,
      deployment_id: written.id,
    });
    expect(data.ref).toBe('main');
    expect(await store().latest(development)).toMatchObject({ deploymentNumber: 9, verdict: 'breached' });
  });

  it('takes a payload only when every field has its type', () => {
    expect(parseFacts(JSON.stringify(facts()))).toEqual(facts());
    expect(parseFacts({ ...facts(), contentHash: 'nope' })).toBeUndefined();
    expect(parseFacts({ ...facts(), verdict: 'great' })).toBeUndefined();
    expect(parseFacts('not json')).toBeUndefined();
  });
});

describe('flagops set-percentage after enable-queries (the soak is a dwell)', () => {
  it('refuses 0 → 10 until the enable step has soaked 15 min, then writes it', async () => {
    const dir = copyOfRepository();
    try {
      const file = join(dir, 'flags/ons-data-platform-app/production/feature-flags.yaml');
      // Production after `enable-queries`: queries on, 0 %, deployed and baked (no data at 0 %).
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          'use_influxdb_for_api_queries: { enabled: false }',
          'use_influxdb_for_api_queries: { enabled: true }',
        ),
      );
      const enabled = loadRepository(new WorkingTreeSource(dir));
      const completedAt = Date.parse('2026-06-01T12:00:00Z');
      await store().record(
        facts({
          deploymentNumber: 9,
          contentHash: compiledHash(enabled, PRODUCTION)!,
          completedAt,
          window: { from: completedAt - 15 * MIN, to: completedAt + 15 * MIN },
          verdict: 'no-data',
        }),
        'main',
      );
      const env = { ...sandbox.env };
      const args = ['set-percentage', '--environment', 'production', '--percentage', '10'];
      const early = await runCli(args, {
        cwd: dir,
        env: { ...env, FLAGOPS_NOW: new Date(completedAt + 5 * MIN).toISOString() },
      });
      expect(early.code).toBe(1);
      expect(early.stderr).toContain('soaked for 5 min; 15 min are required before the next increase');
      expect(readFileSync(file, 'utf8')).toContain('percentage: 0');
      const later = await runCli(args, {
        cwd: dir,
        env: { ...env, FLAGOPS_NOW: new Date(completedAt + 16 * MIN).toISOString() },
      });
      expect(later.stderr).toBe('');
      expect(later.code).toBe(0);
      expect(readFileSync(file, 'utf8')).toContain('percentage: 10');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the dwell after a rollback', () => {
  const record = (over: Partial<BakeRecord>): BakeRecord => ({ ...facts(), id: 1, ...over });
  const rolledBackAt = OUTSIDE_FREEZE.getTime() - 20 * MIN;
  const history = [
    // 25 % baked healthy as deployment 4; 50 % (deployment 5) breached and was rolled back to it.
    record({
      id: 5,
      deploymentNumber: 5,
      contentHash: compiledHash(head, PRODUCTION)!,
      verdict: 'breached',
      window: { from: rolledBackAt - 10 * MIN, to: rolledBackAt + MIN },
    }),
    record({ id: 4, deploymentNumber: 4 }),
  ];
  const findings = (records: BakeRecord[], now: Date, rollbackAt?: number) => {
    const stored =
      rollbackAt === undefined ? records : records.map((r, i) => (i === 0 ? withRollback(r, rollbackAt) : r));
    const dwell = dwellFromRecords(
      new Map([['ons-data-platform-app/production/feature-flags', stored]]),
      (t) => compiledHash(base, t),
    );
    return checkTransition(base, head, { now, dwell }).filter((f) => f.rule === 'dwell');
  };

  it('counts the restored step from when it served again, not as other content', () => {
    // The window's end stands in for the rollback time of a record that does not say it.
    expect(findings(history, new Date(rolledBackAt + 10 * MIN))[0]!.message).toContain(
      'baked healthy for 9 min; 15 min are required',
    );
    expect(findings(history, new Date(rolledBackAt + 20 * MIN))).toEqual([]);
  });

  it('takes the rollback time the release record holds', () => {
    expect(findings(history, new Date(rolledBackAt + 10 * MIN), rolledBackAt)[0]!.message).toContain(
      'baked healthy for 10 min; 15 min are required',
    );
  });

  it('still refuses while a later release of other content was not rolled back', () => {
    const running = [{ ...history[0]!, verdict: 'healthy' as const }, history[1]!];
    expect(findings(running, new Date(rolledBackAt + 60 * MIN))[0]!.message).toContain(
      'the newest recorded bake (deployment 5) is of other content than the current step',
    );
  });
});

function withRollback(r: BakeRecord, at: number): BakeRecord {
  return {
    ...r,
    release: {
      version: 1,
      target: r.target,
      deploymentNumber: r.deploymentNumber,
      revision: 2,
      deployed: { contentHash: r.contentHash },
      bake: r.window,
      guards: {},
      verdict: 'breached',
      rollback: { action: 'reverted', at, by: 'flagops' },
    },
  };
}

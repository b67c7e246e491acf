/**
 * The release record's storage on the sandbox's GitHub: one `flagops:bake` deployment per revision,
 * written with the conditional update. Two writers from the same read: exactly one wins, the other
 * is told it lost and reads the winner's data. Readers take the newest revision; a superseded one
 * is retired. A record written before records were data (its soak progress as prose) migrates on
 * read, and a payload's record that is not of its own release, or not of the schema, or carries
 * control characters, is ignored.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { BAKE_TASK } from '../../src/core/names.ts';
import { parseRepository } from '../../src/github/api.ts';
import { createOctokit } from '../../src/github/octokit.ts';
import type { ReleaseRecord } from '../../src/release/record.ts';
import { type BakeFacts, gitHubBakeStore } from '../../src/rollout/bake-record.ts';
import { releaseOf } from '../../src/rollout/release-store.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-06-01T12:00:00Z');
const HASH = '0123456789abcdef';
let sandbox: Sandbox;
let seed: string;

const octokit = () =>
  createOctokit({
    token: sandbox.env['GITHUB_TOKEN']!,
    baseUrl: sandbox.env['GITHUB_API_URL']!,
    sleep: async () => {},
  });
const repo = () => parseRepository(sandbox.env['GITHUB_REPOSITORY'])!;
const store = () => gitHubBakeStore(octokit(), repo());
const ref = { application: 'app', environment: 'production', profile: 'flags' };

function facts(deploymentNumber: number, release?: Partial<ReleaseRecord>): BakeFacts {
  const window = { from: T0, to: T0 + 25 * MIN };
  return {
    target: 'app/production/flags',
    environment: 'production',
    deploymentNumber,
    contentHash: HASH,
    window,
    completedAt: T0 + 10 * MIN,
    verdict: 'healthy',
    ...(release
      ? {
          release: {
            version: 1,
            target: 'app/production/flags',
            deploymentNumber,
            revision: 1,
            deployed: { contentHash: HASH },
            completedAt: T0 + 10 * MIN,
            bake: window,
            soak: { until: T0 + 130 * MIN, through: window.to },
            guards: {},
            verdict: 'healthy',
            ...release,
          },
        }
      : {}),
  };
}

/** The bake-record deployments of a release, as GitHub lists them. */
async function stored(deploymentNumber: number) {
  const { data } = await octokit().rest.repos.listDeployments({
    ...repo(),
    task: BAKE_TASK,
    environment: 'production',
  });
  return data.filter(
    (d) => (d.payload as { deploymentNumber?: number }).deploymentNumber === deploymentNumber,
  );
}

beforeAll(async () => {
  seed = mkdtempSync(join(tmpdir(), 'flagops-release-store-'));
  writeFileSync(join(seed, 'README.md'), 'seed\n');
  sandbox = await startSandbox({ speed: 0, seedDir: seed });
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(seed, { recursive: true, force: true });
});

describe('the release record store', () => {
  it('lets exactly one of two writers from the same revision win; the loser reads the winner', async () => {
    const read = await store().record(facts(3, {}), 'main');
    expect(read.release?.revision).toBe(1);
    const soaked = { ...releaseOf(read), soak: { until: T0 + 130 * MIN, through: T0 + 40 * MIN } };
    const rolledBack: ReleaseRecord = {
      ...releaseOf(read),
      verdict: 'breached',
      rollback: { action: 'reverted', at: T0 + 41 * MIN, by: 'flagops rollback' },
    };
    const [a, b] = await Promise.all([
      store().write(read, soaked, 'soak watched through …'),
      store().write(read, rolledBack, 'rolled back'),
    ]);
    expect([a.won, b.won].sort()).toEqual([false, true]);
    const winner = a.won ? a.record : b.won ? b.record : undefined;
    const loser = a.won ? b : a;
    if (loser.won) throw new Error('both won');
    expect(loser.current?.id).toBe(winner!.id);
    expect(loser.current?.release).toEqual(winner!.release);
    expect(loser.current?.release?.revision).toBe(2);
    // Readers take the winner; the read revision and the loser's are gone.
    expect((await store().latest(ref))?.release).toEqual(winner!.release);
    expect((await stored(3)).map((d) => d.id)).toEqual([winner!.id]);
  });

  it('refuses a write from a revision another writer has superseded', async () => {
    const read = (await store().latest(ref))!;
    const next = { ...releaseOf(read), hold: { reason: 'held by revert pull request #7' } };
    const first = await store().write(read, next);
    expect(first.won).toBe(true);
    const stale = await store().write(read, { ...releaseOf(read), revert: { pullRequest: 8 } });
    expect(stale).toMatchObject({ won: false, current: { release: { revision: 3, hold: next.hold } } });
    expect((await store().latest(ref))?.release?.revert).toBeUndefined();
  });

  it('reads the newest revision, and the verdict beside it for the dwell rule', async () => {
    const read = (await store().latest(ref))!;
    const breached: ReleaseRecord = {
      ...releaseOf(read),
      verdict: 'breached',
      rollback: { action: 'stopped', at: T0 + 50 * MIN, by: 'CLOUDWATCH_ALARM' },
    };
    expect((await store().write(read, breached)).won).toBe(true);
    const latest = (await store().latest(ref))!;
    expect(latest).toMatchObject({ verdict: 'breached', release: { revision: 4, verdict: 'breached' } });
    const { data } = await octokit().rest.repos.listDeploymentStatuses({
      ...repo(),
      deployment_id: latest.id,
    });
    expect(data[0]).toMatchObject({ state: 'failure', description: 'flagops record r4 breached' });
  });

  it('migrates a record written before records were data (its soak progress as prose)', async () => {
    const { data } = await octokit().rest.repos.createDeployment({
      ...repo(),
      ref: 'main',
      task: BAKE_TASK,
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
      payload: { ...facts(5) },
    });
    if (!('id' in data)) throw new Error('no deployment');
    const through = T0 + 70 * MIN;
    await octokit().rest.repos.createDeploymentStatus({
      ...repo(),
      deployment_id: data.id,
      state: 'success',
      description: `soak watched through ${new Date(through).toISOString()} (60 of 120 min)`,
      auto_inactive: false,
    });
    const old = (await store().latest(ref))!;
    expect(old).toMatchObject({ id: data.id, deploymentNumber: 5, verdict: 'healthy' });
    expect(old.release).toBeUndefined();
    const migrated = releaseOf(old, T0 + 130 * MIN);
    expect(migrated).toMatchObject({ revision: 0, soak: { until: T0 + 130 * MIN, through } });
    // Its first write as data is revision 1; the old record is retired.
    const written = await store().write(old, {
      ...migrated,
      soak: { until: T0 + 130 * MIN, through: through + MIN },
    });
    expect(written.won).toBe(true);
    expect((await store().latest(ref))?.release).toMatchObject({
      revision: 1,
      soak: { through: through + MIN },
    });
    expect((await stored(5)).map((d) => d.id)).not.toContain(data.id);
  });

  it('ignores a payload whose record is not of its own release, or not of the schema', async () => {
    const forged = facts(6, { target: 'other/production/flags' });
    const bad = facts(7, { verdict: 'great' as never });
    // A string that would reach a terminal as an escape sequence.
    const escaping = facts(8, { rollback: { action: 'stopped', at: T0, by: '\u001b[2Jsomeone' } });
    for (const f of [forged, bad, escaping]) {
      const { data } = await octokit().rest.repos.createDeployment({
        ...repo(),
        ref: 'main',
        task: BAKE_TASK,
        environment: 'production',
        auto_merge: false,
        required_contexts: [],
        payload: { ...f },
      });
      if (!('id' in data)) throw new Error('no deployment');
      const latest = (await store().latest(ref))!;
      expect(latest.deploymentNumber).toBe(f.deploymentNumber);
      expect(latest.release).toBeUndefined();
    }
  });

  it("keeps GitHub's rule: an active deployment is not deleted while others exist", async () => {
    const latest = (await store().latest(ref))!;
    await expect(
      octokit().rest.repos.deleteDeployment({ ...repo(), deployment_id: latest.id }),
    ).rejects.toMatchObject({
      status: 422,
    });
  });
});

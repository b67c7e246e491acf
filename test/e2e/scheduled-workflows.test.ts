/**
 * The scheduled workflows (drift.yml, advance.yml, watch.yml) run by the sandbox's runner on the
 * project as seeded, started through their `workflow_dispatch` trigger (the same jobs their crons
 * start; test/actions/schedule.test.ts covers the crons themselves). The test acts only as people
 * do — git pushes, the GitHub REST API as sandbox users, AWS through the real SDK — and asserts
 * outcomes that hold however the free-running clock interleaves with the runs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { createAws } from '../../src/aws/index.ts';
import { loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { clockFollowing } from '../../src/pipeline/clock.ts';
import { makeContext } from '../../src/pipeline/context.ts';
import { git } from '../helpers/git.ts';
import { APP, REPO, workflowSandbox } from '../helpers/workflow-sandbox.ts';

const DIR = `flags/${APP}`;

let tmp: string;
let sandbox: Sandbox;
let clone: string;
const { user, idle, control, dispatch, runsOf, deployBehindGitsBack, servedPercentage } = workflowSandbox(
  () => sandbox,
);

/** Edit files of main as a person would: pull, change, commit, push. */
function pushToMain(edits: Record<string, (text: string) => string>, message: string): void {
  git(clone, 'pull', '--quiet', '--rebase', 'origin', 'main');
  for (const [path, edit] of Object.entries(edits)) {
    const file = join(clone, path);
    const before = readFileSync(file, 'utf8');
    const after = edit(before);
    expect(after, `${path} changed`).not.toBe(before);
    writeFileSync(file, after);
  }
  git(clone, 'commit', '--quiet', '-am', message);
  git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
}

const queriesOn = (text: string) =>
  text.replace(
    'use_influxdb_for_api_queries: { enabled: false }',
    'use_influxdb_for_api_queries: { enabled: true }',
  );

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flagops-e2e-scheduled-'));
  // February 2027: clear of app.yaml's year-end freeze however long the runs take at speed 1200.
  sandbox = await startSandbox({
    workDir: join(tmp, 'work'),
    speed: 1200,
    start: Date.UTC(2027, 1, 1),
    workflows: true,
    protectMain: false,
  });
  const aws = createAws({
    endpoint: sandbox.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    retryBaseDelayMs: 100 / sandbox.clock.speed,
  });
  await bootstrap(
    makeContext({ aws, clock: clockFollowing(sandbox.clock), reporter: { emit: () => {} } }),
    loadRepository(new WorkingTreeSource(PROJECT_ROOT)),
  );
  clone = join(tmp, 'clone');
  git(tmp, 'clone', '--quiet', sandbox.gitRemote, clone);
  // Everything main says, deployed by deploy.yml (production's bake at 0 % has no InfluxDB data to
  // judge and fails the run, but AppConfig serves main's content everywhere).
  await dispatch('deploy.yml');
}, 300_000);

afterAll(async () => {
  await sandbox?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('drift.yml on the sandbox', () => {
  it('reports a deployment started through the AppConfig API as drift, in one issue across runs', async () => {
    await dispatch('drift.yml');
    const [before] = await runsOf('drift.yml');
    expect(before?.log).toMatch(new RegExp(`${APP}/development/feature-flags\\s+IN-SYNC`));

    const hotfix = await deployBehindGitsBack('development');
    await dispatch('drift.yml');
    await dispatch('drift.yml');
    const [second, first] = await runsOf('drift.yml');
    for (const r of [first, second]) {
      expect(r?.run.conclusion, r?.log).toBe('failure');
      expect(r?.log).toMatch(new RegExp(`${APP}/development/feature-flags\\s+DRIFTED`));
      // The deployment is named: the version git never had, and who started it with what words.
      // (still baking in AppConfig, or complete: either reason names the version)
      expect(r?.log).toMatch(
        new RegExp(`${APP}/development/feature-flags\\s+DRIFTED\\s+[^\\n]*\\bversion ${hotfix.version}\\b`),
      );
      expect(r?.log).toContain('deployed by not flagops: "hotfix from the console"');
    }
    const { data: issues } = await user('alice').rest.issues.listForRepo({
      ...REPO,
      labels: 'flagops:drift',
      state: 'all',
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ state: 'open' });
    expect(issues[0]?.body).toContain(`${APP}/development/feature-flags`);
  }, 400_000);
});

describe('watch.yml on the sandbox', () => {
  it('catches a breach that starts after the bake’s job ended: rolls back, opens one revert pull request', async () => {
    // Production at 10 % with queries on (development ahead at 100 %), soaking for two days.
    pushToMain(
      {
        [`${DIR}/app.yaml`]: (t) =>
          t.replace('    bake_minutes: 15\n', '    bake_minutes: 15\n    soak_minutes: { default: 2880 }\n'),
        [`${DIR}/development/feature-flags.yaml`]: (t) => t.replace(/percentage: \d+/, 'percentage: 100'),
        [`${DIR}/production/feature-flags.yaml`]: (t) =>
          queriesOn(t).replace(/percentage: 0 /, 'percentage: 10 '),
      },
      'Production 10 %, soaking two days',
    );
    await idle();
    const [deploy] = await runsOf('deploy.yml');
    expect(deploy?.run.event).toBe('push');
    expect(deploy?.run.conclusion, deploy?.log).toBe('success');
    expect(deploy?.log).toMatch(/production\/feature-flags: bake complete: healthy/);
    expect(await servedPercentage('production')).toBe(10);

    // The bake's job is over; InfluxDB degrades now, with nothing running.
    await control('scenario', { name: 'influxdb-latency-degraded' });
    await control('clock', { advanceSeconds: 600 });
    await dispatch('watch.yml');
    await dispatch('watch.yml');
    const [second, first] = await runsOf('watch.yml');
    expect(first?.run.conclusion, first?.log).toBe('failure');
    expect(first?.log).toMatch(/breach/i);
    // The action runs on the machine's Node (20 here), not node24: the runner silences the SDK's
    // warning about that, which is the sandbox's difference, not the action's.
    expect(first?.log).not.toContain('NodeVersionSupportWarning');
    // A re-run does not act twice: the breached record only has its revert pull request reconciled.
    expect(second?.log).toMatch(/production\/feature-flags: breached — soak breach already handled/);
    expect(await servedPercentage('production')).toBe(0);
    const { data: pulls } = await user('alice').rest.pulls.list({ ...REPO, state: 'all', per_page: 100 });
    const reverts = pulls.filter((p) =>
      p.head.ref.startsWith(`flagops/revert/${APP}/production/feature-flags`),
    );
    expect(reverts).toHaveLength(1);
    expect(reverts[0]).toMatchObject({ state: 'open', user: { login: 'flagops[bot]' } });
  }, 400_000);
});

/** Open pull requests the advancer opened (label flagops:advance). */
async function advancerPulls() {
  const { data } = await user('alice').rest.pulls.list({ ...REPO, state: 'all', per_page: 100 });
  return data.filter((p) => p.labels.some((l) => l.name === 'flagops:advance'));
}

/** Open a pull request from a new branch that changes one file, as alice. */
async function openPull(branch: string, path: string, edit: (t: string) => string): Promise<number> {
  git(clone, 'fetch', '--quiet', 'origin', 'main');
  git(clone, 'checkout', '--quiet', '-B', branch, 'origin/main');
  writeFileSync(join(clone, path), edit(readFileSync(join(clone, path), 'utf8')));
  git(clone, 'commit', '--quiet', '-am', `change on ${branch}`);
  git(clone, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
  git(clone, 'checkout', '--quiet', 'main');
  const { data } = await user('alice').rest.pulls.create({
    ...REPO,
    title: branch,
    head: branch,
    base: 'main',
  });
  await idle();
  return data.number;
}

async function closePull(number: number): Promise<void> {
  await user('alice').rest.pulls.update({ ...REPO, pull_number: number, state: 'closed' });
  await idle();
}

describe('advance.yml on the sandbox', () => {
  const PROD = `${DIR}/production/feature-flags.yaml`;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

  it('proposes nothing during a freeze, a hold or an open change, then exactly one pull request per step across runs', async () => {
    // Whatever the watch left: its revert pull request closed, traffic healthy again.
    for (const p of (await user('alice').rest.pulls.list({ ...REPO, state: 'open' })).data)
      await closePull(p.number);
    await control('scenario', { name: 'healthy' });
    const now = sandbox.clock.now();
    pushToMain(
      {
        [PROD]: (t) =>
          `${queriesOn(t).replace(/percentage: 0 /, 'percentage: 10 ')}_rollout: { flag: influxdb_traffic_percentage, attribute: percentage, target: 100, step: 10, wait_minutes: 15 }\n`,
        // The watch's two-day soak would be a two-day dwell here: back to the guide's defaults.
        [`${DIR}/app.yaml`]: (t) =>
          t
            .replace('    soak_minutes: { default: 2880 }\n', '')
            .replace('start: "2026-12-21T00:00:00Z"', `start: "${iso(now - 86_400_000)}"`)
            .replace('end: "2027-01-04T08:00:00Z"', `end: "${iso(now + 30 * 86_400_000)}"`),
      },
      'Production: roll out to 100 % in steps, during a freeze',
    );
    await idle();
    const [deploy] = await runsOf('deploy.yml');
    expect(deploy?.log).toMatch(/production\/feature-flags: bake complete: healthy/);
    await control('clock', { advanceSeconds: 1200 });

    await dispatch('advance.yml');
    expect((await runsOf('advance.yml'))[0]?.log).toContain('freeze window year-end-freeze');
    expect(await advancerPulls()).toEqual([]);

    pushToMain(
      {
        [`${DIR}/app.yaml`]: (t) =>
          t
            .replace(/start: "[^"]+"/, 'start: "2026-12-21T00:00:00Z"')
            .replace(/end: "[^"]+"/, 'end: "2027-01-04T08:00:00Z"'),
      },
      'The freeze is over',
    );
    await idle();

    const hold = await openPull(
      `flagops/revert/${APP}/production/feature-flags/0000000`,
      PROD,
      (t) => `${t}# reverted\n`,
    );
    await dispatch('advance.yml');
    expect((await runsOf('advance.yml'))[0]?.log).toContain('held');
    expect(await advancerPulls()).toEqual([]);
    await closePull(hold);

    const change = await openPull('alice/comment', PROD, (t) => `# a note\n${t}`);
    await dispatch('advance.yml');
    expect((await runsOf('advance.yml'))[0]?.log).toContain(
      `pull request #${change} is open for this target`,
    );
    expect(await advancerPulls()).toEqual([]);
    await closePull(change);

    await dispatch('advance.yml');
    await dispatch('advance.yml');
    const proposed = await advancerPulls();
    expect(proposed, (await runsOf('advance.yml'))[0]?.log).toHaveLength(1);
    expect(proposed[0]).toMatchObject({ state: 'open', user: { login: 'flagops[bot]' } });
    const { data: file } = await user('alice').rest.repos.getContent({
      ...REPO,
      path: PROD,
      ref: proposed[0]!.head.ref,
    });
    const text = Buffer.from((file as { content: string }).content, 'base64').toString('utf8');
    expect(Number(/percentage: (\d+)/.exec(text)?.[1])).toBeGreaterThan(10);
  }, 600_000);
});

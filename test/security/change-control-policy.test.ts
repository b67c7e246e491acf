/**
 * Change control judges policy too: the required status flagops/change-control carries every rule
 * the plan enforces — here max_increase, the ladder and the soak after enabling (the dwell rule read
 * from the bake records on GitHub) — judged by the BASE branch's policy on the pull request's values
 * read from GitHub. Enough approvals (and the code owners) never make a refused change pass, and a
 * pull request that softens its own app.yaml is still judged by the base's.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChangeControl, STATUS_CONTEXT } from '../../src/approvals/gate.ts';
import { parseRepository } from '../../src/github/api.ts';
import { createOctokit } from '../../src/github/octokit.ts';
import { compiledHash, gitHubBakeStore } from '../../src/rollout/bake-record.ts';
import { gateInputs } from '../../src/runtime/gate-inputs.ts';
import { APP_DIR, type Harness, REPO, startHarness } from '../github/harness.ts';

const PRODUCTION = `${APP_DIR}/production/feature-flags.yaml`;
const APP_YAML = `${APP_DIR}/app.yaml`;
const CODEOWNERS = '* @ons/platform-leads\n';
const MIN = 60_000;
/** Outside the seed's year-end freeze. */
const NOW = Date.parse('2026-11-10T12:00:00Z');

let h: Harness;
let base: string;

beforeAll(async () => {
  h = await startHarness();
  // The checkout of the base the change-control job has: the seed plus CODEOWNERS.
  base = join(h.tmp, 'base');
  cpSync(h.seedDir, base, { recursive: true });
  mkdirSync(join(base, '.github'), { recursive: true });
  writeFileSync(join(base, '.github', 'CODEOWNERS'), CODEOWNERS);
});

afterAll(async () => {
  await h?.close();
});

const seedText = (path: string) => readFileSync(join(h.seedDir, path), 'utf8');
/** Production's values with queries on and `percentage` set. */
const production = (percentage: number) =>
  seedText(PRODUCTION)
    .replace(
      'use_influxdb_for_api_queries: { enabled: false }',
      'use_influxdb_for_api_queries: { enabled: true }',
    )
    .replace('percentage: 0', `percentage: ${percentage}`);

/** What the change-control action does: the base's inputs from env (the App's token), then the gate. */
async function judge(pr: number, at = NOW) {
  const env = {
    ...h.sandbox.env,
    GITHUB_TOKEN: 'sandbox-bot-flagops',
    FLAGOPS_NOW: new Date(at).toISOString(),
  };
  const { repository, options } = await gateInputs(base, env, { appLogin: 'flagops[bot]' });
  return runChangeControl(h.api('flagops[bot]'), repository, pr, options);
}

async function open(branch: string, files: Record<string, string>) {
  const pushed = h.pushBranch(branch, files);
  const pr = await h.api('alice').pulls.create({ head: branch, base: 'main', title: branch, body: '' });
  // Everyone who could: two writers, both of the code-owner team.
  for (const login of ['bob', 'carol'])
    await h.octokit(login).rest.pulls.createReview({ ...REPO, pull_number: pr.number, event: 'APPROVE' });
  return { number: pr.number, sha: pushed.sha };
}

async function status(sha: string) {
  const { data } = await h.octokit('alice').rest.repos.listCommitStatusesForRef({ ...REPO, ref: sha });
  return data.find((s) => s.context === STATUS_CONTEXT);
}

describe('the required status carries the plan’s policy', () => {
  it('a rise past max_increase fails with the rule’s words, however many approve', async () => {
    const pr = await open('too-far', { [PRODUCTION]: production(50) });
    const result = await judge(pr.number);
    expect(result.verdict.satisfied).toBe(true);
    expect(result.satisfied).toBe(false);
    expect(result.policy?.errors.join('\n')).toMatch(/max_increase|25/);
    const posted = await status(pr.sha);
    expect(posted?.state).toBe('failure');
    expect(posted?.description).toMatch(/^policy \(1 of 2\): production: .*promotion order/);
  });

  it('a pull request that softens its own app.yaml is judged by the base’s policy', async () => {
    const softened = seedText(APP_YAML)
      .replace('max_increase: 25', 'max_increase: 100')
      .replace('ladder: [0, 10, 25, 50, 75, 100]', 'ladder: [0, 50, 100]')
      .replace(/approvals: 2/g, 'approvals: 0')
      .replace(/dwell_minutes:\n {4}production: 15/, 'dwell_minutes:\n    production: 0');
    expect(softened).toContain('max_increase: 100');
    const pr = await open('softened', { [PRODUCTION]: production(50), [APP_YAML]: softened });
    const result = await judge(pr.number);
    expect(result.satisfied).toBe(false);
    expect(result.policy?.errors.join('\n')).toMatch(/max_increase|25/);
    expect((await status(pr.sha))?.state).toBe('failure');
  });

  it('the soak after enabling: refused until the current step’s bake is 15 min old, then green', async () => {
    // The bake record of what production runs now (the base's content), completed 5 min before NOW.
    const octokit = createOctokit({
      token: 'sandbox-bot-flagops',
      baseUrl: h.sandbox.env['GITHUB_API_URL']!,
      sleep: async () => {},
    });
    const { repository } = await gateInputs(base, {});
    const target = {
      application: 'ons-data-platform-app',
      environment: 'production',
      profile: 'feature-flags',
    };
    await gitHubBakeStore(octokit, parseRepository('ons/flags')!).record(
      {
        target: 'ons-data-platform-app/production/feature-flags',
        environment: 'production',
        deploymentNumber: 7,
        contentHash: compiledHash(repository, target)!,
        window: { from: NOW - 30 * MIN, to: NOW - 5 * MIN },
        completedAt: NOW - 5 * MIN,
        verdict: 'no-data',
      },
      'main',
    );
    const pr = await open('first-exposure', { [PRODUCTION]: production(10) });

    const early = await judge(pr.number);
    expect(early.verdict.satisfied).toBe(true);
    expect(early.satisfied).toBe(false);
    expect(early.description).toMatch(
      /^policy: production: the current step has soaked for 5 min; 15 min are required/,
    );
    expect((await status(pr.sha))?.state).toBe('failure');

    const later = await judge(pr.number, NOW + 11 * MIN);
    expect(later.policy).toEqual({ pass: true, errors: [] });
    expect(later.satisfied).toBe(true);
    expect((await status(pr.sha))?.state).toBe('success');
  });
});

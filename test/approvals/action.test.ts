/**
 * The change-control action run in-process, as the runner would: inputs and the event through the
 * environment, outputs and the summary through the files @actions/core writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/actions/change-control.ts';
import { STATUS_CONTEXT } from '../../src/approvals/gate.ts';
import { APP_DIR, type Harness, REPO, startHarness } from '../github/harness.ts';

let h: Harness;
let pr: number;
let sha: string;
const saved = { ...process.env };

beforeAll(async () => {
  h = await startHarness();
  const file = `${APP_DIR}/production/feature-flags.yaml`;
  const text = readFileSync(join(h.seedDir, file), 'utf8').replace('{ enabled: false }', '{ enabled: true }');
  sha = h.pushBranch('action-change', { [file]: text }).sha;
  pr = (await h.api('alice').pulls.create({ head: 'action-change', base: 'main', title: 't', body: '' }))
    .number;
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  process.env = { ...saved };
  process.exitCode = undefined;
});

function runnerEnv(extra: Record<string, string>): { output: string; summary: string } {
  const output = join(h.tmp, `output-${Math.random().toString(36).slice(2)}`);
  const summary = join(h.tmp, `summary-${Math.random().toString(36).slice(2)}`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const event = join(h.tmp, 'event.json');
  writeFileSync(event, JSON.stringify({ action: 'submitted', pull_request: { number: pr } }));
  Object.assign(process.env, {
    ...h.sandbox.env,
    GITHUB_WORKSPACE: h.seedDir,
    GITHUB_EVENT_PATH: event,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_RUN_ID: '42',
    ...extra,
  });
  return { output, summary };
}

describe('change-control action', () => {
  it('takes the pull request from the event, posts the status, writes outputs and a summary', async () => {
    const files = runnerEnv({ INPUT_TOKEN: 'sandbox-bot-flagops' });
    await run();
    expect(process.exitCode).not.toBe(1);
    const output = readFileSync(files.output, 'utf8');
    expect(output).toMatch(/satisfied<<\S+\nfalse\n/);
    expect(output).toContain('production needs 2 approvals, has 0');
    expect(readFileSync(files.summary, 'utf8')).toContain(`Change control for #${pr}`);
    const { data } = await h.octokit('alice').rest.repos.listCommitStatusesForRef({ ...REPO, ref: sha });
    expect(data.find((s) => s.context === STATUS_CONTEXT)).toMatchObject({
      state: 'failure',
      target_url: expect.stringContaining('/actions/runs/42'),
    });
  });

  it('fails the step with a readable message when GitHub refuses the token', async () => {
    runnerEnv({ INPUT_TOKEN: 'not-a-sandbox-token' });
    let written = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      written += chunk;
      return true;
    }) as typeof process.stdout.write;
    try {
      await run();
    } finally {
      process.stdout.write = write;
    }
    expect(process.exitCode).toBe(1);
    expect(written).toMatch(/::error::GitHub rejected the token \(401\)/);
  });
});

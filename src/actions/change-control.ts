/**
 * The `change-control` action: inputs → `runChangeControl` → outputs and a job summary. The
 * pull request number comes from the input, else from the event payload (`pull_request` and
 * `pull_request_review` both carry it), read at run time so tests can set `GITHUB_EVENT_PATH`.
 */
import { readFileSync } from 'node:fs';
import { type GateResult, runChangeControl } from '../approvals/gate.ts';
import { mdCode, mdText } from '../escape/markdown.ts';
import type { PullRequest } from '../github/api.ts';
import { gitHubFromEnv } from '../github/from-env.ts';
import { gateInputs } from '../runtime/gate-inputs.ts';
import {
  ActionError,
  log,
  numberInput,
  runAction,
  type SummarySection,
  setOutputs,
  stringInput,
  writeSummary,
} from './kit.ts';

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await runAction(async () => {
    let prNumber = numberInput('pull-request', pullRequestFromEvent(env), { min: 1, integer: true });
    const token = stringInput('token', { required: true });
    const headSha = stringInput('head-sha');
    if (prNumber === 0 && headSha) {
      const open = await gitHubFromEnv({ ...env, GITHUB_TOKEN: token }).api.pulls.listOpen();
      prNumber = open.find((p) => isRelayedHead(p, headSha))?.number ?? 0;
      if (prNumber === 0) {
        log.info(`no open pull request has head ${headSha}: nothing to judge`);
        return;
      }
    }
    if (prNumber === 0)
      throw new ActionError(
        'no pull request: run this on pull_request_target, or set "pull-request" or "head-sha"',
      );
    const root = stringInput('root', { default: env['GITHUB_WORKSPACE'] ?? process.cwd() }) ?? process.cwd();
    const appLogin = stringInput('app-login');
    const runUrl = env['GITHUB_RUN_ID']
      ? `${env['GITHUB_SERVER_URL'] ?? 'https://github.com'}/${env['GITHUB_REPOSITORY']}/actions/runs/${env['GITHUB_RUN_ID']}`
      : undefined;
    const { api } = gitHubFromEnv({ ...env, GITHUB_TOKEN: token });
    // The base's own tree: the workflow checks out the base, never the pull request's code.
    // The token reads the bake records and acceptance verifications the policy's rules need.
    const { repository, options } = await gateInputs(
      root,
      { ...env, GITHUB_TOKEN: token },
      {
        ...(appLogin ? { appLogin } : {}),
        ...(runUrl ? { targetUrl: runUrl } : {}),
      },
    );
    const result = await runChangeControl(api, repository, prNumber, options);
    if (result.skipped) {
      log.info(`verdict not posted: ${result.skipped}`);
      setOutputs({ satisfied: result.satisfied, description: result.description, posted: false });
      return;
    }
    for (const error of result.policy?.errors ?? []) log.info(`policy: ${error}`);
    log.info(`${result.satisfied ? 'approved' : 'not approved'}: ${result.description}`);
    setOutputs({ satisfied: result.satisfied, description: result.description, posted: true });
    await writeSummary(changeControlSummary(prNumber, result));
    // The status carries the verdict; the job itself succeeds so a re-run is never needed to clear it.
  });
}

/**
 * The open pull request a relayed review names: its head commit, and, when the relay says so, its
 * head branch and repository too (the relay's run carries all three), so a run for another
 * branch that happens to share the commit cannot be taken for it.
 */
function isRelayedHead(p: PullRequest, headSha: string): boolean {
  const branch = stringInput('head-branch');
  const repository = stringInput('head-repository');
  return (
    p.headSha === headSha &&
    (branch === undefined || p.headRef === branch) &&
    (repository === undefined || p.headRepository.toLowerCase() === repository.toLowerCase())
  );
}

function pullRequestFromEvent(env: NodeJS.ProcessEnv): number {
  const path = env['GITHUB_EVENT_PATH'];
  if (!path) return 0;
  try {
    const event = JSON.parse(readFileSync(path, 'utf8')) as { pull_request?: { number?: unknown } };
    const n = event.pull_request?.number;
    return typeof n === 'number' ? n : 0;
  } catch {
    return 0;
  }
}

/** The job summary: rules as a table (cells are escaped by `writeSummary`), then the verdict's text. */
export function changeControlSummary(prNumber: number, result: GateResult): SummarySection[] {
  const { verdict } = result;
  return [
    {
      heading: `Change control for #${prNumber}${result.needs.revert ? ' (automatic revert)' : ''}`,
      table: [
        ['Rule', 'Required', 'Approved by', 'Changes requested by', 'Not counted'],
        ...verdict.rules.map((r) => [
          r.rule.environment,
          r.rule.required,
          r.approvedBy.join(', ') || '—',
          r.changesRequestedBy.join(', ') || '—',
          r.ignored.map((i) => `${i.user} (${i.why})`).join(', ') || '—',
        ]),
      ],
      lines: [
        mdText(result.description),
        ...(result.policy?.errors ?? []).slice(0, 10).map((e) => `- policy: ${mdText(e)}`),
        ...(result.needs.outside.length > 0
          ? [
              `Paths outside the values files need the strictest approvals and the code owners: ${result.needs.outside
                .slice(0, 10)
                .map(mdCode)
                .join(', ')}${result.needs.outside.length > 10 ? ', …' : ''}`,
            ]
          : []),
      ],
    },
  ];
}

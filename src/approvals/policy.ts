/**
 * The policy half of change control: every rule the plan enforces (transitions such as
 * `max_increase`, freeze windows, promotion order, the dwell and the soak after enabling,
 * acceptance before `required_for`, what can never deploy), judged by the BASE branch's policy on
 * the pull request's values read from GitHub as data. The required status carries this verdict, so
 * a plan job the pull request can edit or skip does not decide (README, "Threat model").
 */
import { OverlaySource } from '../edit/overlay-source.ts';
import type { GitHubApi } from '../github/api.ts';
import { loadRepository } from '../model/load.ts';
import type { RepoSource } from '../model/source.ts';
import type { Repository } from '../model/types.ts';
import { buildPlan } from '../plan/build.ts';
import type { DwellProvider, VerificationProvider } from '../policy/index.ts';

/** The evidence the time-dependent rules read, for a given head (acceptance records are per head). */
export interface PolicyEvidence {
  dwell?: DwellProvider;
  verification?: VerificationProvider;
}

export interface PolicyInputs {
  /** The policy clock (`FLAGOPS_NOW` or real time). */
  now: Date;
  evidence?: (head: Repository) => Promise<PolicyEvidence>;
}

export interface PolicyVerdict {
  pass: boolean;
  /** Each error as `file:line: message`, in the plan's order. */
  errors: string[];
}

/** Where the model reads: only these changed paths can change what the plan sees. */
const MODEL_DIRS = ['flags/', 'schemas/'];

/**
 * The base's files with the pull request's changed model files laid over them (a path GitHub
 * cannot give as a regular file — removed, a symlink — is absent, so the loader sees it missing).
 */
export async function headOverBase(
  access: Pick<GitHubApi['access'], 'fileAt'>,
  base: RepoSource,
  paths: readonly string[],
  headSha: string,
): Promise<RepoSource> {
  const files: Record<string, string | null> = {};
  for (const path of paths.filter((p) => MODEL_DIRS.some((d) => p.startsWith(d)))) {
    const content = await access.fileAt(path, headSha);
    files[path] = content === undefined ? null : content.toString('utf8');
  }
  return new OverlaySource(base, files);
}

export async function judgePolicy(
  base: Repository,
  head: RepoSource,
  inputs: PolicyInputs,
  revert: boolean,
): Promise<PolicyVerdict> {
  const proposed = loadRepository(head);
  const evidence = (await inputs.evidence?.(proposed)) ?? {};
  const plan = buildPlan(base, proposed, { now: inputs.now, baseLabel: 'base', revert, ...evidence });
  const at = (p: { file: string; line: number }) => `${p.file}:${p.line}`;
  const errors = [
    ...plan.diagnostics.filter((d) => d.severity === 'error').map((d) => `${at(d.position)}: ${d.message}`),
    ...[...plan.targets.flatMap((t) => t.findings), ...plan.otherFindings]
      .filter((f) => f.severity === 'error')
      .map((f) => `${at(f.position)}: ${f.message}`),
  ];
  return { pass: plan.verdict === 'pass' && errors.length === 0, errors };
}

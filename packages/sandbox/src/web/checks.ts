/**
 * What a commit's checks say, as GitHub's merge box and commit lists show them: the latest commit
 * status per context, plus check runs when the workflow runner recorded any, and one overall tone.
 */
import type { CheckRunRecord, GitHubState, StatusRecord } from '../github/state.ts';
import type { Tone } from './html.ts';

export interface CheckLine {
  kind: 'status' | 'check';
  name: string;
  tone: Tone;
  /** e.g. `success`, `failure`, `in progress`. */
  state: string;
  description: string;
  /** Where "Details" goes (a status's target_url, a check run's job page). */
  url: string | null;
}

export interface Checks {
  lines: CheckLine[];
  tone: Tone;
  /** e.g. `2 of 3 checks passed`. */
  summary: string;
}

/** The newest status per context wins, as in GitHub's combined status. */
export function latestStatuses(state: GitHubState, sha: string): StatusRecord[] {
  const byContext = new Map<string, StatusRecord>();
  for (const s of state.statuses) {
    if (s.sha !== sha) continue;
    const seen = byContext.get(s.context);
    if (!seen || s.id > seen.id) byContext.set(s.context, s);
  }
  return [...byContext.values()].sort((a, b) => a.context.localeCompare(b.context));
}

function statusTone(state: StatusRecord['state']): Tone {
  if (state === 'success') return 'success';
  if (state === 'pending') return 'pending';
  return 'failure';
}

/** The newest check run of each name on a commit (GitHub's `filter=latest`). */
export function latestCheckRuns(state: GitHubState, sha: string): CheckRunRecord[] {
  const byName = new Map<string, CheckRunRecord>();
  for (const run of state.checkRuns ?? []) {
    if (run.headSha !== sha) continue;
    const seen = byName.get(run.name);
    if (!seen || run.id > seen.id) byName.set(run.name, run);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function checkRunTone(run: Pick<CheckRunRecord, 'status' | 'conclusion'>): Tone {
  if (run.status !== 'completed') return 'pending';
  if (run.conclusion === 'success') return 'success';
  if (run.conclusion === 'neutral' || run.conclusion === 'skipped' || run.conclusion === 'cancelled')
    return 'neutral';
  return 'failure';
}

export function checkRunState(run: Pick<CheckRunRecord, 'status' | 'conclusion'>): string {
  return run.status === 'completed' ? (run.conclusion ?? 'completed') : run.status.replace('_', ' ');
}

/** Statuses and check runs of a commit; a check run's line links to its page under `repoWeb`. */
export function checksFor(state: GitHubState, sha: string, repoWeb: string): Checks {
  const extra = latestCheckRuns(state, sha).map(
    (run): CheckLine => ({
      kind: 'check',
      name: run.name,
      tone: checkRunTone(run),
      state: checkRunState(run),
      description: run.title ?? '',
      url: `${repoWeb}/runs/${run.id}`,
    }),
  );
  const lines: CheckLine[] = [
    ...latestStatuses(state, sha).map(
      (s): CheckLine => ({
        kind: 'status',
        name: s.context,
        tone: statusTone(s.state),
        state: s.state,
        description: s.description ?? '',
        url: s.targetUrl,
      }),
    ),
    ...extra,
  ];
  return { lines, tone: overallTone(lines), summary: summarise(lines) };
}

function overallTone(lines: CheckLine[]): Tone {
  if (lines.length === 0) return 'neutral';
  if (lines.some((l) => l.tone === 'failure')) return 'failure';
  if (lines.some((l) => l.tone === 'pending')) return 'pending';
  return 'success';
}

function summarise(lines: CheckLine[]): string {
  if (lines.length === 0) return 'no checks';
  const passed = lines.filter((l) => l.tone === 'success' || l.tone === 'neutral').length;
  const failed = lines.filter((l) => l.tone === 'failure').length;
  const pending = lines.filter((l) => l.tone === 'pending').length;
  const parts = [`${passed} of ${lines.length} checks passed`];
  if (failed) parts.push(`${failed} failing`);
  if (pending) parts.push(`${pending} pending`);
  return parts.join(', ');
}

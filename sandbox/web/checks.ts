/**
 * What a commit's checks say, as GitHub's merge box and commit lists show them: the latest commit
 * status per context, plus check runs when the workflow runner recorded any, and one overall tone.
 */
import type { GitHubState, StatusRecord } from '../github/state.ts';
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

export function checksFor(state: GitHubState, sha: string, extra: CheckLine[] = []): Checks {
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

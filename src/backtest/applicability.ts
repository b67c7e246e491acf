/**
 * Whether a guard applied over the replayed range, from what AppConfig deployed (its
 * `applies_when`, judged as the bake judges it: `src/guards/applies.ts`). The backtest still counts
 * every rule as if it had applied throughout; these minutes are reported beside the firings, so a
 * reviewer sees which of them the bake would not have judged. Pure.
 *
 * What ran when, from ListDeployments: a deployment's version runs from its start (the bake judges
 * the version being deployed); a COMPLETE one until the next deployment starts; a ROLLED_BACK or
 * REVERTED one until it ended (`completedAt`), after which the last COMPLETE version runs again.
 * Before the first deployment listed, what ran is unknown: those minutes count as applying and are
 * reported as unknown.
 */
import type { DeploymentInfo } from '../aws/appconfig.ts';
import { applicableGuards } from '../guards/applies.ts';
import type { FlagValue, GuardDefinition } from '../model/types.ts';

/** One stretch of time and the flags that ran in it (undefined: unknown or unreadable). */
export interface ServedSpan {
  from: number;
  to: number;
  flags: Record<string, FlagValue> | undefined;
}

const ENDED_EARLY = new Set(['ROLLED_BACK', 'REVERTED', 'ROLLING_BACK']);

/**
 * The range cut into spans of one served configuration, oldest first. `flagsOf` gives a hosted
 * version's flags (undefined when it cannot be read or is not a feature-flags document).
 */
export function servedSpans(
  deployments: DeploymentInfo[],
  profile: string,
  range: { from: number; to: number },
  flagsOf: (version: string) => Record<string, FlagValue> | undefined,
): ServedSpan[] {
  const mine = deployments
    .filter((d) => d.profileName === profile && d.startedAt !== undefined)
    .sort((a, b) => (a.startedAt as number) - (b.startedAt as number) || a.number - b.number);
  // Change points: at each, the flags that run from then on.
  const points: Array<{ at: number; flags: Record<string, FlagValue> | undefined }> = [];
  let lastComplete: Record<string, FlagValue> | undefined;
  for (const [i, d] of mine.entries()) {
    const flags = flagsOf(d.version);
    points.push({ at: d.startedAt as number, flags });
    const nextStart = mine[i + 1]?.startedAt ?? Number.POSITIVE_INFINITY;
    if (ENDED_EARLY.has(d.state) && d.completedAt !== undefined && d.completedAt < nextStart)
      points.push({ at: d.completedAt, flags: lastComplete });
    if (d.state === 'COMPLETE') lastComplete = flags;
  }
  const spans: ServedSpan[] = [];
  let flags: Record<string, FlagValue> | undefined;
  let at = range.from;
  for (const p of points) {
    if (p.at > at && at < range.to) {
      spans.push({ from: at, to: Math.min(p.at, range.to), flags });
      at = Math.min(p.at, range.to);
    }
    flags = p.flags;
  }
  if (at < range.to) spans.push({ from: at, to: range.to, flags });
  return spans;
}

export interface Applicability {
  /** Minutes the guard did not apply to what ran (its `applies_when` was false). */
  notApplicableMinutes: number;
  /** Minutes with no known configuration (before the first deployment listed, or unreadable). */
  unknownMinutes: number;
  /** The conditions that did not hold, as written (`flag.attribute > 0`). */
  because: string[];
  /** The stretches the guard did not apply, to mark firings inside them. */
  spans: Array<{ from: number; to: number }>;
}

export function applicability(guard: GuardDefinition, spans: ServedSpan[]): Applicability {
  const out: Applicability = { notApplicableMinutes: 0, unknownMinutes: 0, because: [], spans: [] };
  for (const span of spans) {
    const minutes = (span.to - span.from) / 60_000;
    if (span.flags === undefined) {
      out.unknownMinutes += minutes;
      continue;
    }
    const why = applicableGuards([guard], { flags: span.flags }).notApplicable[0]?.because;
    if (why === undefined) continue;
    out.notApplicableMinutes += minutes;
    out.spans.push({ from: span.from, to: span.to });
    if (!out.because.includes(why)) out.because.push(why);
  }
  out.notApplicableMinutes = Math.round(out.notApplicableMinutes);
  out.unknownMinutes = Math.round(out.unknownMinutes);
  return out;
}

/** Whether a guard has any `applies_when` at all (one without always applies: nothing to read). */
export function isConditional(guard: GuardDefinition): boolean {
  return (guard.appliesWhen ?? []).length > 0;
}

/**
 * Acceptance gate: a change that raises `acceptance.required_for` (docs/runbook.md#phase-3: traffic to 100 %) needs
 * a passing `flagops verify` recorded within `max_age_minutes`. Only the recorded verifications
 * know, so callers answer through a `VerificationProvider`; without one the rule fails closed.
 */
import type { AcceptanceDefinition, Target } from '../model/types.ts';
import { targetId } from '../model/types.ts';
import type { Rise } from './exposure.ts';
import type { PolicyFinding, TargetRef } from './finding.ts';
import { positionOf } from './finding.ts';

/** The newest recorded verification of an environment (a newer failure supersedes an older pass). */
export interface VerificationSummary {
  passed: boolean;
  at: Date;
  url?: string;
}

export interface VerificationProvider {
  latest(target: TargetRef): VerificationSummary | undefined;
}

export function checkAcceptance(
  acceptance: AcceptanceDefinition | undefined,
  head: Target,
  rises: readonly Rise[],
  now: Date,
  provider: VerificationProvider | undefined,
): PolicyFinding[] {
  if (!acceptance) return [];
  if (acceptance.environments.length > 0 && !acceptance.environments.includes(head.environment)) return [];
  const gate = acceptance.requiredFor;
  const rise = rises.find(
    (r) =>
      r.kind === 'numeric' &&
      r.flag === gate.flag &&
      r.attribute === gate.attribute &&
      r.before < gate.value &&
      r.after >= gate.value,
  );
  if (!rise) return [];
  const common = {
    rule: 'acceptance' as const,
    severity: 'error' as const,
    targets: [targetId(head)],
    flag: gate.flag,
    attribute: gate.attribute,
    position: positionOf(head, gate.flag, gate.attribute),
  };
  const ask = `run \`flagops verify --environment ${head.environment}\` and raise it once that passes`;
  const latest = provider?.latest(head);
  if (!provider)
    return [
      {
        ...common,
        message: `${head.environment}: ${gate.key} ${gate.value} needs a passing acceptance verification from the last ${acceptance.maxAgeMinutes} min, and no verification record can be read here (set GITHUB_TOKEN and GITHUB_REPOSITORY); ${ask}.`,
      },
    ];
  if (!latest)
    return [
      {
        ...common,
        message: `${head.environment}: ${gate.key} ${gate.value} needs a passing acceptance verification from the last ${acceptance.maxAgeMinutes} min; none is recorded — ${ask}.`,
      },
    ];
  const ageMinutes = Math.floor((now.getTime() - latest.at.getTime()) / 60_000);
  const where = latest.url ? ` (${latest.url})` : '';
  if (!latest.passed)
    return [
      {
        ...common,
        message: `${head.environment}: the latest acceptance verification, at ${latest.at.toISOString()}${where}, FAILED; fix what it reports, then ${ask}.`,
      },
    ];
  if (ageMinutes > acceptance.maxAgeMinutes)
    return [
      {
        ...common,
        message: `${head.environment}: the latest passing acceptance verification is ${ageMinutes} min old (at ${latest.at.toISOString()}${where}); at most ${acceptance.maxAgeMinutes} min is allowed — ${ask}.`,
      },
    ];
  return [];
}

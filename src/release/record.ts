/**
 * The release record: one versioned document per (target, AppConfig deployment) that says what a
 * release is and where its life stands — what was deployed and what ran before, the strategy, the
 * bake and soak windows, each guard's judged periods as data, the verdict, the rollback and who
 * did it, the revert pull request, the hold and the advance step. Its JSON Schema is
 * schemas/release-record.schema.json. `decide` (./decide.ts) reads and returns it.
 *
 * Today's records are GitHub deployments of task `flagops:bake` (src/rollout/bake-record.ts) whose
 * soak progress is prose in the newest status ("soak watched through <ISO>"). They migrate on read
 * (`fromBakeRecord`): the prose is parsed here, once, and nowhere else.
 *
 * Pure data and pure functions: nothing here does I/O.
 */

export const RECORD_VERSION = 1;

export type Verdict = 'pending' | 'healthy' | 'breached' | 'unverified' | 'no-data';

/** One judged period of one guard, as data. */
export interface JudgedPeriod {
  start: number;
  end: number;
  outcome: 'healthy' | 'breach' | 'no-data' | 'pending';
  value?: number;
}

export interface GuardJudgement {
  periods: JudgedPeriod[];
  /** Opaque to the record: a statistical judge keeps its accumulated sums here between runs. */
  evidence?: unknown;
}

export interface ReleaseRecord {
  version: typeof RECORD_VERSION;
  /** `application/environment/profile`. */
  target: string;
  deploymentNumber: number;
  /** Incremented by every write: the conditional update compares it (see `nextRevision`). */
  revision: number;
  deployed: {
    commit?: string;
    hostedVersion?: number;
    /** First 16 hex digits of the content's SHA-256, as in the version label. */
    contentHash: string;
    /** What ran before: an AppConfig version, git's pre-change content, or nothing. */
    before?: { source: 'appconfig' | 'git' | 'none'; hostedVersion?: number; commit?: string };
  };
  strategy?: string;
  /** Epoch ms when AppConfig completed the deployment. */
  completedAt?: number;
  bake: { from: number; to: number };
  soak?: { until: number; through: number };
  guards: Record<string, GuardJudgement>;
  verdict: Verdict;
  rollback?: { action: string; at: number; by: string; serving?: number };
  revert?: { pullRequest: number; url?: string };
  hold?: { reason: string };
  advance?: { step: number; proposed?: number };
}

/** The subset of today's bake record the migration reads (src/rollout/bake-record.ts). */
export interface LegacyBakeRecord {
  target: string;
  deploymentNumber: number;
  contentHash: string;
  window: { from: number; to: number };
  completedAt: number;
  verdict: 'healthy' | 'breached' | 'unverified' | 'no-data';
  note?: string;
}

const LEGACY_THROUGH = /soak watched through (\d{4}-\d\d-\d\dT[\d:.]+Z)/;

/** Today's `flagops:bake` record as a release record; its prose soak progress becomes data. */
export function fromBakeRecord(legacy: LegacyBakeRecord, soakUntil?: number): ReleaseRecord {
  const m = legacy.note ? LEGACY_THROUGH.exec(legacy.note) : null;
  const parsed = m ? Date.parse(m[1]!) : Number.NaN;
  const through = Number.isFinite(parsed) ? Math.max(parsed, legacy.window.to) : legacy.window.to;
  return {
    version: RECORD_VERSION,
    target: legacy.target,
    deploymentNumber: legacy.deploymentNumber,
    revision: 0,
    deployed: { contentHash: legacy.contentHash },
    completedAt: legacy.completedAt,
    bake: { ...legacy.window },
    ...(soakUntil !== undefined && soakUntil > legacy.window.to
      ? { soak: { until: soakUntil, through } }
      : {}),
    guards: {},
    verdict: legacy.verdict,
  };
}

/**
 * Where the soak resumes: the record's `soak.through`, never before the bake's end. (The prose of
 * older records was read into `soak.through` by `fromBakeRecord`.)
 */
export function resumeOf(record: ReleaseRecord): number {
  return Math.max(record.soak?.through ?? record.bake.to, record.bake.to);
}

/**
 * The conditional update's rule: a writer that read revision `read` may write `read + 1` only if
 * the store still holds `read`; the store re-reads and compares before writing, and of two
 * statuses carrying the same revision the older one wins (the other writer re-reads and decides
 * again). Returns the revision to write, or undefined when another writer got there first.
 */
export function nextRevision(read: number, current: number): number | undefined {
  return current === read ? read + 1 : undefined;
}

/** A record from storage is data: taken only when its shape is the schema's (version 1). */
export function parseReleaseRecord(value: unknown): ReleaseRecord | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  const bake = o['bake'] as Record<string, unknown> | undefined;
  const deployed = o['deployed'] as Record<string, unknown> | undefined;
  const verdicts: readonly unknown[] = ['pending', 'healthy', 'breached', 'unverified', 'no-data'];
  if (
    o['version'] !== RECORD_VERSION ||
    typeof o['target'] !== 'string' ||
    !Number.isInteger(o['deploymentNumber']) ||
    !Number.isInteger(o['revision']) ||
    !deployed ||
    typeof deployed['contentHash'] !== 'string' ||
    !/^[0-9a-f]{16}$/.test(deployed['contentHash']) ||
    !bake ||
    typeof bake['from'] !== 'number' ||
    typeof bake['to'] !== 'number' ||
    !o['guards'] ||
    typeof o['guards'] !== 'object' ||
    !verdicts.includes(o['verdict'])
  )
    return undefined;
  return value as ReleaseRecord;
}

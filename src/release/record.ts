/**
 * The release record: one versioned document per (target, AppConfig deployment) that says what a
 * release is and where its life stands — what was deployed and what ran before, the strategy, the
 * bake and soak windows, each guard's judged periods as data, the verdict, the rollback and who
 * did it, the revert pull request, the hold and the advance step. Its JSON Schema is
 * schemas/release-record.schema.json. `decide` (./decide.ts) reads and returns it.
 *
 * It is stored as data, one GitHub deployment of task `flagops:bake` per revision, written with a
 * conditional update (src/rollout/release-store.ts). Records written before that (the bake facts,
 * their soak progress as prose in the newest status, "soak watched through <ISO>") migrate on read
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
 * the store still holds `read`; of two writes carrying the same revision the first created wins
 * (the other writer re-reads and decides again: src/rollout/release-store.ts). Returns the revision
 * to write, or undefined when another writer got there first.
 */
export function nextRevision(read: number, current: number): number | undefined {
  return current === read ? read + 1 : undefined;
}

/**
 * A record from storage is data: taken only when its shape is the schema's (version 1), including
 * the parts a later write adds (soak, rollback, revert, hold), so no reader trusts a forged field.
 */
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
    (o['revision'] as number) < 0 ||
    !deployed ||
    typeof deployed['contentHash'] !== 'string' ||
    !/^[0-9a-f]{16}$/.test(deployed['contentHash']) ||
    !bake ||
    typeof bake['from'] !== 'number' ||
    typeof bake['to'] !== 'number' ||
    !o['guards'] ||
    typeof o['guards'] !== 'object' ||
    !verdicts.includes(o['verdict']) ||
    !laterPartsValid(o) ||
    !printable(value)
  )
    return undefined;
  return value as ReleaseRecord;
}

/**
 * Every string of a stored record may reach a terminal or a log: none may carry control characters
 * (an escape sequence, a forged line, a workflow command), and the revert's URL must be a web address.
 */
function printable(value: unknown): boolean {
  if (typeof value === 'string') return !/[\u0000-\u001f\u007f-\u009f]/.test(value);
  if (Array.isArray(value)) return value.every(printable);
  if (value && typeof value === 'object') {
    const url = (value as { revert?: { url?: unknown } }).revert?.url;
    if (url !== undefined && !(typeof url === 'string' && /^https?:\/\/\S+$/.test(url))) return false;
    return Object.values(value).every(printable);
  }
  return true;
}

/** The optional parts a soak, a rollback or a revert write: each absent or of its type. */
function laterPartsValid(o: Record<string, unknown>): boolean {
  const part = (key: string, fields: Record<string, 'number' | 'string' | 'number?' | 'string?'>) => {
    const v = o[key];
    if (v === undefined) return true;
    if (!v || typeof v !== 'object') return false;
    const p = v as Record<string, unknown>;
    return Object.entries(fields).every(([field, type]) => {
      const optional = type.endsWith('?');
      if (optional && p[field] === undefined) return true;
      return (
        typeof p[field] === type.replace('?', '') && (type.startsWith('string') || Number.isFinite(p[field]))
      );
    });
  };
  return (
    part('soak', { until: 'number', through: 'number' }) &&
    part('rollback', { action: 'string', at: 'number', by: 'string', serving: 'number?' }) &&
    part('revert', { pullRequest: 'number', url: 'string?' }) &&
    part('hold', { reason: 'string' }) &&
    part('advance', { step: 'number', proposed: 'number?' }) &&
    (o['completedAt'] === undefined || typeof o['completedAt'] === 'number')
  );
}

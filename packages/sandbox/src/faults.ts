/**
 * Fault injection for reliability tests: per operation (or `*`), throttling, 500s, added latency, a
 * dropped connection or a hang, either with a probability or for the next N matching calls.
 *
 * `hang` never answers: the caller stays blocked inside that call until it gives up or is killed,
 * which lets a test stop a process at an exact step (a kill -9 "after StartDeployment"). With
 * `after: true` the operation takes effect first and only its reply is withheld (the request
 * reached AWS, the answer never came back). `skip` lets that many matching calls through first, so
 * the Nth call is the one that hangs. `injected` counts a hang once it holds the caller (for an
 * `after` hang: once the operation took effect), so a test can wait for it before killing.
 */
export type FaultKind = 'throttle' | 'error' | 'latency' | 'reset' | 'hang';

export interface FaultRule {
  /** Operation name as services report it (`StartDeployment`, `GetMetricData`, `pulls.create`), or `*`. */
  operation: string;
  kind: FaultKind;
  /** 0..1; applies to every matching call with this probability. */
  probability?: number;
  /** Applies to the next `count` matching calls, then the rule is spent. */
  count?: number;
  /** For `latency`: milliseconds (real time) to wait before answering. */
  latencyMs?: number;
  /** For `hang`: let the operation take effect, then withhold its reply. */
  after?: boolean;
  /** Let this many matching calls through untouched before the rule applies. */
  skip?: number;
}

export interface FaultDecision {
  kind: FaultKind;
  latencyMs: number;
  /** A `hang` after the operation took effect. */
  after?: boolean;
}

/** Deterministic when seeded, so a "30 % throttling" test behaves the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Faults {
  private rules: FaultRule[] = [];
  private random: () => number;
  /** How many faults were injected per operation, for tests to assert on. */
  readonly injected = new Map<string, number>();

  constructor(seed = 1) {
    this.random = mulberry32(seed);
  }

  set(rules: FaultRule[]): void {
    for (const rule of rules) validateRule(rule);
    this.rules = rules.map((r) => ({ ...r }));
  }

  add(rule: FaultRule): void {
    validateRule(rule);
    this.rules.push({ ...rule });
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Count one injected fault of `operation` (a hang `after` counts once the operation ran). */
  count(operation: string): void {
    this.injected.set(operation, (this.injected.get(operation) ?? 0) + 1);
  }

  /** Decide the faults for one call; latency may combine with one failure. */
  decide(operation: string): FaultDecision[] {
    const out: FaultDecision[] = [];
    for (const rule of this.rules) {
      if (rule.operation !== '*' && rule.operation !== operation) continue;
      if (rule.skip !== undefined && rule.skip > 0) {
        rule.skip -= 1;
        continue;
      }
      if (rule.count !== undefined) {
        if (rule.count <= 0) continue;
        rule.count -= 1;
      } else if (this.random() >= (rule.probability ?? 1)) {
        continue;
      }
      out.push({ kind: rule.kind, latencyMs: rule.latencyMs ?? 0, ...(rule.after ? { after: true } : {}) });
      if (rule.kind !== 'latency') {
        if (!(rule.kind === 'hang' && rule.after)) this.count(operation);
        break;
      }
    }
    this.rules = this.rules.filter((r) => r.count === undefined || r.count > 0);
    return out;
  }
}

function validateRule(rule: FaultRule): void {
  if (typeof rule.operation !== 'string' || rule.operation === '')
    throw new Error('fault rule needs "operation"');
  if (!['throttle', 'error', 'latency', 'reset', 'hang'].includes(rule.kind)) {
    throw new Error(
      `fault kind must be throttle, error, latency, reset or hang, not ${JSON.stringify(rule.kind)}`,
    );
  }
  if (rule.skip !== undefined && !(Number.isInteger(rule.skip) && rule.skip >= 0))
    throw new Error('fault skip must be a whole number of calls');
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
    throw new Error('fault probability must be between 0 and 1');
  }
}

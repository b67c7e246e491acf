/**
 * Fault injection for reliability tests: per operation (or `*`), throttling, 500s, added latency or
 * a dropped connection, either with a probability or for the next N matching calls.
 */
export type FaultKind = 'throttle' | 'error' | 'latency' | 'reset';

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
}

export interface FaultDecision {
  kind: FaultKind;
  latencyMs: number;
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

  /** Decide the faults for one call; latency may combine with one failure. */
  decide(operation: string): FaultDecision[] {
    const out: FaultDecision[] = [];
    for (const rule of this.rules) {
      if (rule.operation !== '*' && rule.operation !== operation) continue;
      if (rule.count !== undefined) {
        if (rule.count <= 0) continue;
        rule.count -= 1;
      } else if (this.random() >= (rule.probability ?? 1)) {
        continue;
      }
      out.push({ kind: rule.kind, latencyMs: rule.latencyMs ?? 0 });
      if (rule.kind !== 'latency') {
        this.injected.set(operation, (this.injected.get(operation) ?? 0) + 1);
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
  if (!['throttle', 'error', 'latency', 'reset'].includes(rule.kind)) {
    throw new Error(`fault kind must be throttle, error, latency or reset, not ${JSON.stringify(rule.kind)}`);
  }
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
    throw new Error('fault probability must be between 0 and 1');
  }
}

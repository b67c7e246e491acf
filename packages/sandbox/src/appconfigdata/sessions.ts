/**
 * Configuration sessions and their single-use tokens. Each GetLatestConfiguration spends its token
 * and hands out the next one; a token is good for 24 simulated hours.
 */
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;
const SPENT_TOKEN_MEMORY_MS = 10 * 60 * 1000;

export interface Session {
  id: string;
  applicationId: string;
  environmentId: string;
  profileId: string;
  profileType: string;
  pollIntervalSeconds: number;
  /** The version this client last received a body for; an unchanged version gets an empty body. */
  lastVersionNumber?: number;
}

interface TokenRecord {
  sessionId: string;
  expiresAt: number;
  used: boolean;
}

export type Redemption = { ok: true; session: Session } | { ok: false; problem: 'Corrupted' | 'Expired' };

export interface SessionsSnapshot {
  sessions: Session[];
  tokens: Array<[string, TokenRecord]>;
}

export class Sessions {
  private sessions = new Map<string, Session>();
  private tokens = new Map<string, TokenRecord>();

  start(target: Omit<Session, 'id'>, now: number): string {
    const session: Session = { ...target, id: randomBytes(12).toString('hex') };
    this.sessions.set(session.id, session);
    return this.issue(session, now);
  }

  issue(session: Session, now: number): string {
    const token = randomBytes(48).toString('base64url');
    this.tokens.set(token, { sessionId: session.id, expiresAt: now + TOKEN_LIFETIME_MS, used: false });
    return token;
  }

  /** Spend a token. Unknown tokens are Corrupted; spent or out-of-date ones Expired. */
  redeem(token: string, now: number): Redemption {
    const record = this.tokens.get(token);
    const session = record && this.sessions.get(record.sessionId);
    if (!record || !session) return { ok: false, problem: 'Corrupted' };
    if (record.used || record.expiresAt < now) return { ok: false, problem: 'Expired' };
    record.used = true;
    // Remembered a little longer so a reuse reads as Expired, then pruned like any expired token.
    record.expiresAt = Math.min(record.expiresAt, now + SPENT_TOKEN_MEMORY_MS);
    return { ok: true, session };
  }

  /**
   * Forget expired tokens, and sessions left without a live token, so a long-running sandbox does
   * not grow without bound. Spent tokens are kept until they expire so reuse reads as Expired.
   */
  prune(now: number): boolean {
    let removed = false;
    for (const [token, record] of this.tokens)
      if (record.expiresAt < now) {
        this.tokens.delete(token);
        removed = true;
      }
    if (!removed) return false;
    const live = new Set([...this.tokens.values()].filter((r) => !r.used).map((r) => r.sessionId));
    for (const id of this.sessions.keys()) if (!live.has(id)) this.sessions.delete(id);
    return removed;
  }

  snapshot(): SessionsSnapshot {
    return { sessions: [...this.sessions.values()].map((s) => ({ ...s })), tokens: [...this.tokens] };
  }

  restore(data: SessionsSnapshot): void {
    this.sessions = new Map(data.sessions.map((s) => [s.id, s]));
    this.tokens = new Map(data.tokens);
  }

  clear(): void {
    this.sessions.clear();
    this.tokens.clear();
  }
}

/** A stable point in [0, 1) per session, so one client keeps receiving the same version. */
export function sessionBucket(sessionId: string): number {
  return createHash('sha256').update(sessionId).digest().readUInt32BE(0) / 2 ** 32;
}

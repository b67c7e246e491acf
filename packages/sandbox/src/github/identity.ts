/**
 * Who is calling GitHub and with what: the records a token is kept as and the caller a request
 * resolves to. Plain types at the bottom of the GitHub emulation, so the state, the world and the
 * events can name a caller without reaching up into access checks (access.ts decides, this names).
 */
import type { Actor } from './wire.ts';

export type Access = 'read' | 'write';
export type TokenPermissions = Record<string, Access>;

export interface AppIdentity {
  id: number;
  slug: string;
  name: string;
}

/** The app behind every workflow's GITHUB_TOKEN. */
export const GITHUB_ACTIONS_APP: AppIdentity = { id: 15368, slug: 'github-actions', name: 'GitHub Actions' };

export interface TokenRecord {
  token: string;
  kind: 'installation' | 'workflow';
  login: string;
  app: AppIdentity;
  permissions: TokenPermissions;
  /** Simulated epoch ms. */
  expiresAt: number;
  /** The run whose job holds it (workflow tokens). */
  runId?: number;
}

/** An authenticated caller: the actor plus what limits it. */
export interface Caller extends Actor {
  /** Undefined for people (their role decides) and for the operator's bots (unlimited). */
  permissions?: TokenPermissions;
  /** The app acting, for tokens of an app (installation and workflow tokens, `sandbox-bot-*`). */
  app?: AppIdentity;
  tokenKind: 'user' | 'bot' | 'installation' | 'workflow';
  /** For workflow tokens: the run holding it. */
  runId?: number;
}

/**
 * What every stand-in shares: the context a step hands it, the failure that fails the step, and the
 * check that refuses an input the stand-in does not support. Kept below the stand-ins so that each
 * can live in its own file without importing the table that lists them.
 */
import type { GitHubWorld } from '../github/context.ts';
import type { SandboxIam } from '../iam/service.ts';

export interface StandInContext {
  inputs: Record<string, string>;
  workspace: string;
  /** The job's `permissions:` as GitHub's keys (`id-token`, `pull-requests`, …). */
  permissions: Record<string, string>;
  /** The job's GITHUB_TOKEN. */
  githubToken: string;
  /** The job's OIDC token for an audience; absent when its permissions lack `id-token: write`. */
  idToken?: (audience: string) => string;
  /** The AWS account whose roles configure-aws-credentials assumes. */
  iam?: SandboxIam;
  /** Simulated epoch ms. */
  now(): number;
  /** Ref and sha checkout uses by default (GITHUB_REF / GITHUB_SHA). */
  ref: string;
  sha: string;
  world: GitHubWorld;
  sandboxUrl: string;
  region: string;
  /**
   * How long an App installation token lives, simulated ms: GitHub's hour, but never less than the
   * runner's real-time floor (as `timeout-minutes`), since on a fast clock starting one process
   * takes a simulated hour and a token would expire between the step that made it and the next.
   */
  appTokenLifetimeMs: number;
  log(line: string): void;
  mask(value: string): void;
  setOutput(name: string, value: string): void;
  exportVariable(name: string, value: string): void;
  /** Run at the end of the job (post step). */
  post(name: string, run: () => void): void;
}

export class StepFailure extends Error {}

export type StandIn = (ctx: StandInContext) => void | Promise<void>;

export function supportedInputs(action: string, ctx: StandInContext, known: string[]): void {
  for (const [name, value] of Object.entries(ctx.inputs))
    if (!known.includes(name) && value !== '')
      throw new StepFailure(
        `the sandbox's ${action} does not support the input "${name}" (supported: ${known.join(', ')})`,
      );
}

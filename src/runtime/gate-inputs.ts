/**
 * The gate's inputs from a checkout of the base, shared by `flagops approvals` and the
 * change-control action: the base's repository and files, its CODEOWNERS, the policy clock and the
 * evidence the plan's time-dependent rules read (with `env`'s GITHUB_TOKEN), and — when this run has
 * (read-only) AWS credentials — what AppConfig serves, so an App-opened revert can be confirmed to
 * restore it.
 */

import { verificationFromEnv } from '../acceptance/record.ts';
import { CODEOWNERS_PATHS } from '../approvals/codeowners.ts';
import type { GateOptions } from '../approvals/gate.ts';
import type { TargetRef } from '../core/target.ts';
import { loadRepository } from '../model/load.ts';
import { WorkingTreeSource } from '../model/source.ts';
import type { Repository } from '../model/types.ts';
import { readDeployed } from '../plan-comment/deployed.ts';
import { policyNow } from '../policy/now.ts';
import { dwellFromEnv } from '../rollout/bake-record.ts';
import { runtimeFromEnvironment } from './env.ts';

/** AWS credentials the SDK's chain would find: keys, web identity (OIDC) or a profile. */
export function hasAwsCredentials(env: NodeJS.ProcessEnv): boolean {
  return !!(
    env['AWS_ACCESS_KEY_ID'] ||
    env['AWS_WEB_IDENTITY_TOKEN_FILE'] ||
    env['AWS_PROFILE'] ||
    env['AWS_CONTAINER_CREDENTIALS_FULL_URI']
  );
}

export async function gateInputs(
  root: string,
  env: NodeJS.ProcessEnv,
  extra: { appLogin?: string; targetUrl?: string } = {},
): Promise<{ repository: Repository; options: GateOptions }> {
  const source = new WorkingTreeSource(root);
  const repository = loadRepository(source);
  const codeOwners = CODEOWNERS_PATHS.map((p) => source.read(p)).find((b) => b !== undefined);
  let deployed: GateOptions['deployed'];
  if (hasAwsCredentials(env)) {
    const { aws } = await runtimeFromEnvironment(env);
    deployed = async (ref: TargetRef) => {
      const view = await readDeployed(aws, ref);
      return view.status === 'deployed' ? view.content : undefined;
    };
  }
  // The plan's evidence, read with the token in `env`: the bake records of the steps the base
  // runs (dwell, soak) and the acceptance verifications the head's environments need.
  const policy: NonNullable<GateOptions['policy']> = {
    now: policyNow(env),
    evidence: async (head) => {
      const [dwell, verification] = await Promise.all([
        dwellFromEnv(env, repository),
        verificationFromEnv(env, head),
      ]);
      return { ...(dwell ? { dwell } : {}), ...(verification ? { verification } : {}) };
    },
  };
  return {
    repository,
    options: {
      source,
      policy,
      ...(codeOwners !== undefined ? { codeOwners: codeOwners.toString('utf8') } : {}),
      ...(deployed ? { deployed } : {}),
      ...(extra.appLogin ? { appLogin: extra.appLogin } : {}),
      ...(extra.targetUrl ? { targetUrl: extra.targetUrl } : {}),
    },
  };
}

/**
 * `flagops bootstrap`'s release guard: the AppConfig extension whose PRE_START_DEPLOYMENT action
 * is the guard's Lambda (src/extension/), associated with every environment the repository names,
 * so a deployment flagops did not sign is refused before it starts. Creates only what is missing
 * (the extension by name, each association listed first), never changes or deletes: idempotent.
 */
import type { ExtensionsApi } from '../aws/extensions.ts';
import {
  BREAK_GLASS_PARAMETER,
  EXTENSION_NAME,
  LABEL_PARAMETER,
  SIGNATURE_PARAMETER,
} from '../extension/release-guard.ts';
import type { Repository } from '../model/types.ts';
import type { BootstrapAction } from './bootstrap.ts';
import type { PipelineContext } from './context.ts';

export interface ReleaseGuardOptions {
  /** The guard's Lambda function ARN (it names the region and account the environments live in). */
  lambdaArn: string;
  /** The IAM role AppConfig assumes to invoke the Lambda. */
  roleArn?: string;
  applications?: string[];
}

const LAMBDA_ARN =
  /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/;

/** `arn:<partition>:appconfig:<region>:<account>:` from the Lambda's ARN; undefined when it is not one. */
export function appConfigArnPrefix(lambdaArn: string): string | undefined {
  const m = LAMBDA_ARN.exec(lambdaArn);
  return m ? `arn:${m[1]}:appconfig:${m[2]}:${m[3]}:` : undefined;
}

export async function setUpReleaseGuard(
  ctx: PipelineContext,
  extensions: ExtensionsApi,
  repo: Repository,
  options: ReleaseGuardOptions,
): Promise<BootstrapAction[]> {
  const prefix = appConfigArnPrefix(options.lambdaArn);
  if (!prefix) throw new Error(`${options.lambdaArn} is not a Lambda function ARN`);
  const actions: BootstrapAction[] = [];
  const existing = await extensions.getExtension(EXTENSION_NAME);
  const extension = existing ?? (await extensions.createExtension(guardExtension(options)));
  const uris = extension.actions['PRE_START_DEPLOYMENT'] ?? [];
  actions.push({
    resource: 'extension',
    name: EXTENSION_NAME,
    action: !existing ? 'created' : uris.includes(options.lambdaArn) ? 'exists' : 'differs',
    ...(existing && !uris.includes(options.lambdaArn)
      ? {
          detail: `its PRE_START_DEPLOYMENT action invokes ${uris.join(', ') || 'nothing'}, not ${options.lambdaArn}`,
        }
      : {}),
  });
  for (const app of Object.values(repo.applications)) {
    if (options.applications && !options.applications.includes(app.name)) continue;
    const appId = (await ctx.aws.appconfig.listApplications()).find((a) => a.name === app.name)?.id;
    if (!appId) continue;
    const envs = await ctx.aws.appconfig.listEnvironments(appId);
    for (const env of app.environments) {
      const id = envs.find((e) => e.name === env.name)?.id;
      if (!id) continue;
      const arn = `${prefix}application/${appId}/environment/${id}`;
      const found = await extensions.listAssociations(arn, extension.id);
      if (found.length === 0) await extensions.associate(extension.id, arn);
      actions.push({
        resource: 'extension-association',
        name: `${EXTENSION_NAME} → ${app.name}/${env.name}`,
        action: found.length === 0 ? 'created' : 'exists',
      });
    }
  }
  return actions;
}

function guardExtension(options: ReleaseGuardOptions) {
  return {
    name: EXTENSION_NAME,
    description:
      'flagops: deployments start only when flagops signed them from main (README, "Threat model")',
    actionPoint: 'PRE_START_DEPLOYMENT',
    action: {
      name: 'release-guard',
      uri: options.lambdaArn,
      ...(options.roleArn ? { roleArn: options.roleArn } : {}),
    },
    parameters: {
      [LABEL_PARAMETER]: { description: "the version's flagops label", dynamic: true },
      [SIGNATURE_PARAMETER]: { description: 'HMAC-SHA256 of the release by flagops', dynamic: true },
      [BREAK_GLASS_PARAMETER]: {
        description: 'break glass: why this deployment starts unsigned',
        dynamic: true,
      },
    },
  };
}

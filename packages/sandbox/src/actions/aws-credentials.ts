/**
 * The stand-in for aws-actions/configure-aws-credentials with `role-to-assume`: what the real
 * action does (its README, "OIDC"), against the sandbox's IAM. It asks the runner for the job's
 * OIDC token with the audience `sts.amazonaws.com`, which GitHub gives only to a job with
 * `id-token: write`; calls AssumeRoleWithWebIdentity, which the role's trust policy decides; and
 * exports the session's credentials, which carry the role's permissions. Failures read as the
 * action's own ("Could not assume role with OIDC: Not authorized to perform
 * sts:AssumeRoleWithWebIdentity"). The region is an input the action requires; none is made up.
 */
import { StsError } from '../iam/service.ts';
import { type StandIn, StepFailure, supportedInputs } from './stand-in-kit.ts';

/** The action's own check of `aws-region`. */
const REGION = /^[a-z0-9-]+$/;
const DEFAULT_AUDIENCE = 'sts.amazonaws.com';

export const configureAwsCredentials: StandIn = (ctx) => {
  supportedInputs('aws-actions/configure-aws-credentials', ctx, [
    'role-to-assume',
    'aws-region',
    'role-session-name',
    'audience',
  ]);
  const region = ctx.inputs['aws-region'] ?? '';
  if (region === '') throw new StepFailure('Input required and not supplied: aws-region');
  if (!REGION.test(region)) throw new StepFailure(`Region is not valid: ${region}`);
  const role = ctx.inputs['role-to-assume'] ?? '';
  if (!/^arn:aws:iam::\d{12}:role\/.+/.test(role))
    throw new StepFailure(`role-to-assume must be an IAM role ARN, got "${role}"`);
  if (!ctx.idToken)
    // Without id-token: write the job has no ACTIONS_ID_TOKEN_REQUEST_URL, so the action finds
    // neither a web identity nor keys.
    throw new StepFailure(
      'Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers (the job has no id-token: write permission, so no ACTIONS_ID_TOKEN_REQUEST_URL)',
    );
  if (!ctx.iam) throw new StepFailure('the sandbox was started without an AWS account to assume roles in');
  const token = ctx.idToken(ctx.inputs['audience'] || DEFAULT_AUDIENCE);
  ctx.mask(token);
  let credentials: ReturnType<NonNullable<typeof ctx.iam>['assumeRoleWithWebIdentity']>;
  try {
    credentials = ctx.iam.assumeRoleWithWebIdentity(
      role,
      token,
      ctx.inputs['role-session-name'] || 'GitHubActions',
      ctx.now(),
    );
  } catch (err) {
    if (err instanceof StsError) throw new StepFailure(`Could not assume role with OIDC: ${err.message}`);
    throw err;
  }
  ctx.mask(credentials.secretAccessKey);
  ctx.mask(credentials.sessionToken);
  for (const [k, v] of Object.entries({
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ENDPOINT_URL: ctx.sandboxUrl,
  }))
    ctx.exportVariable(k, v);
  ctx.setOutput('aws-account-id', role.split(':')[4] ?? '');
  ctx.log(
    `Authenticated as assumedRoleId ${role.split('/').pop()}:${ctx.inputs['role-session-name'] || 'GitHubActions'}`,
  );
};

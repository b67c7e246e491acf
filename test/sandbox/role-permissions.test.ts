/**
 * A role's permissions bind the session credentials a job gets from it, as IAM evaluates them
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html: an
 * action no identity-based policy allows is implicitly denied). The roles are the ones
 * `flagops bootstrap --print-roles` declares (aws/iam-roles.json), assumed with a GitHub OIDC token
 * for the environment their trust names, and the services answer with AWS's errors: AppConfig's
 * restJson1 `AccessDeniedException`, CloudWatch's Query-compatible `AccessDenied`
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html).
 * Requests signed with the administrator's keys (the sandbox's banner) are not restricted.
 */
import {
  AppConfigClient,
  CreateApplicationCommand,
  DeleteApplicationCommand,
  ListApplicationsCommand,
} from '@aws-sdk/client-appconfig';
import { CloudWatchClient, DeleteAlarmsCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsFor } from '../../packages/sandbox/src/iam/oidc.ts';
import { type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';

let sandbox: Sandbox;
const clients: Array<{ destroy(): void }> = [];

beforeAll(async () => {
  sandbox = await startSandbox({ speed: 1 });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await sandbox?.close();
});

/** Session credentials of `role`, assumed as a deploy.yml job in `environment` would. */
function session(role: string, environment: string) {
  const { iam } = sandbox;
  const token = iam.oidc.sign(
    claimsFor(
      {
        repository: 'ons/flags',
        repositoryOwner: 'ons',
        environment,
        eventName: 'push',
        ref: 'refs/heads/main',
        sha: '0'.repeat(40),
        workflowPath: '.github/workflows/deploy.yml',
        actor: 'alice',
        runId: 1,
        headRef: '',
        baseRef: '',
      },
      'sts.amazonaws.com',
      sandbox.clock.now(),
    ),
  );
  return iam.assumeRoleWithWebIdentity(iam.roleArn(role), token, 'test', sandbox.clock.now());
}

function clientsFor(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  const config = { endpoint: sandbox.url, region: 'eu-west-2', credentials, maxAttempts: 1 };
  const appconfig = new AppConfigClient(config);
  const cloudwatch = new CloudWatchClient(config);
  clients.push(appconfig, cloudwatch);
  return { appconfig, cloudwatch };
}

async function refusal(
  promise: Promise<unknown>,
): Promise<{ name: string; status: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata: { httpStatusCode: number } };
    return { name: e.name, status: e.$metadata.httpStatusCode, message: e.message };
  }
  throw new Error('expected the request to be refused');
}

describe('the deploy role’s session', () => {
  it('does what the role allows: lists applications and describes alarms', async () => {
    const { appconfig, cloudwatch } = clientsFor(session('flagops-deploy', 'production'));
    await expect(appconfig.send(new ListApplicationsCommand({}))).resolves.toBeDefined();
    await expect(cloudwatch.send(new DescribeAlarmsCommand({}))).resolves.toBeDefined();
  });

  it('is refused what it does not allow, in each service’s error shape', async () => {
    const { appconfig, cloudwatch } = clientsFor(session('flagops-deploy', 'production'));
    const created = await refusal(appconfig.send(new CreateApplicationCommand({ Name: 'by-a-job' })));
    expect(created).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(created.message).toMatch(
      /^User: arn:aws:sts::\d{12}:assumed-role\/flagops-deploy\/test is not authorized to perform: appconfig:CreateApplication because no identity-based policy allows/,
    );
    const deleted = await refusal(cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: ['x'] })));
    expect(deleted).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(deleted.message).toContain('cloudwatch:DeleteAlarms');
  });
});

describe('the administrator’s keys', () => {
  it('are not restricted', async () => {
    const { appconfig } = clientsFor({ accessKeyId: 'sandbox', secretAccessKey: 'sandbox' });
    const app = await appconfig.send(new CreateApplicationCommand({ Name: 'by-the-admin' }));
    await appconfig.send(new DeleteApplicationCommand({ ApplicationId: app.Id }));
  });
});

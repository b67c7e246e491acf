/**
 * The release guard on the sandbox (issue 24, "Refused before it starts"): after `flagops bootstrap`
 * with the guard's Lambda, flagops' own deploy and rollback pass, a StartDeployment of a version
 * made by hand is refused with the guard's reason and nothing new is served, a break-glass
 * deployment starts and is recorded, and ListExtensionAssociations shows the associations.
 *
 * The sandbox runs the guard's handler in-process for the Lambda ARN the extension names.
 */
import {
  AppConfigClient,
  CreateHostedConfigurationVersionCommand,
  GetExtensionCommand,
  GetHostedConfigurationVersionCommand,
  ListApplicationsCommand,
  ListConfigurationProfilesCommand,
  ListDeploymentsCommand,
  ListEnvironmentsCommand,
  ListExtensionAssociationsCommand,
  StartDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseArgs } from '../../src/cli/args.ts';
import type { CliIO, Command } from '../../src/cli/command.ts';
import { command as bootstrapCommand } from '../../src/cli/commands/bootstrap.ts';
import { command as deployCommand } from '../../src/cli/commands/deploy.ts';
import { command as rollbackCommand } from '../../src/cli/commands/rollback.ts';
import { preStartDeployment } from '../../src/extension/release-guard.ts';
import { APP, type PipelineHarness, startPipelineHarness } from '../../testkit/pipeline-harness.ts';

const KEY = 'sandbox-release-key-4f1c9e';
const GUARD = 'arn:aws:lambda:eu-west-2:123456789012:function:flagops-release-guard';
const guardLog: string[] = [];

let h: PipelineHarness;
let env: NodeJS.ProcessEnv;
let client: AppConfigClient;
const ids = { app: '', dev: '', prod: '', profile: '' };

beforeAll(async () => {
  h = await startPipelineHarness({
    lambdas: { [GUARD]: (event) => preStartDeployment(event, KEY, (line) => guardLog.push(line)) },
  });
  env = {
    ...h.sandbox.env,
    FLAGOPS_ROOT: h.root,
    FLAGOPS_RELEASE_KEY: KEY,
    FLAGOPS_RELEASE_GUARD_LAMBDA_ARN: GUARD,
    FLAGOPS_RELEASE_GUARD_ROLE_ARN: 'arn:aws:iam::123456789012:role/flagops-release-guard-invoke',
  };
  for (const [k, v] of Object.entries(h.sandbox.env)) vi.stubEnv(k, v);
  client = new AppConfigClient({
    endpoint: h.sandbox.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await h?.close();
});

async function run(command: Command, argv: string[], extra: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: { ...env, ...extra },
    cwd: h.root,
    isTTY: false,
  };
  const code = await command.run(parseArgs(command, argv), io);
  return { code, stdout, stderr };
}

const envArn = (envId: string) =>
  `arn:aws:appconfig:eu-west-2:123456789012:application/${ids.app}/environment/${envId}`;

/** The first hosted version with every flag's value flipped: a change made in the console. */
async function handMade(): Promise<Uint8Array> {
  const v1 = await client.send(
    new GetHostedConfigurationVersionCommand({
      ApplicationId: ids.app,
      ConfigurationProfileId: ids.profile,
      VersionNumber: 1,
    }),
  );
  const doc = JSON.parse(Buffer.from(v1.Content!).toString('utf8')) as {
    values: Record<string, { enabled?: boolean }>;
  };
  for (const value of Object.values(doc.values)) value.enabled = !value.enabled;
  return Buffer.from(JSON.stringify(doc));
}

async function deployments(envId: string) {
  const out = await client.send(new ListDeploymentsCommand({ ApplicationId: ids.app, EnvironmentId: envId }));
  return out.Items ?? [];
}

describe('the release guard on the sandbox', () => {
  it('bootstrap creates the extension and associates it with each environment, once', async () => {
    const boot = await run(bootstrapCommand, []);
    expect(boot.stderr).toBe('');
    expect(boot.code).toBe(0);
    expect(boot.stdout).toMatch(/extension flagops-release-guard: created/);
    expect(boot.stdout).toMatch(
      /extension-association flagops-release-guard → ons-data-platform-app\/production: created/,
    );

    ids.app = (await client.send(new ListApplicationsCommand({}))).Items!.find((a) => a.Name === APP)!.Id!;
    const envs = (await client.send(new ListEnvironmentsCommand({ ApplicationId: ids.app }))).Items!;
    ids.dev = envs.find((e) => e.Name === 'development')!.Id!;
    ids.prod = envs.find((e) => e.Name === 'production')!.Id!;
    ids.profile = (
      await client.send(new ListConfigurationProfilesCommand({ ApplicationId: ids.app }))
    ).Items!.find((p) => p.Name === 'feature-flags')!.Id!;

    const extension = await client.send(
      new GetExtensionCommand({ ExtensionIdentifier: 'flagops-release-guard' }),
    );
    expect(extension.Actions?.['PRE_START_DEPLOYMENT']?.[0]?.Uri).toBe(GUARD);
    const listed = await client.send(
      new ListExtensionAssociationsCommand({ ResourceIdentifier: envArn(ids.prod) }),
    );
    expect(listed.Items).toEqual([
      expect.objectContaining({ ExtensionArn: extension.Arn, ResourceArn: envArn(ids.prod) }),
    ]);

    const again = await run(bootstrapCommand, []);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/extension flagops-release-guard: exists/);
    expect(again.stdout).not.toMatch(/extension-association .*: created/);
    const still = await client.send(
      new ListExtensionAssociationsCommand({ ResourceIdentifier: envArn(ids.prod) }),
    );
    expect(still.Items).toHaveLength(1);
  });

  it("flagops' deploy and rollback pass the guard", async () => {
    const first = await run(deployCommand, ['--environment', 'development', '--no-bake']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    h.setPercentage('development', 50);
    const second = await run(deployCommand, ['--environment', 'development', '--no-bake']);
    expect(second.code).toBe(0);
    // Past AppConfig's 72 h revert window, a rollback is a new deployment of the previous version.
    await h.control('clock', { advanceSeconds: 73 * 3600 });
    const back = await run(rollbackCommand, [
      '--environment',
      'development',
      '--reason',
      'drill',
      '--json',
      '--no-revert',
    ]);
    expect(back.stderr).toBe('');
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ action: 'redeployed', verified: true });
    const signedDecisions = guardLog.map((l) => JSON.parse(l)).filter((d) => d.kind === 'signed');
    // Two deploys and the rollback's redeploy of version 1, each signed.
    expect(signedDecisions.length).toBe(3);
  });

  it('without the key, flagops itself is refused too: the guard is not fooled by who calls', async () => {
    h.setPercentage('development', 75);
    const unsigned = await run(deployCommand, ['--environment', 'development', '--no-bake'], {
      FLAGOPS_RELEASE_KEY: '',
    });
    expect(unsigned.code).not.toBe(0);
    expect(unsigned.stdout + unsigned.stderr).toMatch(/flagops release guard: not signed by flagops/);
    h.setPercentage('development', 25);
  });

  it('a version made by hand is refused with the reason, and nothing new is served', async () => {
    const before = await deployments(ids.dev);
    const served = await h.aws.served.served(APP, 'development', 'feature-flags');
    const version = await client.send(
      new CreateHostedConfigurationVersionCommand({
        ApplicationId: ids.app,
        ConfigurationProfileId: ids.profile,
        Content: await handMade(),
        ContentType: 'application/json',
        VersionLabel: 'console-hotfix',
      }),
    );
    const start = (extra: Record<string, string> = {}, envId = ids.dev) =>
      client.send(
        new StartDeploymentCommand({
          ApplicationId: ids.app,
          EnvironmentId: envId,
          ConfigurationProfileId: ids.profile,
          DeploymentStrategyId: 'AppConfig.AllAtOnce',
          ConfigurationVersion: String(version.VersionNumber),
          ...(Object.keys(extra).length > 0 ? { DynamicExtensionParameters: extra } : {}),
        }),
      );
    await expect(start()).rejects.toMatchObject({
      name: 'BadRequestException',
      message: expect.stringMatching(/stopped the deployment: flagops release guard: not signed by flagops/),
    });
    // A flagops-looking label with a made-up signature fares no better.
    await expect(
      start({
        'flagops-release-guard#flagops_label': 'flagops.c0ffee000001.0123456789abcdef',
        'flagops-release-guard#flagops_signature': 'f'.repeat(64),
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/signature does not match/) });
    expect(await deployments(ids.dev)).toHaveLength(before.length);
    const after = await h.aws.served.served(APP, 'development', 'feature-flags');
    expect(Buffer.from(after.content).equals(Buffer.from(served.content))).toBe(true);
    expect(after.versionLabel ?? '').not.toBe('console-hotfix');
  });

  it('breaks glass with a reason: the deployment starts and the guard records why', async () => {
    const version = await client.send(
      new CreateHostedConfigurationVersionCommand({
        ApplicationId: ids.app,
        ConfigurationProfileId: ids.profile,
        Content: await handMade(),
        ContentType: 'application/json',
        VersionLabel: 'break-glass-1',
      }),
    );
    const started = await client.send(
      new StartDeploymentCommand({
        ApplicationId: ids.app,
        EnvironmentId: ids.dev,
        ConfigurationProfileId: ids.profile,
        DeploymentStrategyId: 'AppConfig.AllAtOnce',
        ConfigurationVersion: String(version.VersionNumber),
        DynamicExtensionParameters: {
          'flagops-release-guard#break_glass': 'INC-42: flagops is down, outage hotfix',
        },
      }),
    );
    expect(started.DeploymentNumber).toBeGreaterThan(0);
    expect(guardLog.map((l) => JSON.parse(l)).at(-1)).toMatchObject({
      allow: true,
      kind: 'break-glass',
      reason: 'INC-42: flagops is down, outage hotfix',
      environment: ids.dev,
      version: String(version.VersionNumber),
    });
  });
});

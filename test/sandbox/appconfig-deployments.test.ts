import {
  BadRequestException,
  ConflictException,
  CreateApplicationCommand,
  CreateConfigurationProfileCommand,
  CreateDeploymentStrategyCommand,
  CreateEnvironmentCommand,
  CreateHostedConfigurationVersionCommand,
  GetDeploymentCommand,
  GetEnvironmentCommand,
  GetHostedConfigurationVersionCommand,
  ListDeploymentsCommand,
  StartDeploymentCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureFlagsDocument, type Harness, MINUTE, startHarness } from './appconfig-harness.ts';

let h: Harness;
let appId: string;
let profileId: string;
let linearStrategyId: string;
const enc = (s: string) => new TextEncoder().encode(s);
const percentage = (content: Buffer) =>
  JSON.parse(content.toString('utf8')).values.influxdb_traffic_percentage.percentage;
let envCount = 0;

async function newEnvironment(alarmArns: string[] = []): Promise<string> {
  envCount += 1;
  const env = await h.appconfig.send(
    new CreateEnvironmentCommand({
      ApplicationId: appId,
      Name: `env-${envCount}`,
      Monitors: alarmArns.map((AlarmArn) => ({ AlarmArn })),
    }),
  );
  return env.Id!;
}

async function deploy(envId: string, version: string, strategy = 'AppConfig.AllAtOnce') {
  return h.appconfig.send(
    new StartDeploymentCommand({
      ApplicationId: appId,
      EnvironmentId: envId,
      ConfigurationProfileId: profileId,
      ConfigurationVersion: version,
      DeploymentStrategyId: strategy,
    }),
  );
}

const get = (envId: string, n: number) =>
  h.appconfig.send(
    new GetDeploymentCommand({ ApplicationId: appId, EnvironmentId: envId, DeploymentNumber: n }),
  );
const envState = async (envId: string) =>
  (await h.appconfig.send(new GetEnvironmentCommand({ ApplicationId: appId, EnvironmentId: envId }))).State;
const served = (envId: string) =>
  h.appconfigService.served('ons-data-platform-app', envId, 'feature-flags').map((v) => ({
    version: v.versionNumber,
    share: v.share,
    percentage: percentage(v.content),
  }));

/** Deploy version 1 all at once and let it complete, so later deployments have a baseline. */
async function withBaseline(envId: string): Promise<void> {
  await deploy(envId, '1');
  h.advance(11 * MINUTE);
  expect((await get(envId, 1)).State).toBe('COMPLETE');
}

beforeAll(async () => {
  h = await startHarness();
  appId = (await h.appconfig.send(new CreateApplicationCommand({ Name: 'ons-data-platform-app' }))).Id!;
  profileId = (
    await h.appconfig.send(
      new CreateConfigurationProfileCommand({
        ApplicationId: appId,
        Name: 'feature-flags',
        LocationUri: 'hosted',
        Type: 'AWS.AppConfig.FeatureFlags',
      }),
    )
  ).Id!;
  for (const [pct, label] of [
    [10, 'v1-aaa'],
    [25, 'v2-bbb'],
    [50, 'v3-ccc'],
  ] as const)
    await h.appconfig.send(
      new CreateHostedConfigurationVersionCommand({
        ApplicationId: appId,
        ConfigurationProfileId: profileId,
        Content: enc(featureFlagsDocument(pct)),
        ContentType: 'application/json',
        VersionLabel: label,
      }),
    );
  linearStrategyId = (
    await h.appconfig.send(
      new CreateDeploymentStrategyCommand({
        Name: 'linear-20-over-10',
        DeploymentDurationInMinutes: 10,
        GrowthFactor: 20,
        GrowthType: 'LINEAR',
        FinalBakeTimeInMinutes: 5,
      }),
    )
  ).Id!;
});

afterAll(async () => {
  await h.close();
});

describe('deployment state machine', () => {
  it('goes VALIDATING → BAKING → COMPLETE for AllAtOnce, with the event log newest first', async () => {
    const envId = await newEnvironment();
    const started = await deploy(envId, '1');
    expect(started.State).toBe('VALIDATING');
    expect(started.DeploymentNumber).toBe(1);
    expect(await envState(envId)).toBe('DEPLOYING');

    h.advance(6_000);
    const baking = await get(envId, 1);
    expect(baking.State).toBe('BAKING');
    expect(baking.PercentageComplete).toBe(100);

    h.advance(10 * MINUTE);
    const done = await get(envId, 1);
    expect(done.State).toBe('COMPLETE');
    expect(done.CompletedAt?.toISOString()).toBe('2026-01-05T09:10:05.000Z');
    expect(done.EventLog?.map((e) => e.EventType)).toEqual([
      'DEPLOYMENT_COMPLETED',
      'BAKE_TIME_STARTED',
      'PERCENTAGE_UPDATED',
      'DEPLOYMENT_STARTED',
    ]);
    expect(await envState(envId)).toBe('READY_FOR_DEPLOYMENT');
  });

  it('grows LINEAR step by step, shares traffic while deploying and refuses a second deployment', async () => {
    const envId = await newEnvironment();
    await withBaseline(envId);
    await deploy(envId, 'v3-ccc', linearStrategyId);
    h.advance(5_000 + 3 * MINUTE); // steps every 2 minutes: 20 % at 0, 40 % at 2
    const d = await get(envId, 2);
    expect(d.State).toBe('DEPLOYING');
    expect(d.PercentageComplete).toBe(40);
    expect(d.ConfigurationVersion).toBe('3');
    expect(d.VersionLabel).toBe('v3-ccc');
    expect(served(envId)).toEqual([
      { version: 3, share: 0.4, percentage: 50 },
      { version: 1, share: 0.6, percentage: 10 },
    ]);
    await expect(deploy(envId, '2')).rejects.toBeInstanceOf(ConflictException);

    h.advance(7 * MINUTE);
    const baking = await get(envId, 2);
    expect(baking.State).toBe('BAKING');
    expect(
      baking.EventLog?.filter((e) => e.EventType === 'PERCENTAGE_UPDATED').map((e) => e.Description),
    ).toEqual([
      'Deployment percentage updated to 100.00',
      'Deployment percentage updated to 80.00',
      'Deployment percentage updated to 60.00',
      'Deployment percentage updated to 40.00',
      'Deployment percentage updated to 20.00',
    ]);
    h.advance(5 * MINUTE);
    expect((await get(envId, 2)).State).toBe('COMPLETE');
    expect(served(envId)).toEqual([{ version: 3, share: 1, percentage: 50 }]);
  });

  it('grows EXPONENTIAL (10, 20, 40, 80, 100) faster late than LINEAR', async () => {
    const envId = await newEnvironment();
    await deploy(envId, '1', 'AppConfig.Canary10Percent20Minutes');
    const at = async (minutes: number) => {
      h.advance(minutes * MINUTE);
      return (await get(envId, 1)).PercentageComplete;
    };
    h.advance(5_000);
    expect(await at(1)).toBe(10); // 4-minute intervals
    expect(await at(4)).toBe(20);
    expect(await at(4)).toBe(40);
    expect(await at(4)).toBe(80);
    expect(await at(4)).toBe(100);
    expect((await get(envId, 1)).State).toBe('DEPLOYING');
    expect(await at(4)).toBe(100);
    expect((await get(envId, 1)).State).toBe('BAKING');
  });

  it('lists deployments newest first, with pagination', async () => {
    const envId = await newEnvironment();
    await withBaseline(envId);
    await deploy(envId, '2');
    h.advance(11 * MINUTE);
    const page = await h.appconfig.send(
      new ListDeploymentsCommand({ ApplicationId: appId, EnvironmentId: envId, MaxResults: 1 }),
    );
    expect(page.Items?.map((d) => d.DeploymentNumber)).toEqual([2]);
    const rest = await h.appconfig.send(
      new ListDeploymentsCommand({ ApplicationId: appId, EnvironmentId: envId, NextToken: page.NextToken }),
    );
    expect(rest.Items?.map((d) => [d.DeploymentNumber, d.State])).toEqual([[1, 'COMPLETE']]);
  });
});

describe('monitors', () => {
  it('rolls back when a watched alarm goes to ALARM, naming the alarm', async () => {
    const arn = 'arn:aws:cloudwatch:eu-west-2:123456789012:alarm:influxdb-error-rate';
    const envId = await newEnvironment([arn]);
    await withBaseline(envId);
    await deploy(envId, '3', linearStrategyId);
    h.advance(5_000 + 3 * MINUTE);
    h.alarms.states.set(arn, 'ALARM');
    h.advance(1_000);
    const rolling = await get(envId, 2);
    expect(rolling.State).toBe('ROLLING_BACK');
    expect(rolling.EventLog?.[0]).toMatchObject({
      EventType: 'ROLLBACK_STARTED',
      TriggeredBy: 'CLOUDWATCH_ALARM',
      Description: expect.stringContaining(arn),
    });
    expect(await envState(envId)).toBe('ROLLING_BACK');
    expect(served(envId)).toEqual([{ version: 1, share: 1, percentage: 10 }]);

    h.advance(10_000);
    const rolledBack = await get(envId, 2);
    expect(rolledBack.State).toBe('ROLLED_BACK');
    expect(rolledBack.EventLog?.[0]?.EventType).toBe('ROLLBACK_COMPLETED');
    expect(await envState(envId)).toBe('ROLLED_BACK');
    h.alarms.states.set(arn, 'OK');
  });

  it('ignores alarms with actions disabled and INSUFFICIENT_DATA by default', async () => {
    const disabled = 'arn:aws:cloudwatch:eu-west-2:123456789012:alarm:disabled';
    const noData = 'arn:aws:cloudwatch:eu-west-2:123456789012:alarm:no-data';
    h.alarms.states.set(disabled, 'ALARM');
    h.alarms.actionsDisabled.add(disabled);
    h.alarms.states.set(noData, 'INSUFFICIENT_DATA');
    const envId = await newEnvironment([disabled, noData]);
    await deploy(envId, '1');
    h.advance(11 * MINUTE);
    expect((await get(envId, 1)).State).toBe('COMPLETE');
  });

  it('rolls back on INSUFFICIENT_DATA when the sandbox is configured to', async () => {
    const strict = await startHarness({ rollbackOnInsufficientData: true });
    try {
      const arn = 'arn:aws:cloudwatch:eu-west-2:123456789012:alarm:new-alarm';
      strict.alarms.states.set(arn, 'INSUFFICIENT_DATA');
      const app = await strict.appconfig.send(new CreateApplicationCommand({ Name: 'strict' }));
      const env = await strict.appconfig.send(
        new CreateEnvironmentCommand({ ApplicationId: app.Id, Name: 'prod', Monitors: [{ AlarmArn: arn }] }),
      );
      const prof = await strict.appconfig.send(
        new CreateConfigurationProfileCommand({
          ApplicationId: app.Id,
          Name: 'settings',
          LocationUri: 'hosted',
        }),
      );
      await strict.appconfig.send(
        new CreateHostedConfigurationVersionCommand({
          ApplicationId: app.Id,
          ConfigurationProfileId: prof.Id,
          Content: enc('{}'),
          ContentType: 'application/json',
        }),
      );
      await strict.appconfig.send(
        new StartDeploymentCommand({
          ApplicationId: app.Id,
          EnvironmentId: env.Id,
          ConfigurationProfileId: prof.Id,
          ConfigurationVersion: '1',
          DeploymentStrategyId: 'AppConfig.AllAtOnce',
        }),
      );
      strict.advance(MINUTE);
      const d = await strict.appconfig.send(
        new GetDeploymentCommand({ ApplicationId: app.Id, EnvironmentId: env.Id, DeploymentNumber: 1 }),
      );
      expect(d.State).toBe('ROLLED_BACK');
    } finally {
      await strict.close();
    }
  });
});

describe('StopDeployment', () => {
  const stop = (envId: string, n: number, allowRevert?: boolean) =>
    h.appconfig.send(
      new StopDeploymentCommand({
        ApplicationId: appId,
        EnvironmentId: envId,
        DeploymentNumber: n,
        ...(allowRevert !== undefined ? { AllowRevert: allowRevert } : {}),
      }),
    );

  it('rolls an in-flight deployment back at once, triggered by USER', async () => {
    const envId = await newEnvironment();
    await withBaseline(envId);
    await deploy(envId, '2', linearStrategyId);
    h.advance(MINUTE);
    const stopped = await stop(envId, 2);
    expect(stopped.State).toBe('ROLLED_BACK');
    expect(stopped.EventLog?.find((e) => e.EventType === 'ROLLBACK_STARTED')?.TriggeredBy).toBe('USER');
    expect(served(envId)).toEqual([{ version: 1, share: 1, percentage: 10 }]);
  });

  it('reverts a COMPLETE deployment only with Allow-Revert, only the latest, only within 72 hours', async () => {
    const envId = await newEnvironment();
    await withBaseline(envId);
    await deploy(envId, '3');
    h.advance(11 * MINUTE);
    await expect(stop(envId, 2)).rejects.toBeInstanceOf(BadRequestException);
    await expect(stop(envId, 1, true)).rejects.toBeInstanceOf(BadRequestException);

    const reverted = await stop(envId, 2, true);
    expect(reverted.State).toBe('REVERTED');
    expect(reverted.EventLog?.[0]?.EventType).toBe('REVERT_COMPLETED');
    expect(await envState(envId)).toBe('REVERTED');
    expect(served(envId)).toEqual([{ version: 1, share: 1, percentage: 10 }]);

    await deploy(envId, '2');
    h.advance(11 * MINUTE + 73 * 60 * MINUTE);
    const err = await stop(envId, 3, true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    expect((err as Error).message).toContain('72 hours');
  });
});

describe('persistence', () => {
  it('round-trips through dump and load, content included', async () => {
    const envId = await newEnvironment();
    await deploy(envId, 'v2-bbb', linearStrategyId);
    h.advance(MINUTE);
    const dumped = JSON.parse(JSON.stringify(h.appconfigService.dump()));

    const other = await startHarness();
    try {
      other.clock.resumeAt(h.clock.now());
      other.appconfigService.load(dumped);
      const d = await other.appconfig.send(
        new GetDeploymentCommand({ ApplicationId: appId, EnvironmentId: envId, DeploymentNumber: 1 }),
      );
      expect(d).toMatchObject({ State: 'DEPLOYING', PercentageComplete: 20, VersionLabel: 'v2-bbb' });
      const v = await other.appconfig.send(
        new GetHostedConfigurationVersionCommand({
          ApplicationId: appId,
          ConfigurationProfileId: profileId,
          VersionNumber: 2,
        }),
      );
      expect(percentage(Buffer.from(v.Content!))).toBe(25);
      other.advance(20 * MINUTE);
      const later = await other.appconfig.send(
        new GetDeploymentCommand({ ApplicationId: appId, EnvironmentId: envId, DeploymentNumber: 1 }),
      );
      expect(later.State).toBe('COMPLETE');
    } finally {
      await other.close();
    }
  });
});

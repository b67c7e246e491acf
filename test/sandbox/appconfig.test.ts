import {
  BadRequestException,
  ConflictException,
  CreateApplicationCommand,
  CreateConfigurationProfileCommand,
  CreateDeploymentStrategyCommand,
  CreateEnvironmentCommand,
  CreateHostedConfigurationVersionCommand,
  DeleteDeploymentStrategyCommand,
  DeleteHostedConfigurationVersionCommand,
  GetDeploymentStrategyCommand,
  GetEnvironmentCommand,
  GetHostedConfigurationVersionCommand,
  ListApplicationsCommand,
  ListDeploymentStrategiesCommand,
  ListHostedConfigurationVersionsCommand,
  PayloadTooLargeException,
  ResourceNotFoundException,
  UpdateDeploymentStrategyCommand,
} from '@aws-sdk/client-appconfig';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureFlagsDocument, type Harness, startHarness } from './appconfig-harness.ts';

let h: Harness;
let appId: string;
let flagsProfileId: string;
let settingsProfileId: string;
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

beforeAll(async () => {
  h = await startHarness();
  const app = await h.appconfig.send(new CreateApplicationCommand({ Name: 'ons-data-platform-app' }));
  appId = app.Id!;
  const flags = await h.appconfig.send(
    new CreateConfigurationProfileCommand({
      ApplicationId: appId,
      Name: 'feature-flags',
      LocationUri: 'hosted',
      Type: 'AWS.AppConfig.FeatureFlags',
    }),
  );
  flagsProfileId = flags.Id!;
  const settings = await h.appconfig.send(
    new CreateConfigurationProfileCommand({
      ApplicationId: appId,
      Name: 'app-settings',
      LocationUri: 'hosted',
      Type: 'AWS.Freeform',
      Validators: [
        {
          Type: 'JSON_SCHEMA',
          Content: JSON.stringify({
            type: 'object',
            required: ['timeout_seconds'],
            properties: { timeout_seconds: { type: 'integer', minimum: 1 } },
          }),
        },
      ],
    }),
  );
  settingsProfileId = settings.Id!;
});

afterAll(async () => {
  await h.close();
});

describe('applications and environments', () => {
  it('returns IDs in the documented shape and paginates lists', async () => {
    expect(appId).toMatch(/^[a-z0-9]{4,7}$/);
    for (const name of ['a1', 'a2', 'a3'])
      await h.appconfig.send(new CreateApplicationCommand({ Name: name }));
    const first = await h.appconfig.send(new ListApplicationsCommand({ MaxResults: 2 }));
    expect(first.Items?.map((a) => a.Name)).toEqual(['ons-data-platform-app', 'a1']);
    expect(first.NextToken).toBeDefined();
    const second = await h.appconfig.send(
      new ListApplicationsCommand({ MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.Items?.map((a) => a.Name)).toEqual(['a2', 'a3']);
    expect(second.NextToken).toBeUndefined();
  });

  it('rejects max_results outside 1–50 and foreign next tokens with BadRequestException', async () => {
    await expect(h.appconfig.send(new ListApplicationsCommand({ MaxResults: 51 }))).rejects.toBeInstanceOf(
      BadRequestException,
    );
    await expect(
      h.appconfig.send(new ListApplicationsCommand({ NextToken: 'bogus' })),
    ).rejects.toBeInstanceOf(BadRequestException);
  });

  it('creates environments with monitors in READY_FOR_DEPLOYMENT', async () => {
    const env = await h.appconfig.send(
      new CreateEnvironmentCommand({
        ApplicationId: appId,
        Name: 'production',
        Monitors: [{ AlarmArn: 'arn:aws:cloudwatch:eu-west-2:123456789012:alarm:influxdb-errors' }],
      }),
    );
    const read = await h.appconfig.send(
      new GetEnvironmentCommand({ ApplicationId: appId, EnvironmentId: env.Id }),
    );
    expect(read.State).toBe('READY_FOR_DEPLOYMENT');
    expect(read.Monitors).toEqual([
      { AlarmArn: 'arn:aws:cloudwatch:eu-west-2:123456789012:alarm:influxdb-errors' },
    ]);
  });

  it('names the missing resource in ResourceNotFoundException', async () => {
    const err = await h.appconfig
      .send(new GetEnvironmentCommand({ ApplicationId: appId, EnvironmentId: 'nope123' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as ResourceNotFoundException).ResourceName).toBe('Environment');
    expect((err as Error).message).toContain('nope123');
  });
});

describe('hosted configuration versions', () => {
  it('stores feature flags with metadata and echoes every header', async () => {
    const created = await h.appconfig.send(
      new CreateHostedConfigurationVersionCommand({
        ApplicationId: appId,
        ConfigurationProfileId: flagsProfileId,
        Content: enc(featureFlagsDocument(25)),
        ContentType: 'application/json',
        Description: 'commit abc123',
        VersionLabel: 'v1-abc123',
      }),
    );
    expect(created.VersionNumber).toBe(1);
    expect(created.ApplicationId).toBe(appId);
    expect(created.ConfigurationProfileId).toBe(flagsProfileId);
    expect(created.Description).toBe('commit abc123');
    expect(created.VersionLabel).toBe('v1-abc123');
    expect(created.ContentType).toBe('application/json');
    const stored = JSON.parse(dec(created.Content));
    expect(stored.values.influxdb_traffic_percentage.percentage).toBe(25);
    expect(stored.flags.influxdb_traffic_percentage._createdAt).toBe('2026-01-05T09:00:00.000Z');
    expect(stored.values.influxdb_traffic_percentage._updatedAt).toBe('2026-01-05T09:00:00.000Z');

    const read = await h.appconfig.send(
      new GetHostedConfigurationVersionCommand({
        ApplicationId: appId,
        ConfigurationProfileId: flagsProfileId,
        VersionNumber: 1,
      }),
    );
    expect(dec(read.Content)).toBe(dec(created.Content));
    expect(read.VersionLabel).toBe('v1-abc123');
  });

  it('keeps _updatedAt for unchanged flags and moves it for changed ones', async () => {
    h.advance(60_000);
    const created = await h.appconfig.send(
      new CreateHostedConfigurationVersionCommand({
        ApplicationId: appId,
        ConfigurationProfileId: flagsProfileId,
        Content: enc(featureFlagsDocument(50)),
        ContentType: 'application/json',
        VersionLabel: 'v2-def456',
      }),
    );
    const stored = JSON.parse(dec(created.Content));
    expect(stored.values.use_influxdb_for_api_queries._updatedAt).toBe('2026-01-05T09:00:00.000Z');
    expect(stored.values.influxdb_traffic_percentage._updatedAt).toBe('2026-01-05T09:01:00.000Z');
    expect(stored.values.influxdb_traffic_percentage._createdAt).toBe('2026-01-05T09:00:00.000Z');
  });

  it('enforces the Latest-Version-Number lock with ConflictException', async () => {
    const attempt = (latest: number) =>
      h.appconfig.send(
        new CreateHostedConfigurationVersionCommand({
          ApplicationId: appId,
          ConfigurationProfileId: flagsProfileId,
          Content: enc(featureFlagsDocument(30)),
          ContentType: 'application/json',
          LatestVersionNumber: latest,
        }),
      );
    await expect(attempt(1)).rejects.toBeInstanceOf(ConflictException);
    const ok = await attempt(2);
    expect(ok.VersionNumber).toBe(3);
  });

  it('rejects invalid feature flags with every problem in Details.InvalidConfiguration', async () => {
    const bad = JSON.parse(featureFlagsDocument(150));
    bad.flags.Bad_Key = {};
    bad.values.influxdb_traffic_percentage.backends = ['influxdb', 'mongo'];
    const err = await h.appconfig
      .send(
        new CreateHostedConfigurationVersionCommand({
          ApplicationId: appId,
          ConfigurationProfileId: flagsProfileId,
          Content: enc(JSON.stringify(bad)),
          ContentType: 'application/json',
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    const e = err as BadRequestException;
    expect(e.Reason).toBe('InvalidConfiguration');
    const details = e.Details?.InvalidConfiguration ?? [];
    expect(details.map((d) => d.Location)).toEqual(
      expect.arrayContaining([
        '$.flags.Bad_Key',
        '$.values.influxdb_traffic_percentage.percentage',
        '$.values.influxdb_traffic_percentage.backends[1]',
      ]),
    );
    const max = details.find((d) => d.Location === '$.values.influxdb_traffic_percentage.percentage');
    expect(max).toMatchObject({ Constraint: 'maximum: 100', Value: '150', Type: 'constraint' });
  });

  it('rejects an invalid VersionLabel and an oversized payload', async () => {
    const create = (content: Uint8Array, label?: string) =>
      h.appconfig.send(
        new CreateHostedConfigurationVersionCommand({
          ApplicationId: appId,
          ConfigurationProfileId: settingsProfileId,
          Content: content,
          ContentType: 'application/json',
          ...(label ? { VersionLabel: label } : {}),
        }),
      );
    await expect(create(enc('{"timeout_seconds":5}'), '12345')).rejects.toBeInstanceOf(BadRequestException);
    const big = enc(JSON.stringify({ timeout_seconds: 5, pad: 'x'.repeat(1024 * 1024) }));
    const err = await create(big).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeException);
    expect((err as PayloadTooLargeException).Measure).toBe('KILOBYTES');
    expect((err as PayloadTooLargeException).Limit).toBe(1024);
    expect((err as PayloadTooLargeException).Size).toBeGreaterThan(1024);
  });

  it('validates freeform content against the profile JSON schema', async () => {
    const err = await h.appconfig
      .send(
        new CreateHostedConfigurationVersionCommand({
          ApplicationId: appId,
          ConfigurationProfileId: settingsProfileId,
          Content: enc('{"timeout_seconds":0}'),
          ContentType: 'application/json',
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    expect((err as BadRequestException).Details?.InvalidConfiguration?.[0]).toMatchObject({
      Location: '$.timeout_seconds',
      Constraint: 'minimum',
      Type: 'JSON_SCHEMA',
    });
  });

  it('lists newest first, filters by label (exact or prefix*) and deletes', async () => {
    const list = (label?: string) =>
      h.appconfig.send(
        new ListHostedConfigurationVersionsCommand({
          ApplicationId: appId,
          ConfigurationProfileId: flagsProfileId,
          ...(label ? { VersionLabel: label } : {}),
        }),
      );
    expect((await list()).Items?.map((v) => v.VersionNumber)).toEqual([3, 2, 1]);
    expect((await list('v1*')).Items?.map((v) => v.VersionLabel)).toEqual(['v1-abc123']);
    expect((await list('v1')).Items).toEqual([]);
    expect((await list('v2-def456')).Items?.map((v) => v.VersionNumber)).toEqual([2]);

    await h.appconfig.send(
      new DeleteHostedConfigurationVersionCommand({
        ApplicationId: appId,
        ConfigurationProfileId: flagsProfileId,
        VersionNumber: 3,
      }),
    );
    expect((await list()).Items?.map((v) => v.VersionNumber)).toEqual([2, 1]);
    await expect(
      h.appconfig.send(
        new GetHostedConfigurationVersionCommand({
          ApplicationId: appId,
          ConfigurationProfileId: flagsProfileId,
          VersionNumber: 3,
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('deployment strategies', () => {
  it('lists the four predefined strategies with their documented parameters', async () => {
    const all = await h.appconfig.send(new ListDeploymentStrategiesCommand({}));
    const canary = all.Items?.find((s) => s.Id === 'AppConfig.Canary10Percent20Minutes');
    expect(canary).toMatchObject({
      GrowthType: 'EXPONENTIAL',
      GrowthFactor: 10,
      DeploymentDurationInMinutes: 20,
      FinalBakeTimeInMinutes: 10,
    });
    expect(all.Items?.map((s) => s.Id)).toEqual([
      'AppConfig.AllAtOnce',
      'AppConfig.Linear50PercentEvery30Seconds',
      'AppConfig.Linear20PercentEvery6Minutes',
      'AppConfig.Canary10Percent20Minutes',
    ]);
  });

  it('creates, updates and deletes (through the misspelled path) its own strategies', async () => {
    const created = await h.appconfig.send(
      new CreateDeploymentStrategyCommand({
        Name: 'canary-10-percent',
        DeploymentDurationInMinutes: 10,
        GrowthFactor: 10,
        GrowthType: 'LINEAR',
        FinalBakeTimeInMinutes: 5,
      }),
    );
    expect(created.ReplicateTo).toBe('NONE');
    const updated = await h.appconfig.send(
      new UpdateDeploymentStrategyCommand({ DeploymentStrategyId: created.Id, FinalBakeTimeInMinutes: 15 }),
    );
    expect(updated.FinalBakeTimeInMinutes).toBe(15);
    await h.appconfig.send(new DeleteDeploymentStrategyCommand({ DeploymentStrategyId: created.Id }));
    await expect(
      h.appconfig.send(new GetDeploymentStrategyCommand({ DeploymentStrategyId: created.Id })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      h.appconfig.send(new DeleteDeploymentStrategyCommand({ DeploymentStrategyId: 'AppConfig.AllAtOnce' })),
    ).rejects.toBeInstanceOf(BadRequestException);
  });
});

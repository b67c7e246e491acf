import {
  CreateApplicationCommand,
  CreateConfigurationProfileCommand,
  CreateDeploymentStrategyCommand,
  CreateEnvironmentCommand,
  CreateHostedConfigurationVersionCommand,
  StartDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import {
  AppConfigDataClient,
  BadRequestException,
  GetLatestConfigurationCommand,
  ResourceNotFoundException,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureFlagsDocument, type Harness, MINUTE, startHarness } from './appconfig-harness.ts';

let h: Harness;
let appId: string;
let envId: string;
let flagsId: string;
let settingsId: string;
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

async function hosted(profileId: string, content: string, label: string, contentType = 'application/json') {
  await h.appconfig.send(
    new CreateHostedConfigurationVersionCommand({
      ApplicationId: appId,
      ConfigurationProfileId: profileId,
      Content: enc(content),
      ContentType: contentType,
      VersionLabel: label,
    }),
  );
}

async function deploy(profileId: string, version: string, strategy = 'AppConfig.AllAtOnce') {
  await h.appconfig.send(
    new StartDeploymentCommand({
      ApplicationId: appId,
      EnvironmentId: envId,
      ConfigurationProfileId: profileId,
      ConfigurationVersion: version,
      DeploymentStrategyId: strategy,
    }),
  );
}

async function session(profile: string) {
  const s = await h.data.send(
    new StartConfigurationSessionCommand({
      ApplicationIdentifier: 'ons-data-platform-app',
      EnvironmentIdentifier: 'production',
      ConfigurationProfileIdentifier: profile,
      RequiredMinimumPollIntervalInSeconds: 30,
    }),
  );
  return s.InitialConfigurationToken!;
}

beforeAll(async () => {
  h = await startHarness();
  appId = (await h.appconfig.send(new CreateApplicationCommand({ Name: 'ons-data-platform-app' }))).Id!;
  envId = (await h.appconfig.send(new CreateEnvironmentCommand({ ApplicationId: appId, Name: 'production' })))
    .Id!;
  flagsId = (
    await h.appconfig.send(
      new CreateConfigurationProfileCommand({
        ApplicationId: appId,
        Name: 'feature-flags',
        LocationUri: 'hosted',
        Type: 'AWS.AppConfig.FeatureFlags',
      }),
    )
  ).Id!;
  settingsId = (
    await h.appconfig.send(
      new CreateConfigurationProfileCommand({
        ApplicationId: appId,
        Name: 'app-settings',
        LocationUri: 'hosted',
      }),
    )
  ).Id!;
  await hosted(flagsId, featureFlagsDocument(25, false), 'v1');
  await deploy(flagsId, '1');
  h.advance(11 * MINUTE);
});

afterAll(async () => {
  await h.close();
});

describe('GetLatestConfiguration', () => {
  it('serves the simplified flag map, then an empty body while nothing changed', async () => {
    const first = await h.data.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: await session('feature-flags') }),
    );
    expect(first.ContentType).toBe('application/json');
    expect(first.VersionLabel).toBe('v1');
    expect(first.NextPollIntervalInSeconds).toBe(30);
    expect(JSON.parse(dec(first.Configuration))).toEqual({
      use_influxdb_for_api_queries: { enabled: false },
      influxdb_traffic_percentage: { enabled: true, percentage: 25, backends: ['influxdb'] },
    });

    const second = await h.data.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: first.NextPollConfigurationToken }),
    );
    expect(second.Configuration?.length ?? 0).toBe(0);
    expect(second.NextPollConfigurationToken).toBeDefined();
    expect(second.NextPollConfigurationToken).not.toBe(first.NextPollConfigurationToken);
  });

  it('accepts IDs as well as names', async () => {
    const s = await h.data.send(
      new StartConfigurationSessionCommand({
        ApplicationIdentifier: appId,
        EnvironmentIdentifier: envId,
        ConfigurationProfileIdentifier: flagsId,
      }),
    );
    const got = await h.data.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: s.InitialConfigurationToken }),
    );
    expect(JSON.parse(dec(got.Configuration)).influxdb_traffic_percentage.percentage).toBe(25);
  });

  it('makes tokens single-use', async () => {
    const token = await session('feature-flags');
    await h.data.send(new GetLatestConfigurationCommand({ ConfigurationToken: token }));
    const err = await h.data
      .send(new GetLatestConfigurationCommand({ ConfigurationToken: token }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    expect((err as BadRequestException).Details?.InvalidParameters?.['ConfigurationToken']?.Problem).toBe(
      'Expired',
    );

    const forged = await h.data
      .send(new GetLatestConfigurationCommand({ ConfigurationToken: 'not-a-token' }))
      .catch((e: unknown) => e);
    expect((forged as BadRequestException).Details?.InvalidParameters?.['ConfigurationToken']?.Problem).toBe(
      'Corrupted',
    );
  });

  it('serves freeform content as stored, with its content type', async () => {
    await hosted(settingsId, 'timeout_seconds: 5\n', 'settings-1', 'application/x-yaml');
    await deploy(settingsId, 'settings-1');
    h.advance(11 * MINUTE);
    const got = await h.data.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: await session('app-settings') }),
    );
    expect(got.ContentType).toBe('application/x-yaml');
    expect(dec(got.Configuration)).toBe('timeout_seconds: 5\n');
  });

  it('splits sessions between versions by the deployed percentage and keeps each client on one', async () => {
    await hosted(flagsId, featureFlagsDocument(50, true), 'v2');
    const strategy = await h.appconfig.send(
      new CreateDeploymentStrategyCommand({
        Name: 'linear-50',
        DeploymentDurationInMinutes: 10,
        GrowthFactor: 50,
        FinalBakeTimeInMinutes: 0,
      }),
    );
    await deploy(flagsId, 'v2', strategy.Id);
    h.advance(6_000); // 50 % for the first five minutes

    const clients = await Promise.all(Array.from({ length: 200 }, () => session('feature-flags')));
    const first = await Promise.all(
      clients.map((t) => h.data.send(new GetLatestConfigurationCommand({ ConfigurationToken: t }))),
    );
    const onNew = first.filter((r) => r.VersionLabel === 'v2').length;
    expect(onNew).toBeGreaterThan(70);
    expect(onNew).toBeLessThan(130);

    // Each client polls again: no client flips back, and none gets a body for the version it has.
    const again = await Promise.all(
      first.map((r) =>
        h.data.send(new GetLatestConfigurationCommand({ ConfigurationToken: r.NextPollConfigurationToken })),
      ),
    );
    expect(again.every((r) => (r.Configuration?.length ?? 0) === 0)).toBe(true);

    h.advance(10 * MINUTE); // complete: everyone moves to v2
    const final = await Promise.all(
      again.map((r) =>
        h.data.send(new GetLatestConfigurationCommand({ ConfigurationToken: r.NextPollConfigurationToken })),
      ),
    );
    const switched = final.filter((r) => r.VersionLabel === 'v2').length;
    expect(switched).toBe(200 - onNew);
  });

  it('answers ResourceNotFoundException for unknown names and BadRequest for a bad poll interval', async () => {
    const err = await h.data
      .send(
        new StartConfigurationSessionCommand({
          ApplicationIdentifier: 'ons-data-platform-app',
          EnvironmentIdentifier: 'staging',
          ConfigurationProfileIdentifier: 'feature-flags',
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as ResourceNotFoundException).ResourceType).toBe('Environment');
    await expect(
      h.data.send(
        new StartConfigurationSessionCommand({
          ApplicationIdentifier: 'ons-data-platform-app',
          EnvironmentIdentifier: 'production',
          ConfigurationProfileIdentifier: 'feature-flags',
          RequiredMinimumPollIntervalInSeconds: 5,
        }),
      ),
    ).rejects.toBeInstanceOf(BadRequestException);
  });
});

describe('throttling', () => {
  it('answers injected throttling with 429 ThrottlingException, which the SDK retries', async () => {
    h.server.faults.add({ operation: 'StartConfigurationSession', kind: 'throttle', count: 1 });
    const token = await session('feature-flags');
    expect(token).toBeTruthy();
    expect(h.server.faults.injected.get('StartConfigurationSession')).toBe(1);

    // A client that does not retry shows what the wire carries.
    const once = new AppConfigDataClient({
      endpoint: h.server.url,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    h.server.faults.add({ operation: 'GetLatestConfiguration', kind: 'throttle', count: 1 });
    const err = await once
      .send(new GetLatestConfigurationCommand({ ConfigurationToken: token }))
      .catch((e: unknown) => e);
    once.destroy();
    expect((err as Error).name).toBe('ThrottlingException');
    expect((err as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode).toBe(429);
    h.server.faults.clear();
  });
});

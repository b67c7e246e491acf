import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOctokit } from '@actions/github';
import {
  AppConfigClient,
  CreateApplicationCommand,
  CreateConfigurationProfileCommand,
  CreateDeploymentStrategyCommand,
  CreateEnvironmentCommand,
  CreateHostedConfigurationVersionCommand,
  GetApplicationCommand,
  GetDeploymentCommand,
  GetEnvironmentCommand,
  ListApplicationsCommand,
  StartDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import {
  AppConfigDataClient,
  BadRequestException as DataBadRequestException,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PROJECT_ROOT,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from '../../packages/sandbox/src/index.ts';
import { compileTarget, loadRepository, WorkingTreeSource } from '../../src/model/index.ts';
import { clockFromEnvironment } from '../../src/pipeline/clock.ts';
import { git } from '../helpers/git.ts';

const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const REGION = 'eu-west-2';
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const NAMESPACE = 'ONS/TrafficSwitching';
const INFLUX = [{ Name: 'Backend', Value: 'influxdb' }];
const PRODUCTION_FLAGS = 'flags/ons-data-platform-app/production/feature-flags.yaml';

let tmp: string;
let seedDir: string;
const opened: Array<{ sandbox: Sandbox; clients: Clients }> = [];

interface Clients {
  appconfig: AppConfigClient;
  data: AppConfigDataClient;
  cloudwatch: CloudWatchClient;
  github: ReturnType<typeof getOctokit>;
}

function clientsFor(sandbox: Sandbox, maxAttempts?: number): Clients {
  const config = {
    endpoint: sandbox.url,
    region: REGION,
    credentials,
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
  };
  return {
    appconfig: new AppConfigClient(config),
    data: new AppConfigDataClient(config),
    cloudwatch: new CloudWatchClient(config),
    github: getOctokit('sandbox-user-alice', { baseUrl: sandbox.env['GITHUB_API_URL']! }),
  };
}

function destroy(clients: Clients): void {
  clients.appconfig.destroy();
  clients.data.destroy();
  clients.cloudwatch.destroy();
}

/** A sandbox seeded from the small copy of the project, on a fixed simulated start, closed after all. */
async function open(options: SandboxOptions = {}): Promise<{ sandbox: Sandbox; clients: Clients }> {
  const sandbox = await startSandbox({ seedDir, speed: 1, start: START, ...options });
  const entry = { sandbox, clients: clientsFor(sandbox) };
  opened.push(entry);
  return entry;
}

async function close(entry: { sandbox: Sandbox; clients: Clients }): Promise<void> {
  const index = opened.indexOf(entry);
  if (index >= 0) opened.splice(index, 1);
  destroy(entry.clients);
  await entry.sandbox.close();
}

/** Jump simulated time and let every service catch up in order. */
function advance(sandbox: Sandbox, ms: number): void {
  sandbox.clock.advance(ms);
  sandbox.server.tick();
}

/** Clone the remote, commit one file on a new branch and push it. */
function pushBranch(remote: string, clone: string, branch: string): void {
  git(tmp, 'clone', '--quiet', remote, clone);
  git(clone, 'checkout', '--quiet', '-b', branch);
  writeFileSync(join(clone, `${branch}.txt`), `${branch}\n`);
  git(clone, 'add', '--all');
  git(clone, 'commit', '--quiet', '-m', `Add ${branch}.txt`);
  git(clone, 'push', '--quiet', 'origin', branch);
}

async function control(sandbox: Sandbox, route: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sandbox.url}/_sandbox/${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body !== undefined
      ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : {}),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

/** The production feature-flags document the project's compiler builds with queries on at `percentage`. */
function compiledProductionFlags(percentage: number): Buffer {
  const file = join(seedDir, PRODUCTION_FLAGS);
  const original = readFileSync(file, 'utf8');
  try {
    writeFileSync(
      file,
      original
        .replace(
          'use_influxdb_for_api_queries: { enabled: false }',
          'use_influxdb_for_api_queries: { enabled: true }',
        )
        .replace(/percentage: 0\b/, `percentage: ${percentage}`),
    );
    const repository = loadRepository(new WorkingTreeSource(seedDir));
    const target = repository.targets.find(
      (t) =>
        t.application === 'ons-data-platform-app' &&
        t.environment === 'production' &&
        t.profile === 'feature-flags',
    );
    if (!target) throw new Error('no production feature-flags target in the seed');
    const result = compileTarget(repository.applications['ons-data-platform-app']!, target);
    if (!result.ok) throw new Error(`compile failed: ${JSON.stringify(result.diagnostics)}`);
    return result.document.content;
  } finally {
    writeFileSync(file, original);
  }
}

interface AppConfigTarget {
  applicationId: string;
  environmentId: string;
  profileId: string;
}

async function createTarget(
  appconfig: AppConfigClient,
  names: { application: string; environment: string; profile: string },
  monitors: string[] = [],
): Promise<AppConfigTarget> {
  const applicationId = (await appconfig.send(new CreateApplicationCommand({ Name: names.application }))).Id!;
  const environmentId = (
    await appconfig.send(
      new CreateEnvironmentCommand({
        ApplicationId: applicationId,
        Name: names.environment,
        Monitors: monitors.map((AlarmArn) => ({ AlarmArn })),
      }),
    )
  ).Id!;
  const profileId = (
    await appconfig.send(
      new CreateConfigurationProfileCommand({
        ApplicationId: applicationId,
        Name: names.profile,
        LocationUri: 'hosted',
        Type: 'AWS.AppConfig.FeatureFlags',
      }),
    )
  ).Id!;
  return { applicationId, environmentId, profileId };
}

async function upload(appconfig: AppConfigClient, t: AppConfigTarget, content: Buffer): Promise<string> {
  const version = await appconfig.send(
    new CreateHostedConfigurationVersionCommand({
      ApplicationId: t.applicationId,
      ConfigurationProfileId: t.profileId,
      Content: content,
      ContentType: 'application/json',
    }),
  );
  return String(version.VersionNumber);
}

async function deploy(appconfig: AppConfigClient, t: AppConfigTarget, version: string, strategy: string) {
  return appconfig.send(
    new StartDeploymentCommand({
      ApplicationId: t.applicationId,
      EnvironmentId: t.environmentId,
      ConfigurationProfileId: t.profileId,
      ConfigurationVersion: version,
      DeploymentStrategyId: strategy,
    }),
  );
}

const getDeployment = (appconfig: AppConfigClient, t: AppConfigTarget, n: number) =>
  appconfig.send(
    new GetDeploymentCommand({
      ApplicationId: t.applicationId,
      EnvironmentId: t.environmentId,
      DeploymentNumber: n,
    }),
  );

async function slowStrategy(appconfig: AppConfigClient): Promise<string> {
  return (
    await appconfig.send(
      new CreateDeploymentStrategyCommand({
        Name: 'slow-linear',
        DeploymentDurationInMinutes: 20,
        GrowthFactor: 10,
        GrowthType: 'LINEAR',
        FinalBakeTimeInMinutes: 10,
      }),
    )
  ).Id!;
}

async function alarmState(cloudwatch: CloudWatchClient, name: string): Promise<string | undefined> {
  const out = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return out.MetricAlarms?.[0]?.StateValue;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'flagops-integration-'));
  seedDir = join(tmp, 'seed');
  cpSync(join(PROJECT_ROOT, 'flags'), join(seedDir, 'flags'), { recursive: true });
  cpSync(join(PROJECT_ROOT, 'schemas'), join(seedDir, 'schemas'), { recursive: true });
});

afterAll(async () => {
  for (const entry of [...opened]) await close(entry);
  rmSync(tmp, { recursive: true, force: true });
});

describe('startup exports', () => {
  it('prints one export line per variable a shell needs, each pointing at the running sandbox', async () => {
    const entry = await open();
    const { sandbox } = entry;
    const lines = sandbox.exports().split('\n');
    const parsed = new Map<string, string>();
    for (const line of lines) {
      const match = /^export ([A-Z][A-Z0-9_]*)=(\S+)$/.exec(line);
      expect(match, line).not.toBeNull();
      parsed.set(match![1]!, match![2]!);
    }
    expect(parsed.size).toBe(lines.length);
    for (const name of [
      'AWS_ENDPOINT_URL',
      'AWS_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'GITHUB_API_URL',
      'GITHUB_TOKEN',
      'GITHUB_REPOSITORY',
      'FLAGOPS_GIT_REMOTE',
      'FLAGOPS_CLOCK_SPEED',
    ]) {
      expect(parsed.get(name), name).toBe(sandbox.env[name]);
    }
    // flagops' own clock, made from the exported clock pair, tells the sandbox's time.
    const followed = await clockFromEnvironment(Object.fromEntries(parsed));
    expect(Math.abs(followed.now() - sandbox.clock.now())).toBeLessThan(1_000);
    expect(parsed.get('AWS_ENDPOINT_URL')).toBe(sandbox.url);
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
    expect(parsed.get('AWS_REGION')).toBe(REGION);
    expect(parsed.get('GITHUB_API_URL')).toBe(`${sandbox.url}/github`);
    expect(parsed.get('GITHUB_TOKEN')).toMatch(/^sandbox-bot-/);
    expect(parsed.get('GITHUB_REPOSITORY')).toBe('ons/flags');
    expect(parsed.get('FLAGOPS_CLOCK_SPEED')).toBe('1');

    // The remote is the real bare repository, seeded from the seed directory.
    const remote = parsed.get('FLAGOPS_GIT_REMOTE')!;
    expect(remote).toBe(sandbox.gitRemote);
    expect(git(tmp, '--git-dir', remote, 'ls-tree', '-r', '--name-only', 'main').split('\n')).toContain(
      'flags/ons-data-platform-app/app.yaml',
    );
    // And the printed token and API URL work for the printed repository.
    const bot = getOctokit(parsed.get('GITHUB_TOKEN')!, { baseUrl: parsed.get('GITHUB_API_URL')! });
    const [owner, repo] = parsed.get('GITHUB_REPOSITORY')!.split('/') as [string, string];
    const repository = await bot.rest.repos.get({ owner, repo });
    expect(repository.data.default_branch).toBe('main');
    await close(entry);
  });
});

describe('monitor-triggered rollback across services', () => {
  it('rolls a slow deployment back when breaching metrics put its monitored CloudWatch alarm in ALARM', async () => {
    const entry = await open();
    const { sandbox, clients } = entry;
    const { appconfig, cloudwatch } = clients;

    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'influxdb-errors',
        Namespace: NAMESPACE,
        MetricName: 'ErrorCount',
        Dimensions: INFLUX,
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 50,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    const alarm = (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['influxdb-errors'] })))
      .MetricAlarms?.[0];
    expect(alarm?.AlarmArn).toMatch(/^arn:aws:cloudwatch:eu-west-2:\d{12}:alarm:influxdb-errors$/);

    const t = await createTarget(
      appconfig,
      { application: 'rollback-app', environment: 'production', profile: 'feature-flags' },
      [alarm!.AlarmArn!],
    );
    const version = await upload(appconfig, t, compiledProductionFlags(10));
    const strategy = await slowStrategy(appconfig);
    const started = await deploy(appconfig, t, version, strategy);
    expect(started.DeploymentNumber).toBe(1);

    // Three quiet minutes: the alarm settles in OK and the deployment keeps growing.
    advance(sandbox, 3 * MINUTE);
    expect(await alarmState(cloudwatch, 'influxdb-errors')).toBe('OK');
    const growing = await getDeployment(appconfig, t, 1);
    expect(growing.State).toBe('DEPLOYING');
    expect(growing.PercentageComplete).toBeGreaterThan(0);
    expect(growing.PercentageComplete).toBeLessThan(100);

    // Errors breach the threshold in the current minute; the alarm judges that minute at its end.
    const now = sandbox.clock.now();
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: NAMESPACE,
        MetricData: [
          {
            MetricName: 'ErrorCount',
            Dimensions: INFLUX,
            Value: 400,
            Unit: 'Count',
            Timestamp: new Date(now),
          },
        ],
      }),
    );
    const periodEnd = Math.ceil((now + 1) / MINUTE) * MINUTE;
    advance(sandbox, periodEnd + 10_000 - now);
    expect(await alarmState(cloudwatch, 'influxdb-errors')).toBe('ALARM');

    const rolledBack = await getDeployment(appconfig, t, 1);
    expect(rolledBack.State).toBe('ROLLED_BACK');
    expect(rolledBack.EventLog?.map((e) => e.EventType)).toContain('ROLLBACK_STARTED');
    const rollback = rolledBack.EventLog?.find((e) => e.EventType === 'ROLLBACK_STARTED');
    expect(rollback?.TriggeredBy).toBe('CLOUDWATCH_ALARM');
    expect(rollback?.Description).toContain('influxdb-errors');
    const env = await appconfig.send(
      new GetEnvironmentCommand({ ApplicationId: t.applicationId, EnvironmentId: t.environmentId }),
    );
    expect(env.State).toBe('ROLLED_BACK');
    await close(entry);
  });
});

describe('scenarios publish metrics from the deployed traffic share', () => {
  /** InfluxDB error rate (%) per minute in [from, to), through metric math. */
  async function influxErrorRate(cloudwatch: CloudWatchClient, from: number, to: number) {
    const stat = (id: string, name: string) => ({
      Id: id,
      ReturnData: false,
      MetricStat: {
        Metric: { Namespace: NAMESPACE, MetricName: name, Dimensions: INFLUX },
        Period: 60,
        Stat: 'Sum',
      },
    });
    const out = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(from),
        EndTime: new Date(to),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          stat('errors', 'ErrorCount'),
          stat('requests', 'RequestCount'),
          { Id: 'rate', Expression: '100 * errors / requests', ReturnData: true },
        ],
      }),
    );
    expect(out.MetricDataResults).toHaveLength(1);
    return out.MetricDataResults![0]!.Values ?? [];
  }

  async function requestSums(cloudwatch: CloudWatchClient, from: number, to: number): Promise<number[]> {
    const out = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(from),
        EndTime: new Date(to),
        MetricDataQueries: [
          {
            Id: 'requests',
            MetricStat: {
              Metric: { Namespace: NAMESPACE, MetricName: 'RequestCount', Dimensions: INFLUX },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );
    return out.MetricDataResults![0]!.Values ?? [];
  }

  it('shows the InfluxDB error rate above 5 % at 50 % under overload, and below 5 % at 25 % when healthy', async () => {
    const entry = await open();
    const { sandbox, clients } = entry;
    const { appconfig, cloudwatch } = clients;
    const t = await createTarget(appconfig, {
      application: 'ons-data-platform-app',
      environment: 'production',
      profile: 'feature-flags',
    });
    const fifty = compiledProductionFlags(50);
    const doc = JSON.parse(fifty.toString('utf8'));
    expect(doc.values.use_influxdb_for_api_queries.enabled).toBe(true);
    expect(doc.values.influxdb_traffic_percentage).toMatchObject({ enabled: true, percentage: 50 });

    expect((await control(sandbox, 'scenario', { name: 'influxdb-overload-above-40' }))['scenario']).toBe(
      'influxdb-overload-above-40',
    );
    const v50 = await upload(appconfig, t, fifty);
    await deploy(appconfig, t, v50, 'AppConfig.AllAtOnce');
    const overloadFrom = Math.ceil(sandbox.clock.now() / MINUTE) * MINUTE;
    advance(sandbox, 6 * MINUTE);
    expect((await control(sandbox, 'scenario'))['influxPercent']).toBe(50);
    const overloadTo = Math.floor(sandbox.clock.now() / MINUTE) * MINUTE;
    const overload = await influxErrorRate(cloudwatch, overloadFrom, overloadTo);
    expect(overload.length).toBeGreaterThanOrEqual(4);
    for (const rate of overload) expect(rate).toBeGreaterThan(5);
    // Half of the 1,200 queries a minute go to InfluxDB.
    for (const n of await requestSums(cloudwatch, overloadFrom, overloadTo)) expect(n).toBe(600);

    // Let the first deployment finish its bake, then go back to 25 % on a healthy cluster.
    advance(sandbox, 10 * MINUTE);
    expect((await getDeployment(appconfig, t, 1)).State).toBe('COMPLETE');
    await control(sandbox, 'scenario', { name: 'healthy' });
    const v25 = await upload(appconfig, t, compiledProductionFlags(25));
    await deploy(appconfig, t, v25, 'AppConfig.AllAtOnce');
    const healthyFrom = Math.ceil(sandbox.clock.now() / MINUTE) * MINUTE;
    advance(sandbox, 6 * MINUTE);
    const healthyTo = Math.floor(sandbox.clock.now() / MINUTE) * MINUTE;
    const healthy = await influxErrorRate(cloudwatch, healthyFrom, healthyTo);
    expect(healthy.length).toBeGreaterThanOrEqual(4);
    for (const rate of healthy) expect(rate).toBeLessThan(5);
    for (const n of await requestSums(cloudwatch, healthyFrom, healthyTo)) expect(n).toBe(300);

    // AppConfigData serves the same 25 % to clients.
    const session = await clients.data.send(
      new StartConfigurationSessionCommand({
        ApplicationIdentifier: 'ons-data-platform-app',
        EnvironmentIdentifier: 'production',
        ConfigurationProfileIdentifier: 'feature-flags',
      }),
    );
    const latest = await clients.data.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: session.InitialConfigurationToken! }),
    );
    const served = JSON.parse(new TextDecoder().decode(latest.Configuration));
    expect(served.influxdb_traffic_percentage).toMatchObject({ enabled: true, percentage: 25 });
    await close(entry);
  });
});

describe('persistence across a restart', () => {
  it('restores AppConfig, CloudWatch, GitHub and the scenario from the state file, and the clock continues', async () => {
    const workDir = join(tmp, 'persist-work');
    const statePath = join(tmp, 'persist', 'state.json');
    const first = await open({ statePath, workDir });
    const { appconfig, cloudwatch, github } = first.clients;

    const t = await createTarget(appconfig, {
      application: 'kept-app',
      environment: 'kept-env',
      profile: 'flags',
    });
    const version = await upload(appconfig, t, compiledProductionFlags(10));
    await deploy(appconfig, t, version, await slowStrategy(appconfig));
    advance(first.sandbox, 4 * MINUTE);
    const before = await getDeployment(appconfig, t, 1);
    expect(before.State).toBe('DEPLOYING');

    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'kept-alarm',
        Namespace: 'Kept',
        MetricName: 'Value',
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    const metricAt = Math.floor(first.sandbox.clock.now() / MINUTE) * MINUTE - MINUTE;
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'Kept',
        MetricData: [{ MetricName: 'Value', Value: 42, Timestamp: new Date(metricAt + 1_000) }],
      }),
    );

    const clone = join(tmp, 'persist-clone');
    pushBranch(first.sandbox.gitRemote, clone, 'kept-branch');
    const pr = await github.rest.pulls.create({
      owner: 'ons',
      repo: 'flags',
      title: 'Kept across restarts',
      head: 'kept-branch',
      base: 'main',
    });
    await control(first.sandbox, 'scenario', { name: 'influxdb-latency-degraded' });
    const session = await first.clients.data.send(
      new StartConfigurationSessionCommand({
        ApplicationIdentifier: 'kept-app',
        EnvironmentIdentifier: 'kept-env',
        ConfigurationProfileIdentifier: 'flags',
      }),
    );

    // Idle simulated time after the last change still counts: a restart resumes from the close.
    first.sandbox.clock.advance(30_000);
    const closedAt = first.sandbox.clock.now();
    await close(first);
    expect(existsSync(statePath)).toBe(true);

    const second = await open({ statePath, workDir });
    // The clock resumes from the saved instant, not from the `start` option or the real time.
    expect(second.sandbox.clock.now()).toBeGreaterThanOrEqual(closedAt);
    expect(second.sandbox.clock.now()).toBeLessThan(closedAt + MINUTE);
    expect(second.sandbox.gitRemote).toBe(first.sandbox.gitRemote);
    const c = second.clients;

    const app = await c.appconfig.send(new GetApplicationCommand({ ApplicationId: t.applicationId }));
    expect(app.Name).toBe('kept-app');
    const after = await getDeployment(c.appconfig, t, 1);
    expect(after.State).toBe('DEPLOYING');
    expect(after.PercentageComplete).toBeGreaterThanOrEqual(before.PercentageComplete!);
    // Newest first: the events seen before the restart are still the oldest ones.
    expect(after.EventLog?.slice(-before.EventLog!.length)).toEqual(before.EventLog);
    // And the restored deployment keeps moving on the restored clock.
    advance(second.sandbox, 40 * MINUTE);
    expect((await getDeployment(c.appconfig, t, 1)).State).toBe('COMPLETE');

    const alarm = (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['kept-alarm'] })))
      .MetricAlarms?.[0];
    expect(alarm?.AlarmName).toBe('kept-alarm');
    const metrics = await c.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(metricAt),
        EndTime: new Date(metricAt + MINUTE),
        MetricDataQueries: [
          {
            Id: 'kept',
            MetricStat: { Metric: { Namespace: 'Kept', MetricName: 'Value' }, Period: 60, Stat: 'Maximum' },
          },
        ],
      }),
    );
    expect(metrics.MetricDataResults?.[0]?.Values).toEqual([42]);

    const restored = await c.github.rest.pulls.get({
      owner: 'ons',
      repo: 'flags',
      pull_number: pr.data.number,
    });
    expect(restored.data).toMatchObject({
      title: 'Kept across restarts',
      state: 'open',
      head: { ref: 'kept-branch', sha: git(clone, 'rev-parse', 'HEAD') },
    });
    expect((await control(second.sandbox, 'scenario'))['scenario']).toBe('influxdb-latency-degraded');
    // An AppConfigData token issued before the restart is still good after it (and only once).
    const polled = await c.data.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: session.InitialConfigurationToken! }),
    );
    expect(polled.NextPollConfigurationToken).toBeTruthy();
    await expect(
      c.data.send(
        new GetLatestConfigurationCommand({ ConfigurationToken: session.InitialConfigurationToken! }),
      ),
    ).rejects.toBeInstanceOf(DataBadRequestException);
    await close(second);
  });
});

describe('faults and control endpoints', () => {
  it('absorbs 30 % injected throttling with the SDKs’ retries over 50 mixed calls', async () => {
    const entry = await open({ faultSeed: 7 });
    const { sandbox } = entry;
    const patient = clientsFor(sandbox, 10);
    try {
      const t = await createTarget(patient.appconfig, { application: 'a', environment: 'e', profile: 'p' });
      await control(sandbox, 'faults', { rules: [{ operation: '*', kind: 'throttle', probability: 0.3 }] });
      const calls: Array<() => Promise<unknown>> = [];
      for (let i = 0; i < 50; i++) {
        switch (i % 5) {
          case 0:
            calls.push(() =>
              patient.appconfig.send(new GetApplicationCommand({ ApplicationId: t.applicationId })),
            );
            break;
          case 1:
            calls.push(() => patient.appconfig.send(new ListApplicationsCommand({})));
            break;
          case 2:
            calls.push(() =>
              patient.cloudwatch.send(
                new PutMetricDataCommand({
                  Namespace: 'Faults',
                  MetricData: [{ MetricName: 'Calls', Value: 1 }],
                }),
              ),
            );
            break;
          case 3:
            calls.push(() => patient.cloudwatch.send(new DescribeAlarmsCommand({})));
            break;
          default:
            calls.push(() =>
              patient.data.send(
                new StartConfigurationSessionCommand({
                  ApplicationIdentifier: 'a',
                  EnvironmentIdentifier: 'e',
                  ConfigurationProfileIdentifier: 'p',
                }),
              ),
            );
        }
      }
      // All at once, so the SDKs' backoff waits overlap.
      const results = await Promise.allSettled(calls.map((call) => call()));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(results).toHaveLength(50);

      const faults = await control(sandbox, 'faults');
      const injected = Object.values(faults['injected'] as Record<string, number>).reduce((a, b) => a + b, 0);
      // Throttling really happened (about 30 % of first attempts plus retries), and was absorbed.
      expect(injected).toBeGreaterThanOrEqual(8);
      const ops = Object.keys(faults['injected'] as Record<string, number>);
      expect(ops).toEqual(expect.arrayContaining(['GetApplication', 'PutMetricData', 'DescribeAlarms']));
      await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
    } finally {
      destroy(patient);
      await close(entry);
    }
  });

  it('drops a connection: a network error without retries, absorbed with them', async () => {
    const entry = await open();
    const { sandbox } = entry;
    const impatient = clientsFor(sandbox, 1);
    try {
      const t = await createTarget(entry.clients.appconfig, {
        application: 'r',
        environment: 'e',
        profile: 'p',
      });
      await control(sandbox, 'faults', { operation: 'GetApplication', kind: 'reset', count: 1 });
      const error = await impatient.appconfig
        .send(new GetApplicationCommand({ ApplicationId: t.applicationId }))
        .then(
          () => undefined,
          (err: unknown) => err as Error & { code?: string; $metadata?: { httpStatusCode?: number } },
        );
      expect(error).toBeDefined();
      // Not a service error: no HTTP status came back, the socket was closed.
      expect(error?.$metadata?.httpStatusCode).toBeUndefined();
      expect(`${error?.name} ${error?.code} ${error?.message}`).toMatch(/ECONNRESET|socket hang up|EPIPE/);

      await control(sandbox, 'faults', { operation: 'GetApplication', kind: 'reset', count: 1 });
      const app = await entry.clients.appconfig.send(
        new GetApplicationCommand({ ApplicationId: t.applicationId }),
      );
      expect(app.Name).toBe('r');
      const faults = await control(sandbox, 'faults');
      expect(faults['injected']).toMatchObject({ GetApplication: 2 });
      expect(faults['rules']).toEqual([]);
    } finally {
      destroy(impatient);
      await close(entry);
    }
  });

  it('dumps every service in /_sandbox/state and empties them all with /_sandbox/reset', async () => {
    const entry = await open();
    const { sandbox, clients } = entry;
    await createTarget(clients.appconfig, { application: 'dumped', environment: 'e', profile: 'p' });
    await clients.data.send(
      new StartConfigurationSessionCommand({
        ApplicationIdentifier: 'dumped',
        EnvironmentIdentifier: 'e',
        ConfigurationProfileIdentifier: 'p',
      }),
    );
    await clients.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'dumped-alarm',
        Namespace: 'Dumped',
        MetricName: 'Value',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    pushBranch(sandbox.gitRemote, join(tmp, 'dumped-clone'), 'dumped-branch');
    const pr = await clients.github.rest.pulls.create({
      owner: 'ons',
      repo: 'flags',
      title: 'Dumped pull request',
      head: 'dumped-branch',
      base: 'main',
    });
    await clients.github.rest.issues.createComment({
      owner: 'ons',
      repo: 'flags',
      issue_number: pr.data.number,
      body: 'dumped comment',
    });
    await control(sandbox, 'faults', { operation: 'NeverCalled', kind: 'error', probability: 0 });

    const state = await control(sandbox, 'state');
    for (const key of ['clock', 'appconfig', 'appconfigdata', 'cloudwatch', 'github', 'scenario', 'faults'])
      expect(state, key).toHaveProperty(key);
    const text = JSON.stringify(state);
    for (const needle of ['dumped', 'dumped-alarm', 'Dumped pull request', 'dumped comment', 'NeverCalled'])
      expect(text).toContain(needle);

    expect((await control(sandbox, 'reset', {}))['reset']).toBe(true);
    expect((await clients.appconfig.send(new ListApplicationsCommand({}))).Items).toEqual([]);
    expect((await clients.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
    const pulls = await clients.github.rest.pulls.list({ owner: 'ons', repo: 'flags', state: 'all' });
    expect(pulls.data).toEqual([]);
    const after = JSON.stringify(await control(sandbox, 'state'));
    for (const needle of ['"dumped"', 'dumped-alarm', 'Dumped pull request', 'dumped comment', 'NeverCalled'])
      expect(after).not.toContain(needle);
    await close(entry);
  });
});

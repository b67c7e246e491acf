/**
 * The sandbox's AppConfig, AppConfigData and CloudWatch answer as AWS's published Smithy models
 * say, for every operation flagops calls (found in src/ by the SDK commands it sends) and the one
 * the migration guide tells users to run (GetMetricStatistics): the real SDK clients make the
 * calls, and each raw answer — status, headers, JSON members, errors — is checked against the
 * model before the SDK reads it (test/helpers/smithy.ts says what is checked).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  GetHostedConfigurationVersionCommand,
  ListApplicationsCommand,
  ListConfigurationProfilesCommand,
  ListDeploymentStrategiesCommand,
  ListDeploymentsCommand,
  ListEnvironmentsCommand,
  ListHostedConfigurationVersionsCommand,
  StartDeploymentCommand,
  StopDeploymentCommand,
  UpdateEnvironmentCommand,
} from '@aws-sdk/client-appconfig';
import {
  AppConfigDataClient,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetDashboardCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  PutDashboardCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';
import { PROJECT_ROOT } from '../helpers/cli.ts';
import { loadModel, type RawAnswer, type SmithyModel } from '../helpers/smithy.ts';

const MODELS = {
  appconfig: loadModel('appconfig-2019-10-09.json', 'restJson1'),
  appconfigdata: loadModel('appconfigdata-2021-11-11.json', 'restJson1'),
  // The v3 SDK speaks JSON 1.0 to CloudWatch (awsQuery is tested with the AWS CLI elsewhere).
  cloudwatch: loadModel('cloudwatch-2010-08-01.json', 'awsJson1_0'),
};
/** The guide's own CloudWatch command (`aws cloudwatch get-metric-statistics`). */
const GUIDE_OPERATIONS = ['GetMetricStatistics'];

interface Seen {
  service: keyof typeof MODELS;
  operation: string;
  answer: RawAnswer;
}
const seen: Seen[] = [];

/** Keeps each raw answer (read before the SDK's deserializer) for the model to judge. */
function capturing<C extends { middlewareStack: { add: (...a: never[]) => void } }>(
  service: keyof typeof MODELS,
  client: C,
): C {
  const add = client.middlewareStack.add as unknown as (
    mw: (
      next: (args: unknown) => Promise<{ response: Record<string, unknown> }>,
      context: { commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
    options: { step: string; priority: string; name: string },
  ) => void;
  add(
    (next, context) => async (args) => {
      const out = await next(args);
      const res = out.response as {
        statusCode: number;
        headers: Record<string, string>;
        body: AsyncIterable<Uint8Array> | Uint8Array | undefined;
      };
      const chunks: Buffer[] = [];
      if (res.body instanceof Uint8Array) chunks.push(Buffer.from(res.body));
      else if (res.body) for await (const c of res.body) chunks.push(Buffer.from(c));
      const body = Buffer.concat(chunks);
      res.body = new Uint8Array(body);
      seen.push({
        service,
        operation: (context.commandName ?? '').replace(/Command$/, ''),
        answer: { status: res.statusCode, headers: lower(res.headers), body },
      });
      return out;
    },
    { step: 'deserialize', priority: 'low', name: 'captureRawAnswer' },
  );
  return client;
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** The SDK commands src/ sends, by name (`new GetDeploymentCommand(` → GetDeployment). */
function operationsFlagopsCalls(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }))
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.ts')) files.push(join(dir, e.name));
  };
  walk(join(PROJECT_ROOT, 'src'));
  const names = new Set<string>();
  for (const f of files)
    for (const m of readFileSync(f, 'utf8').matchAll(/new ([A-Z][A-Za-z]+)Command\(/g))
      names.add(m[1] as string);
  return [...names].sort();
}

let sandbox: Sandbox;
let appconfig: AppConfigClient;
let data: AppConfigDataClient;
let cloudwatch: CloudWatchClient;
const ids: Record<string, string> = {};

async function failing(what: string, p: Promise<unknown>): Promise<void> {
  await p.then(
    () => {
      throw new Error(`expected ${what} to fail`);
    },
    () => undefined,
  );
}

beforeAll(async () => {
  sandbox = await startSandbox({ speed: 0 });
  const config = {
    endpoint: sandbox.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    maxAttempts: 1,
  };
  appconfig = capturing('appconfig', new AppConfigClient(config));
  data = capturing('appconfigdata', new AppConfigDataClient(config));
  cloudwatch = capturing('cloudwatch', new CloudWatchClient(config));

  const app = await appconfig.send(new CreateApplicationCommand({ Name: 'conformance', Description: 'app' }));
  ids['app'] = app.Id as string;
  const env = await appconfig.send(
    new CreateEnvironmentCommand({ ApplicationId: ids['app'], Name: 'production' }),
  );
  ids['env'] = env.Id as string;
  const profile = await appconfig.send(
    new CreateConfigurationProfileCommand({
      ApplicationId: ids['app'],
      Name: 'feature-flags',
      LocationUri: 'hosted',
      Type: 'AWS.AppConfig.FeatureFlags',
    }),
  );
  ids['profile'] = profile.Id as string;
  const strategy = await appconfig.send(
    new CreateDeploymentStrategyCommand({
      Name: 'conformance.linear',
      DeploymentDurationInMinutes: 10,
      GrowthFactor: 50,
      GrowthType: 'LINEAR',
      FinalBakeTimeInMinutes: 5,
      ReplicateTo: 'NONE',
    }),
  );
  ids['strategy'] = strategy.Id as string;
  const content = JSON.stringify({
    version: '1',
    flags: { use_influxdb: { name: 'use_influxdb' } },
    values: { use_influxdb: { enabled: true } },
  });
  const version = await appconfig.send(
    new CreateHostedConfigurationVersionCommand({
      ApplicationId: ids['app'],
      ConfigurationProfileId: ids['profile'],
      Content: new TextEncoder().encode(content),
      ContentType: 'application/json',
      VersionLabel: 'v1',
      Description: 'first',
    }),
  );
  ids['version'] = String(version.VersionNumber);
  await appconfig.send(new ListApplicationsCommand({ MaxResults: 50 }));
  await appconfig.send(new GetApplicationCommand({ ApplicationId: ids['app'] }));
  await appconfig.send(new ListEnvironmentsCommand({ ApplicationId: ids['app'], MaxResults: 50 }));
  await appconfig.send(new GetEnvironmentCommand({ ApplicationId: ids['app'], EnvironmentId: ids['env'] }));
  await appconfig.send(
    new UpdateEnvironmentCommand({ ApplicationId: ids['app'], EnvironmentId: ids['env'], Monitors: [] }),
  );
  await appconfig.send(new ListConfigurationProfilesCommand({ ApplicationId: ids['app'], MaxResults: 50 }));
  await appconfig.send(new ListDeploymentStrategiesCommand({ MaxResults: 50 }));
  await appconfig.send(
    new ListHostedConfigurationVersionsCommand({
      ApplicationId: ids['app'],
      ConfigurationProfileId: ids['profile'],
      MaxResults: 50,
    }),
  );
  await appconfig.send(
    new GetHostedConfigurationVersionCommand({
      ApplicationId: ids['app'],
      ConfigurationProfileId: ids['profile'],
      VersionNumber: Number(ids['version']),
    }),
  );
  const deployment = await appconfig.send(
    new StartDeploymentCommand({
      ApplicationId: ids['app'],
      EnvironmentId: ids['env'],
      ConfigurationProfileId: ids['profile'],
      DeploymentStrategyId: ids['strategy'],
      ConfigurationVersion: ids['version'],
      Description: 'flagops conformance',
    }),
  );
  const number = deployment.DeploymentNumber as number;
  await appconfig.send(
    new GetDeploymentCommand({
      ApplicationId: ids['app'],
      EnvironmentId: ids['env'],
      DeploymentNumber: number,
    }),
  );
  await appconfig.send(
    new ListDeploymentsCommand({ ApplicationId: ids['app'], EnvironmentId: ids['env'], MaxResults: 50 }),
  );
  const session = await data.send(
    new StartConfigurationSessionCommand({
      ApplicationIdentifier: ids['app'],
      EnvironmentIdentifier: ids['env'],
      ConfigurationProfileIdentifier: ids['profile'],
    }),
  );
  await data.send(
    new GetLatestConfigurationCommand({ ConfigurationToken: session.InitialConfigurationToken }),
  );
  await appconfig.send(
    new StopDeploymentCommand({
      ApplicationId: ids['app'],
      EnvironmentId: ids['env'],
      DeploymentNumber: number,
    }),
  );
  // Errors, in each protocol.
  await failing('GetApplication', appconfig.send(new GetApplicationCommand({ ApplicationId: 'zzzzzzz' })));
  await failing(
    'CreateEnvironment',
    appconfig.send(new CreateEnvironmentCommand({ ApplicationId: ids['app'], Name: 'x'.repeat(65) })),
  );
  await failing(
    'GetLatestConfiguration',
    data.send(new GetLatestConfigurationCommand({ ConfigurationToken: 'not-a-token' })),
  );

  const now = new Date(sandbox.clock.now());
  await cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: 'conformance-error-rate',
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 5,
      TreatMissingData: 'notBreaching',
      Metrics: [
        {
          Id: 'rate',
          Expression: '100 * errors / requests',
          ReturnData: true,
        },
        ...['errors', 'requests'].map((id) => ({
          Id: id,
          ReturnData: false,
          MetricStat: {
            Metric: {
              Namespace: 'ONS/TrafficSwitching',
              MetricName: id === 'errors' ? 'ErrorCount' : 'RequestCount',
              Dimensions: [{ Name: 'Backend', Value: 'influxdb' }],
            },
            Period: 60,
            Stat: 'Sum',
          },
        })),
      ],
    }),
  );
  await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['conformance-error-rate'] }));
  await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'conformance-', MaxRecords: 100 }));
  const metric = {
    Namespace: 'ONS/TrafficSwitching',
    MetricName: 'RequestCount',
    Dimensions: [{ Name: 'Backend', Value: 'influxdb' }],
  };
  await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(now.getTime() - 3_600_000),
      EndTime: now,
      MetricDataQueries: [{ Id: 'requests', MetricStat: { Metric: metric, Period: 60, Stat: 'Sum' } }],
      ScanBy: 'TimestampAscending',
    }),
  );
  await cloudwatch.send(
    new GetMetricStatisticsCommand({
      ...metric,
      StartTime: new Date(now.getTime() - 3_600_000),
      EndTime: now,
      Period: 300,
      Statistics: ['Sum'],
    }),
  );
  await cloudwatch.send(
    new PutDashboardCommand({
      DashboardName: 'conformance',
      DashboardBody: JSON.stringify({ widgets: [{ type: 'text', properties: { markdown: 'hi' } }] }),
    }),
  );
  await cloudwatch.send(new GetDashboardCommand({ DashboardName: 'conformance' }));
  await failing('GetDashboard', cloudwatch.send(new GetDashboardCommand({ DashboardName: 'nope' })));
  await failing(
    'GetMetricStatistics',
    cloudwatch.send(
      new GetMetricStatisticsCommand({
        ...metric,
        StartTime: now,
        EndTime: now,
        Period: 7,
        Statistics: ['Sum'],
      }),
    ),
  );
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

function modelFor(operation: string): [keyof typeof MODELS, SmithyModel] | undefined {
  return (Object.entries(MODELS) as Array<[keyof typeof MODELS, SmithyModel]>).find(([, m]) =>
    m.has(operation),
  );
}

describe('the model check', () => {
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}): RawAnswer => ({
    status,
    headers,
    body: Buffer.from(JSON.stringify(body)),
  });

  it('refuses what AWS would not send', () => {
    const problems = MODELS.appconfig.check(
      'GetDeployment',
      answer(201, {
        DeploymentNumber: '1',
        State: 'DONE',
        StartedAt: 'yesterday',
        Description: null,
        Extra: 1,
      }),
    );
    expect(problems).toEqual([
      'status 201, the model says 200',
      '$.DeploymentNumber: string "1" where the model has an integer',
      '$.State: "DONE" is not one of BAKING, VALIDATING, DEPLOYING, COMPLETE, ROLLING_BACK, ROLLED_BACK, REVERTED',
      '$.StartedAt: "yesterday" is not a date-time',
      '$.Description: null (AWS omits members it has no value for)',
      '$.Extra: not a member in the model',
    ]);
    expect(
      MODELS.appconfig.check(
        'GetHostedConfigurationVersion',
        answer(200, {}, { 'version-number': 'one', 'content-type': 'application/json' }),
      ),
    ).toEqual(['header Version-Number: "one" is not an integer']);
    expect(
      MODELS.cloudwatch.check(
        'GetDashboard',
        answer(404, { __type: 'com.amazonaws.cloudwatch#LimitExceededFault', message: 'x' }),
      ),
    ).toEqual(['error com.amazonaws.cloudwatch#LimitExceededFault is not one GetDashboard declares']);
  });
});

describe("the sandbox's AWS answers against AWS's Smithy models", () => {
  const wanted = [...operationsFlagopsCalls(), ...GUIDE_OPERATIONS];

  it('knows every operation flagops and the guide call', () => {
    expect(wanted.filter((op) => !modelFor(op))).toEqual([]);
    expect(wanted.length).toBeGreaterThan(20);
  });

  it.each(wanted)('%s was called, and each answer conforms', (operation) => {
    const answers = seen.filter((s) => s.operation === operation);
    expect(answers.length, `${operation} was never called here`).toBeGreaterThan(0);
    for (const s of answers) {
      const problems = MODELS[s.service].check(operation, s.answer);
      expect(problems, `${s.service} ${operation} → ${s.answer.status}`).toEqual([]);
    }
  });

  it('the errors conform too', () => {
    const errors = seen.filter((s) => s.answer.status >= 400);
    expect(errors.map((s) => `${s.operation} ${s.answer.status}`)).toEqual([
      'GetApplication 404',
      'CreateEnvironment 400',
      'GetLatestConfiguration 400',
      'GetDashboard 404',
      'GetMetricStatistics 400',
    ]);
    for (const s of errors) expect(MODELS[s.service].check(s.operation, s.answer), s.operation).toEqual([]);
  });
});

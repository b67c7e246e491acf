/**
 * What the end-to-end tests that drive the sandbox's workflows share: acting as people do (GitHub
 * REST as a sandbox user, `workflow_dispatch`, AWS through the real SDK with the sandbox's admin
 * credentials), changing the world through the sandbox's control endpoints (clock, traffic
 * scenario), and reading what the workflows did (runs, jobs, logs) and what AppConfig serves.
 * Nothing here calls the product: everything after a person's action is the workflows'.
 *
 * `sandbox` is a getter because the tests start theirs in `beforeAll`.
 */
import { getOctokit } from '@actions/github';
import {
  AppConfigClient,
  CreateHostedConfigurationVersionCommand,
  GetHostedConfigurationVersionCommand,
  ListApplicationsCommand,
  ListConfigurationProfilesCommand,
  ListDeploymentStrategiesCommand,
  ListEnvironmentsCommand,
  StartDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import {
  AppConfigDataClient,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import type { Sandbox } from '../../packages/sandbox/src/index.ts';

export const REPO = { owner: 'ons', repo: 'flags' };
export const APP = 'ons-data-platform-app';
const PROFILE = 'feature-flags';

export function workflowSandbox(sandbox: () => Sandbox) {
  const user = (login: string) =>
    getOctokit(`sandbox-user-${login}`, { baseUrl: sandbox().env['GITHUB_API_URL']! });

  /** Waits until no workflow run is queued or in progress. */
  async function idle(): Promise<void> {
    const res = await fetch(`${sandbox().url}/_sandbox/workflows/idle?timeout_ms=240000`);
    const { idle } = (await res.json()) as { idle: boolean };
    if (!idle) throw new Error('the sandbox’s workflows were still running after 240 s');
  }

  /** The world changes: `clock` ({advanceSeconds}), `scenario` ({name}) and the other control routes. */
  async function control(path: string, body: unknown): Promise<void> {
    const res = await fetch(`${sandbox().url}/_sandbox/${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`POST /_sandbox/${path}: ${res.status} ${await res.text()}`);
  }

  /** `workflow_dispatch` on main as `login` (olivia is an admin, alice and bob write), then waits. */
  async function dispatch(workflow: string, inputs: Record<string, string> = {}, login = 'olivia') {
    await user(login).rest.actions.createWorkflowDispatch({
      ...REPO,
      workflow_id: workflow,
      ref: 'main',
      inputs,
    });
    await idle();
  }

  async function jobLog(id: number): Promise<string> {
    const res = await fetch(`${sandbox().env['GITHUB_API_URL']}/repos/ons/flags/actions/jobs/${id}/logs`, {
      headers: { authorization: 'token sandbox-user-alice' },
    });
    return res.text();
  }

  /** Runs of a workflow, newest first, each with its jobs and their logs joined. */
  async function runsOf(workflow: string) {
    const { data } = await user('alice').rest.actions.listWorkflowRunsForRepo({ ...REPO, per_page: 100 });
    const runs = data.workflow_runs
      .filter((r) => r.path === `.github/workflows/${workflow}`)
      .sort((a, b) => b.id - a.id);
    return Promise.all(
      runs.map(async (run) => {
        const { data: jobs } = await user('alice').rest.actions.listJobsForWorkflowRun({
          ...REPO,
          run_id: run.id,
        });
        const logs = await Promise.all(jobs.jobs.map((j) => jobLog(j.id)));
        return { run, jobs: jobs.jobs, log: logs.join('\n') };
      }),
    );
  }

  function appconfig(): AppConfigClient {
    return new AppConfigClient({
      endpoint: sandbox().url,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
  }

  /** AppConfig's ids of the application, one environment and the feature-flags profile. */
  async function ids(client: AppConfigClient, environment: string) {
    const app = (await client.send(new ListApplicationsCommand({}))).Items!.find((a) => a.Name === APP)!;
    const env = (await client.send(new ListEnvironmentsCommand({ ApplicationId: app.Id! }))).Items!.find(
      (e) => e.Name === environment,
    )!;
    const profile = (
      await client.send(new ListConfigurationProfilesCommand({ ApplicationId: app.Id! }))
    ).Items!.find((p) => p.Name === PROFILE)!;
    return { ApplicationId: app.Id!, EnvironmentId: env.Id!, ConfigurationProfileId: profile.Id! };
  }

  /**
   * A deployment started by hand through the AppConfig API: version 1's content with the percentage
   * 42, a hosted version git never had. Resolves with that version's and the deployment's numbers.
   */
  async function deployBehindGitsBack(environment: string): Promise<{ version: number; deployment: number }> {
    const client = appconfig();
    const { ApplicationId, EnvironmentId, ConfigurationProfileId } = await ids(client, environment);
    const strategy = (await client.send(new ListDeploymentStrategiesCommand({}))).Items!.find(
      (s) => s.Name === 'AppConfig.AllAtOnce',
    )!;
    const first = await client.send(
      new GetHostedConfigurationVersionCommand({ ApplicationId, ConfigurationProfileId, VersionNumber: 1 }),
    );
    const content = JSON.parse(Buffer.from(first.Content!).toString('utf8')) as {
      values: Record<string, Record<string, unknown>>;
    };
    content.values['influxdb_traffic_percentage']!['percentage'] = 42;
    const version = await client.send(
      new CreateHostedConfigurationVersionCommand({
        ApplicationId,
        ConfigurationProfileId,
        Content: Buffer.from(JSON.stringify(content)),
        ContentType: 'application/json',
      }),
    );
    const started = await client.send(
      new StartDeploymentCommand({
        ApplicationId,
        EnvironmentId,
        ConfigurationProfileId,
        ConfigurationVersion: String(version.VersionNumber),
        DeploymentStrategyId: strategy.Id!,
        Description: 'hotfix from the console',
      }),
    );
    client.destroy();
    return { version: version.VersionNumber!, deployment: started.DeploymentNumber! };
  }

  /** What an environment's clients receive, read as they read it. */
  async function servedPercentage(environment: string): Promise<number> {
    const client = new AppConfigDataClient({
      endpoint: sandbox().url,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const session = await client.send(
      new StartConfigurationSessionCommand({
        ApplicationIdentifier: APP,
        EnvironmentIdentifier: environment,
        ConfigurationProfileIdentifier: PROFILE,
      }),
    );
    const out = await client.send(
      new GetLatestConfigurationCommand({ ConfigurationToken: session.InitialConfigurationToken! }),
    );
    client.destroy();
    const json = Buffer.from(out.Configuration ?? new Uint8Array()).toString('utf8');
    return (JSON.parse(json) as { influxdb_traffic_percentage: { percentage: number } })
      .influxdb_traffic_percentage.percentage;
  }

  return {
    user,
    idle,
    control,
    dispatch,
    jobLog,
    runsOf,
    appconfig,
    ids,
    deployBehindGitsBack,
    servedPercentage,
  };
}

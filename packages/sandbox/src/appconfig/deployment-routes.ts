/** StartDeployment, StopDeployment, GetDeployment and ListDeployments over the state machine. */
import type { ServiceContext } from '../core.ts';
import { isInFlight, stop } from './deployments.ts';
import { badRequest, conflict, notFound } from './errors.ts';
import {
  defined,
  integerLabel,
  jsonBody,
  optionalNumber,
  optionalString,
  requiredString,
  tags,
} from './input.ts';
import { paginate } from './pagination.ts';
import type { Router } from './router.ts';
import type { ConfigurationProfile, Deployment, HostedVersion } from './state.ts';
import type { AppConfigStore } from './store.ts';
import { runValidators } from './validators.ts';

const BASE = '/applications/{ApplicationId}/environments/{EnvironmentId}/deployments';
const STRATEGY_ID = /^(^[a-z0-9]{4,7}$|^AppConfig\.[A-Za-z0-9]{9,40}$)$/;

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function deploymentView(d: Deployment): Record<string, unknown> {
  return defined({
    ApplicationId: d.ApplicationId,
    EnvironmentId: d.EnvironmentId,
    DeploymentStrategyId: d.DeploymentStrategyId,
    ConfigurationProfileId: d.ConfigurationProfileId,
    DeploymentNumber: d.DeploymentNumber,
    ConfigurationName: d.ConfigurationName,
    ConfigurationLocationUri: d.ConfigurationLocationUri,
    ConfigurationVersion: d.ConfigurationVersion,
    Description: d.Description,
    DeploymentDurationInMinutes: d.DeploymentDurationInMinutes,
    GrowthType: d.GrowthType,
    GrowthFactor: d.GrowthFactor,
    FinalBakeTimeInMinutes: d.FinalBakeTimeInMinutes,
    State: d.State,
    EventLog: [...d.EventLog]
      .reverse()
      .map((e) => ({ ...e, ActionInvocations: [], OccurredAt: iso(e.OccurredAt) })),
    PercentageComplete: d.PercentageComplete,
    StartedAt: iso(d.StartedAt),
    CompletedAt: iso(d.CompletedAt),
    AppliedExtensions: [],
    VersionLabel: d.VersionLabel,
  });
}

function summaryView(d: Deployment): Record<string, unknown> {
  return defined({
    DeploymentNumber: d.DeploymentNumber,
    ConfigurationName: d.ConfigurationName,
    ConfigurationVersion: d.ConfigurationVersion,
    DeploymentDurationInMinutes: d.DeploymentDurationInMinutes,
    GrowthType: d.GrowthType,
    GrowthFactor: d.GrowthFactor,
    FinalBakeTimeInMinutes: d.FinalBakeTimeInMinutes,
    State: d.State,
    PercentageComplete: d.PercentageComplete,
    StartedAt: iso(d.StartedAt),
    CompletedAt: iso(d.CompletedAt),
    VersionLabel: d.VersionLabel,
  });
}

/** `ConfigurationVersion` is a version number, or for hosted configurations a VersionLabel. */
export function resolveVersion(
  store: AppConfigStore,
  profile: ConfigurationProfile,
  ref: string,
): HostedVersion {
  if (/^\d+$/.test(ref)) return store.version(profile, Number(ref));
  const labelled = store.versionsOf(profile).find((v) => v.VersionLabel === ref);
  if (!labelled) throw notFound('HostedConfigurationVersion', `with VersionLabel ${JSON.stringify(ref)}`);
  return labelled;
}

export function registerDeploymentRoutes(
  router: Router,
  store: AppConfigStore,
  ctx: ServiceContext,
  advanceAll: () => void,
): void {
  router
    .add('POST', BASE, 'StartDeployment', (req, p) => {
      const env = store.environment(p['ApplicationId']!, p['EnvironmentId']!);
      const body = jsonBody(req.body);
      const strategyId = requiredString(body, 'DeploymentStrategyId', 1, 64);
      if (!STRATEGY_ID.test(strategyId))
        throw badRequest(
          'DeploymentStrategyId must be a strategy ID (7 characters) or a predefined AppConfig.* ID',
        );
      const profile = store.profile(env.ApplicationId, requiredString(body, 'ConfigurationProfileId', 1, 64));
      const version = resolveVersion(store, profile, requiredString(body, 'ConfigurationVersion', 1, 1024));
      const strategy = store.strategy(strategyId);
      const description = optionalString(body, 'Description', 0, 1024);
      const expectedLatest = optionalNumber(body, 'LatestDeploymentNumber', 0, Number.MAX_SAFE_INTEGER, true);

      advanceAll();
      const history = store.deploymentsOf(env);
      const running = history.find(isInFlight);
      if (running)
        throw conflict(
          `deployment ${running.DeploymentNumber} of environment ${env.Id} is ${running.State}; AppConfig allows one deployment per environment at a time — wait for it to finish or stop it`,
        );
      const latestNumber = history.at(-1)?.DeploymentNumber ?? 0;
      if (expectedLatest !== undefined && expectedLatest !== latestNumber)
        throw conflict(
          `LatestDeploymentNumber is ${expectedLatest} but environment ${env.Id}'s latest deployment is ${latestNumber}`,
        );
      runValidators(profile.Validators, version.Content);

      const now = ctx.clock.now();
      const deployment: Deployment = defined({
        ApplicationId: env.ApplicationId,
        EnvironmentId: env.Id,
        DeploymentStrategyId: strategy.Id,
        ConfigurationProfileId: profile.Id,
        DeploymentNumber: latestNumber + 1,
        ConfigurationName: profile.Name,
        ConfigurationLocationUri: profile.LocationUri,
        ConfigurationVersion: String(version.VersionNumber),
        VersionLabel: version.VersionLabel,
        Description: description,
        DeploymentDurationInMinutes: strategy.DeploymentDurationInMinutes,
        GrowthType: strategy.GrowthType,
        GrowthFactor: strategy.GrowthFactor,
        FinalBakeTimeInMinutes: strategy.FinalBakeTimeInMinutes,
        State: 'VALIDATING' as const,
        PercentageComplete: 0,
        EventLog: [
          {
            EventType: 'DEPLOYMENT_STARTED' as const,
            TriggeredBy: 'USER' as const,
            Description: 'Deployment started',
            OccurredAt: now,
          },
        ],
        StartedAt: now,
        phaseStartedAt: now,
        Tags: tags(body),
      });
      store.state.deployments.push(deployment);
      ctx.changed();
      return { status: 201, body: deploymentView(deployment) };
    })
    .add('GET', BASE, 'ListDeployments', (req, p) => {
      advanceAll();
      const env = store.environment(p['ApplicationId']!, p['EnvironmentId']!);
      const newestFirst = store.deploymentsOf(env).reverse();
      return { status: 200, body: paginate(newestFirst.map(summaryView), req.query) };
    })
    .add('GET', `${BASE}/{DeploymentNumber}`, 'GetDeployment', (_req, p) => {
      advanceAll();
      const env = store.environment(p['ApplicationId']!, p['EnvironmentId']!);
      const d = store.deployment(env, integerLabel(p['DeploymentNumber']!, 'DeploymentNumber'));
      return { status: 200, body: deploymentView(d) };
    })
    .add('DELETE', `${BASE}/{DeploymentNumber}`, 'StopDeployment', (req, p) => {
      advanceAll();
      const env = store.environment(p['ApplicationId']!, p['EnvironmentId']!);
      const d = store.deployment(env, integerLabel(p['DeploymentNumber']!, 'DeploymentNumber'));
      const allowRevert = (req.headers['allow-revert'] ?? '').toLowerCase() === 'true';
      const isLatest = store.deploymentsOf(env).at(-1) === d;
      const outcome = stop(d, ctx.clock.now(), allowRevert, isLatest);
      if (!outcome.ok) throw badRequest(outcome.reason);
      ctx.changed();
      return { status: 202, body: deploymentView(d) };
    });
}

/**
 * The AppConfig control plane as the pipeline needs it: a small interface in flagops' own terms
 * (names, numbers, epoch ms) and one implementation over @aws-sdk/client-appconfig. Every call's
 * failure becomes an `AwsProblem`.
 *
 * The two calls that create something (CreateHostedConfigurationVersion, StartDeployment) go
 * through a client that does not retry: a retry after a reply was lost could create a second
 * version or deployment. The pipeline retries them itself, after checking what already exists.
 */

import {
  AppConfigClient,
  CreateApplicationCommand,
  CreateConfigurationProfileCommand,
  CreateDeploymentStrategyCommand,
  CreateEnvironmentCommand,
  CreateHostedConfigurationVersionCommand,
  type Deployment,
  type DeploymentSummary,
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
import { releaseParameters } from '../extension/release-guard.ts';
import type { ProfileType } from '../model/types.ts';
import { type AwsOptions, clientConfig } from './config.ts';
import { attempt } from './errors.ts';

export type DeploymentState =
  | 'VALIDATING'
  | 'DEPLOYING'
  | 'BAKING'
  | 'COMPLETE'
  | 'ROLLING_BACK'
  | 'ROLLED_BACK'
  | 'REVERTED';

/** States in which the environment accepts no other deployment. */
export const IN_FLIGHT: ReadonlySet<DeploymentState> = new Set([
  'VALIDATING',
  'DEPLOYING',
  'BAKING',
  'ROLLING_BACK',
]);

export interface DeploymentEvent {
  type: string;
  triggeredBy: string;
  description: string;
  at: number;
}

export interface DeploymentInfo {
  number: number;
  state: DeploymentState;
  percentageComplete: number;
  /** The profile's name (ListDeployments gives only the name). */
  profileName?: string;
  profileId?: string;
  /** ConfigurationVersion: the hosted version number, as a string. */
  version: string;
  versionLabel?: string;
  strategyId?: string;
  description?: string;
  startedAt?: number;
  completedAt?: number;
  /** Newest first, as AppConfig returns them (GetDeployment only). */
  events: DeploymentEvent[];
}

export interface Named {
  id: string;
  name: string;
}

export interface EnvironmentInfo extends Named {
  state?: string;
  monitors: Array<{ alarmArn: string; alarmRoleArn?: string }>;
}

export interface ProfileInfo extends Named {
  type?: string;
  locationUri?: string;
}

export interface StrategyInfo extends Named {
  durationMinutes?: number;
  growthFactor?: number;
  growthType?: string;
  finalBakeMinutes?: number;
}

export interface HostedVersionInfo {
  versionNumber: number;
  versionLabel?: string;
  description?: string;
  contentType?: string;
}

export interface AppConfigApi {
  listApplications(): Promise<Named[]>;
  createApplication(input: { name: string; description?: string }): Promise<Named>;
  listEnvironments(applicationId: string): Promise<EnvironmentInfo[]>;
  getEnvironment(applicationId: string, environmentId: string): Promise<EnvironmentInfo>;
  /** Replace the environment's alarm monitors (UpdateEnvironment). */
  setMonitors(
    applicationId: string,
    environmentId: string,
    monitors: Array<{ alarmArn: string; alarmRoleArn: string }>,
  ): Promise<void>;
  createEnvironment(
    applicationId: string,
    input: {
      name: string;
      description?: string;
      monitors?: Array<{ alarmArn: string; alarmRoleArn: string }>;
    },
  ): Promise<EnvironmentInfo>;
  listProfiles(applicationId: string): Promise<ProfileInfo[]>;
  createProfile(
    applicationId: string,
    input: { name: string; type: ProfileType; description?: string },
  ): Promise<ProfileInfo>;
  listStrategies(): Promise<StrategyInfo[]>;
  createStrategy(input: {
    name: string;
    description?: string;
    durationMinutes: number;
    growthFactor: number;
    growthType: 'LINEAR' | 'EXPONENTIAL';
    finalBakeMinutes: number;
  }): Promise<StrategyInfo>;
  findHostedVersions(applicationId: string, profileId: string, label: string): Promise<HostedVersionInfo[]>;
  /** Not retried by the SDK (see the module comment). */
  createHostedVersion(
    applicationId: string,
    profileId: string,
    input: { content: Uint8Array; contentType: string; label: string; description: string },
  ): Promise<HostedVersionInfo>;
  getHostedVersion(
    applicationId: string,
    profileId: string,
    versionNumber: number,
  ): Promise<HostedVersionInfo & { content: Uint8Array }>;
  /** Newest first, at most `limit` (default 100). */
  listDeployments(applicationId: string, environmentId: string, limit?: number): Promise<DeploymentInfo[]>;
  /** Not retried by the SDK (see the module comment). */
  startDeployment(
    applicationId: string,
    environmentId: string,
    input: {
      profileId: string;
      strategyId: string;
      version: string;
      description: string;
      /** The version's flagops label: signed for the release guard when a release key is set. */
      label?: string;
    },
  ): Promise<DeploymentInfo>;
  getDeployment(
    applicationId: string,
    environmentId: string,
    deploymentNumber: number,
  ): Promise<DeploymentInfo>;
  stopDeployment(
    applicationId: string,
    environmentId: string,
    deploymentNumber: number,
    allowRevert: boolean,
  ): Promise<DeploymentInfo>;
}

export function createAppConfigApi(options: AwsOptions): AppConfigApi {
  const client = new AppConfigClient(clientConfig(options));
  const once = new AppConfigClient(clientConfig(options, { maxAttempts: 1 }));

  /** Follow NextToken until done or `limit` items. */
  async function all<T>(
    doing: string,
    page: (next: string | undefined) => Promise<{ Items?: T[] | undefined; NextToken?: string | undefined }>,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined;
    do {
      const out = await attempt(doing, () => page(next));
      items.push(...(out.Items ?? []));
      next = out.NextToken;
    } while (next && items.length < limit);
    return items.slice(0, limit);
  }

  return {
    listApplications: async () =>
      (
        await all('listing AppConfig applications', (NextToken) =>
          client.send(new ListApplicationsCommand({ MaxResults: 50, NextToken })),
        )
      )
        .filter(hasIdAndName)
        .map(({ Id, Name }) => ({ id: Id, name: Name })),

    createApplication: async ({ name, description }) => {
      const out = await attempt(`creating application ${name}`, () =>
        client.send(
          new CreateApplicationCommand({ Name: name, ...(description ? { Description: description } : {}) }),
        ),
      );
      return { id: out.Id ?? '', name: out.Name ?? name };
    },

    listEnvironments: async (applicationId) =>
      (
        await all('listing environments', (NextToken) =>
          client.send(
            new ListEnvironmentsCommand({ ApplicationId: applicationId, MaxResults: 50, NextToken }),
          ),
        )
      )
        .filter(hasIdAndName)
        .map(toEnvironment),

    getEnvironment: async (applicationId, environmentId) => {
      const out = await attempt('reading the environment', () =>
        client.send(
          new GetEnvironmentCommand({ ApplicationId: applicationId, EnvironmentId: environmentId }),
        ),
      );
      return toEnvironment({ ...out, Id: out.Id ?? environmentId, Name: out.Name ?? '' });
    },

    setMonitors: async (applicationId, environmentId, monitors) => {
      await attempt('updating the environment monitors', () =>
        client.send(
          new UpdateEnvironmentCommand({
            ApplicationId: applicationId,
            EnvironmentId: environmentId,
            Monitors: monitors.map((m) => ({ AlarmArn: m.alarmArn, AlarmRoleArn: m.alarmRoleArn })),
          }),
        ),
      );
    },

    createEnvironment: async (applicationId, { name, description, monitors }) => {
      const out = await attempt(`creating environment ${name}`, () =>
        client.send(
          new CreateEnvironmentCommand({
            ApplicationId: applicationId,
            Name: name,
            ...(description ? { Description: description } : {}),
            ...(monitors && monitors.length > 0
              ? { Monitors: monitors.map((m) => ({ AlarmArn: m.alarmArn, AlarmRoleArn: m.alarmRoleArn })) }
              : {}),
          }),
        ),
      );
      return toEnvironment({ ...out, Id: out.Id ?? '', Name: out.Name ?? name });
    },

    listProfiles: async (applicationId) =>
      (
        await all('listing configuration profiles', (NextToken) =>
          client.send(
            new ListConfigurationProfilesCommand({ ApplicationId: applicationId, MaxResults: 50, NextToken }),
          ),
        )
      )
        .filter(hasIdAndName)
        .map((p) => ({
          id: p.Id,
          name: p.Name,
          ...(p.Type ? { type: p.Type } : {}),
          ...(p.LocationUri ? { locationUri: p.LocationUri } : {}),
        })),

    createProfile: async (applicationId, { name, type, description }) => {
      const out = await attempt(`creating configuration profile ${name}`, () =>
        client.send(
          new CreateConfigurationProfileCommand({
            ApplicationId: applicationId,
            Name: name,
            LocationUri: 'hosted',
            Type: type,
            ...(description ? { Description: description } : {}),
          }),
        ),
      );
      return { id: out.Id ?? '', name: out.Name ?? name, type, locationUri: 'hosted' };
    },

    listStrategies: async () =>
      (
        await all('listing deployment strategies', (NextToken) =>
          client.send(new ListDeploymentStrategiesCommand({ MaxResults: 50, NextToken })),
        )
      )
        .filter(hasIdAndName)
        .map((s) => ({
          id: s.Id,
          name: s.Name,
          ...(s.DeploymentDurationInMinutes !== undefined
            ? { durationMinutes: s.DeploymentDurationInMinutes }
            : {}),
          ...(s.GrowthFactor !== undefined ? { growthFactor: s.GrowthFactor } : {}),
          ...(s.GrowthType !== undefined ? { growthType: s.GrowthType } : {}),
          ...(s.FinalBakeTimeInMinutes !== undefined ? { finalBakeMinutes: s.FinalBakeTimeInMinutes } : {}),
        })),

    createStrategy: async (s) => {
      const out = await attempt(`creating deployment strategy ${s.name}`, () =>
        client.send(
          new CreateDeploymentStrategyCommand({
            Name: s.name,
            ...(s.description ? { Description: s.description } : {}),
            DeploymentDurationInMinutes: s.durationMinutes,
            GrowthFactor: s.growthFactor,
            GrowthType: s.growthType,
            FinalBakeTimeInMinutes: s.finalBakeMinutes,
            ReplicateTo: 'NONE',
          }),
        ),
      );
      return { id: out.Id ?? '', name: out.Name ?? s.name };
    },

    findHostedVersions: async (applicationId, profileId, label) =>
      (
        await all(`looking for hosted version ${label}`, (NextToken) =>
          client.send(
            new ListHostedConfigurationVersionsCommand({
              ApplicationId: applicationId,
              ConfigurationProfileId: profileId,
              VersionLabel: label,
              MaxResults: 50,
              NextToken,
            }),
          ),
        )
      )
        // The label filter treats a trailing `*` as a prefix; keep only exact matches.
        .filter((v) => v.VersionLabel === label && v.VersionNumber !== undefined)
        .map((v) => ({
          versionNumber: v.VersionNumber as number,
          versionLabel: label,
          ...(v.Description ? { description: v.Description } : {}),
          ...(v.ContentType ? { contentType: v.ContentType } : {}),
        })),

    createHostedVersion: async (applicationId, profileId, input) => {
      const out = await attempt(`creating hosted version ${input.label}`, () =>
        once.send(
          new CreateHostedConfigurationVersionCommand({
            ApplicationId: applicationId,
            ConfigurationProfileId: profileId,
            Content: input.content,
            ContentType: input.contentType,
            VersionLabel: input.label,
            Description: input.description,
          }),
        ),
      );
      return {
        versionNumber: out.VersionNumber ?? 0,
        versionLabel: out.VersionLabel ?? input.label,
        description: out.Description ?? input.description,
        contentType: out.ContentType ?? input.contentType,
      };
    },

    getHostedVersion: async (applicationId, profileId, versionNumber) => {
      const out = await attempt(`reading hosted version ${versionNumber}`, () =>
        client.send(
          new GetHostedConfigurationVersionCommand({
            ApplicationId: applicationId,
            ConfigurationProfileId: profileId,
            VersionNumber: versionNumber,
          }),
        ),
      );
      return {
        versionNumber: out.VersionNumber ?? versionNumber,
        ...(out.VersionLabel ? { versionLabel: out.VersionLabel } : {}),
        ...(out.Description ? { description: out.Description } : {}),
        ...(out.ContentType ? { contentType: out.ContentType } : {}),
        content: out.Content ?? new Uint8Array(),
      };
    },

    listDeployments: async (applicationId, environmentId, limit = 100) =>
      (
        await all(
          'listing deployments',
          (NextToken) =>
            client.send(
              new ListDeploymentsCommand({
                ApplicationId: applicationId,
                EnvironmentId: environmentId,
                MaxResults: 50,
                NextToken,
              }),
            ),
          limit,
        )
      ).map(toDeployment),

    startDeployment: async (applicationId, environmentId, input) =>
      toDeployment(
        await attempt('starting the deployment', () =>
          once.send(
            new StartDeploymentCommand({
              ApplicationId: applicationId,
              EnvironmentId: environmentId,
              ConfigurationProfileId: input.profileId,
              DeploymentStrategyId: input.strategyId,
              ConfigurationVersion: input.version,
              Description: input.description,
              ...(options.releaseKey && input.label
                ? {
                    DynamicExtensionParameters: releaseParameters(options.releaseKey, {
                      applicationId,
                      environmentId,
                      profileId: input.profileId,
                      label: input.label,
                    }),
                  }
                : {}),
            }),
          ),
        ),
      ),

    getDeployment: async (applicationId, environmentId, deploymentNumber) =>
      toDeployment(
        await attempt(`reading deployment ${deploymentNumber}`, () =>
          client.send(
            new GetDeploymentCommand({
              ApplicationId: applicationId,
              EnvironmentId: environmentId,
              DeploymentNumber: deploymentNumber,
            }),
          ),
        ),
      ),

    stopDeployment: async (applicationId, environmentId, deploymentNumber, allowRevert) =>
      toDeployment(
        await attempt(`stopping deployment ${deploymentNumber}`, () =>
          client.send(
            new StopDeploymentCommand({
              ApplicationId: applicationId,
              EnvironmentId: environmentId,
              DeploymentNumber: deploymentNumber,
              ...(allowRevert ? { AllowRevert: true } : {}),
            }),
          ),
        ),
      ),
  };
}

function hasIdAndName<T extends { Id?: string | undefined; Name?: string | undefined }>(
  x: T,
): x is T & { Id: string; Name: string } {
  return typeof x.Id === 'string' && typeof x.Name === 'string';
}

function toEnvironment(e: {
  Id: string;
  Name: string;
  State?: string | undefined;
  Monitors?: Array<{ AlarmArn?: string | undefined; AlarmRoleArn?: string | undefined }> | undefined;
}): EnvironmentInfo {
  return {
    id: e.Id,
    name: e.Name,
    ...(e.State ? { state: e.State } : {}),
    monitors: (e.Monitors ?? []).map((m) => ({
      alarmArn: m.AlarmArn ?? '',
      ...(m.AlarmRoleArn ? { alarmRoleArn: m.AlarmRoleArn } : {}),
    })),
  };
}

function toDeployment(d: Deployment | DeploymentSummary): DeploymentInfo {
  const full = d as Deployment;
  return {
    number: d.DeploymentNumber ?? 0,
    state: (d.State ?? 'DEPLOYING') as DeploymentState,
    percentageComplete: d.PercentageComplete ?? 0,
    ...(d.ConfigurationName ? { profileName: d.ConfigurationName } : {}),
    ...(full.ConfigurationProfileId ? { profileId: full.ConfigurationProfileId } : {}),
    version: d.ConfigurationVersion ?? '',
    ...(d.VersionLabel ? { versionLabel: d.VersionLabel } : {}),
    ...(full.DeploymentStrategyId ? { strategyId: full.DeploymentStrategyId } : {}),
    ...(full.Description ? { description: full.Description } : {}),
    ...(d.StartedAt ? { startedAt: new Date(d.StartedAt).getTime() } : {}),
    ...(d.CompletedAt ? { completedAt: new Date(d.CompletedAt).getTime() } : {}),
    events: (full.EventLog ?? []).map((e) => ({
      type: e.EventType ?? '',
      triggeredBy: e.TriggeredBy ?? '',
      description: e.Description ?? '',
      at: e.OccurredAt ? new Date(e.OccurredAt).getTime() : 0,
    })),
  };
}

/**
 * Everything the emulated AppConfig remembers, as plain records, plus the JSON form used by
 * `--state FILE` (hosted content is a Buffer in memory and base64 on disk).
 */

export type Tags = Record<string, string>;

export interface Application {
  Id: string;
  Name: string;
  Description?: string;
  Tags: Tags;
}

export interface Monitor {
  AlarmArn: string;
  AlarmRoleArn?: string;
}

export interface Environment {
  ApplicationId: string;
  Id: string;
  Name: string;
  Description?: string;
  Monitors: Monitor[];
  Tags: Tags;
}

export interface Validator {
  Type: 'JSON_SCHEMA' | 'LAMBDA';
  Content: string;
}

export const FEATURE_FLAGS_TYPE = 'AWS.AppConfig.FeatureFlags';
export const FREEFORM_TYPE = 'AWS.Freeform';

export interface ConfigurationProfile {
  ApplicationId: string;
  Id: string;
  Name: string;
  Description?: string;
  LocationUri: string;
  RetrievalRoleArn?: string;
  Validators: Validator[];
  Type: string;
  KmsKeyIdentifier?: string;
  Tags: Tags;
  /** Version numbers are never reused, even after a delete. */
  nextVersionNumber: number;
}

export interface HostedVersion {
  ApplicationId: string;
  ConfigurationProfileId: string;
  VersionNumber: number;
  Description?: string;
  ContentType: string;
  VersionLabel?: string;
  Content: Buffer;
}

export type GrowthType = 'LINEAR' | 'EXPONENTIAL';

export interface DeploymentStrategy {
  Id: string;
  Name: string;
  Description?: string;
  DeploymentDurationInMinutes: number;
  GrowthType: GrowthType;
  GrowthFactor: number;
  FinalBakeTimeInMinutes: number;
  ReplicateTo: 'NONE' | 'SSM_DOCUMENT';
  Tags: Tags;
}

export type DeploymentState =
  | 'VALIDATING'
  | 'DEPLOYING'
  | 'BAKING'
  | 'COMPLETE'
  | 'ROLLING_BACK'
  | 'ROLLED_BACK'
  | 'REVERTED';

export type DeploymentEventType =
  | 'PERCENTAGE_UPDATED'
  | 'ROLLBACK_STARTED'
  | 'ROLLBACK_COMPLETED'
  | 'BAKE_TIME_STARTED'
  | 'DEPLOYMENT_STARTED'
  | 'DEPLOYMENT_COMPLETED'
  | 'REVERT_COMPLETED';

export type TriggeredBy = 'USER' | 'APPCONFIG' | 'CLOUDWATCH_ALARM' | 'INTERNAL_ERROR';

export interface DeploymentEvent {
  EventType: DeploymentEventType;
  TriggeredBy: TriggeredBy;
  Description: string;
  /** Epoch ms (simulated). */
  OccurredAt: number;
}

export interface Deployment {
  ApplicationId: string;
  EnvironmentId: string;
  DeploymentStrategyId: string;
  ConfigurationProfileId: string;
  DeploymentNumber: number;
  ConfigurationName: string;
  ConfigurationLocationUri: string;
  /** The hosted version number, as a string like the API's `ConfigurationVersion`. */
  ConfigurationVersion: string;
  VersionLabel?: string;
  Description?: string;
  DeploymentDurationInMinutes: number;
  GrowthType: GrowthType;
  GrowthFactor: number;
  FinalBakeTimeInMinutes: number;
  State: DeploymentState;
  PercentageComplete: number;
  /** Oldest first in memory; the API shows it newest first. */
  EventLog: DeploymentEvent[];
  StartedAt: number;
  CompletedAt?: number;
  /** When the current phase began (VALIDATING, DEPLOYING, BAKING or ROLLING_BACK), epoch ms. */
  phaseStartedAt: number;
  Tags: Tags;
}

export interface AppConfigState {
  applications: Application[];
  environments: Environment[];
  profiles: ConfigurationProfile[];
  versions: HostedVersion[];
  strategies: DeploymentStrategy[];
  deployments: Deployment[];
}

export function emptyState(): AppConfigState {
  return { applications: [], environments: [], profiles: [], versions: [], strategies: [], deployments: [] };
}

type SavedVersion = Omit<HostedVersion, 'Content'> & { Content: string };
type SavedState = Omit<AppConfigState, 'versions'> & { versions: SavedVersion[] };

export function serializeState(state: AppConfigState): SavedState {
  return {
    ...structuredClone({ ...state, versions: [] }),
    versions: state.versions.map((v) => ({ ...v, Content: v.Content.toString('base64') })),
  };
}

export function deserializeState(data: unknown): AppConfigState {
  const saved = data as Partial<SavedState> | null;
  if (!saved || typeof saved !== 'object' || !Array.isArray(saved.applications))
    throw new Error(
      'appconfig: saved state is not in the expected shape; delete the state file to start over',
    );
  return {
    applications: saved.applications,
    environments: saved.environments ?? [],
    profiles: saved.profiles ?? [],
    strategies: saved.strategies ?? [],
    deployments: saved.deployments ?? [],
    versions: (saved.versions ?? []).map((v) => ({ ...v, Content: Buffer.from(v.Content, 'base64') })),
  };
}

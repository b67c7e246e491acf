/**
 * The AppConfig state with the lookups every handler needs. Control-plane paths take IDs only (as
 * AWS does); `resolve*ByNameOrId` serve AppConfigData and the scenarios, which accept names too.
 */
import { notFound } from './errors.ts';
import { newId } from './ids.ts';
import type {
  AppConfigState,
  Application,
  ConfigurationProfile,
  Deployment,
  DeploymentStrategy,
  Environment,
  HostedVersion,
} from './state.ts';
import { emptyState } from './state.ts';
import { PREDEFINED_STRATEGIES } from './strategies.ts';

export class AppConfigStore {
  state: AppConfigState = emptyState();

  newId(): string {
    const s = this.state;
    const all = [s.applications, s.environments, s.profiles, s.strategies];
    return newId((id) => all.some((list) => list.some((r) => r.Id === id)));
  }

  application(id: string): Application {
    const app = this.state.applications.find((a) => a.Id === id);
    if (!app) throw notFound('Application', id);
    return app;
  }

  environment(applicationId: string, id: string): Environment {
    this.application(applicationId);
    const env = this.state.environments.find((e) => e.ApplicationId === applicationId && e.Id === id);
    if (!env) throw notFound('Environment', id);
    return env;
  }

  profile(applicationId: string, id: string): ConfigurationProfile {
    this.application(applicationId);
    const profile = this.state.profiles.find((p) => p.ApplicationId === applicationId && p.Id === id);
    if (!profile) throw notFound('ConfigurationProfile', id);
    return profile;
  }

  allStrategies(): DeploymentStrategy[] {
    return [...PREDEFINED_STRATEGIES, ...this.state.strategies];
  }

  strategy(id: string): DeploymentStrategy {
    const strategy = this.allStrategies().find((s) => s.Id === id);
    if (!strategy) throw notFound('DeploymentStrategy', id);
    return strategy;
  }

  /** Hosted versions of one profile, newest first. */
  versionsOf(profile: ConfigurationProfile): HostedVersion[] {
    return this.state.versions
      .filter((v) => v.ApplicationId === profile.ApplicationId && v.ConfigurationProfileId === profile.Id)
      .sort((a, b) => b.VersionNumber - a.VersionNumber);
  }

  version(profile: ConfigurationProfile, versionNumber: number): HostedVersion {
    const version = this.versionsOf(profile).find((v) => v.VersionNumber === versionNumber);
    if (!version) throw notFound('HostedConfigurationVersion', String(versionNumber));
    return version;
  }

  /** Deployments of one environment, oldest first. */
  deploymentsOf(env: Environment): Deployment[] {
    return this.state.deployments
      .filter((d) => d.ApplicationId === env.ApplicationId && d.EnvironmentId === env.Id)
      .sort((a, b) => a.DeploymentNumber - b.DeploymentNumber);
  }

  deployment(env: Environment, deploymentNumber: number): Deployment {
    const d = this.deploymentsOf(env).find((x) => x.DeploymentNumber === deploymentNumber);
    if (!d) throw notFound('Deployment', String(deploymentNumber));
    return d;
  }

  resolveApplication(nameOrId: string): Application {
    const s = this.state.applications;
    const app = s.find((a) => a.Id === nameOrId) ?? s.find((a) => a.Name === nameOrId);
    if (!app) throw notFound('Application', nameOrId);
    return app;
  }

  resolveEnvironment(app: Application, nameOrId: string): Environment {
    const envs = this.state.environments.filter((e) => e.ApplicationId === app.Id);
    const env = envs.find((e) => e.Id === nameOrId) ?? envs.find((e) => e.Name === nameOrId);
    if (!env) throw notFound('Environment', nameOrId);
    return env;
  }

  resolveProfile(app: Application, nameOrId: string): ConfigurationProfile {
    const profiles = this.state.profiles.filter((p) => p.ApplicationId === app.Id);
    const profile = profiles.find((p) => p.Id === nameOrId) ?? profiles.find((p) => p.Name === nameOrId);
    if (!profile) throw notFound('ConfigurationProfile', nameOrId);
    return profile;
  }
}

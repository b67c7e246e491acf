/**
 * The emulated AppConfig control plane (restJson1), spoken to by the real
 * `@aws-sdk/client-appconfig`. Deployments move on the sandbox's simulated clock and roll back when
 * an environment monitor's CloudWatch alarm fires.
 *
 * Option `rollbackOnInsufficientData` (default false): AWS documents INSUFFICIENT_DATA both as a
 * rollback trigger and not; the sandbox follows the stricter reading only when asked, so that a
 * brand-new alarm (which starts INSUFFICIENT_DATA) does not roll every first deployment back.
 */
import {
  type AlarmReader,
  type ServedConfiguration,
  type Service,
  type ServiceContext,
  ServiceError,
} from '../core.ts';
import { registerDeploymentRoutes } from './deployment-routes.ts';
import { advance, isInFlight } from './deployments.ts';
import { encodeRestJsonError, throttling } from './errors.ts';
import { registerHostedVersionRoutes } from './hosted-versions.ts';
import { registerResourceRoutes } from './resources.ts';
import { Router } from './router.ts';
import { servedVersions } from './served.ts';
import { deserializeState, type Environment, emptyState, serializeState } from './state.ts';
import { AppConfigStore } from './store.ts';
import { registerStrategyRoutes } from './strategy-routes.ts';

export interface AppConfigDeps {
  alarms: AlarmReader;
  /** Treat a monitored alarm in INSUFFICIENT_DATA like ALARM (default false). */
  rollbackOnInsufficientData?: boolean;
}

/** A client-facing lookup by name or ID, for AppConfigData's sessions. */
export interface ConfigurationLookup {
  /** Throws ResourceNotFoundException-like ServiceErrors naming what is missing. */
  resolveTarget(
    application: string,
    environment: string,
    profile: string,
  ): { applicationId: string; environmentId: string; profileId: string; profileType: string };
}

export type AppConfigService = Service &
  Required<Pick<Service, 'tick' | 'dump' | 'load' | 'reset'>> &
  ServedConfiguration &
  ConfigurationLookup;

const OWNED_PATH = /^\/(applications|deploymentstrategies|deployementstrategies)(\/|$)/;

export function createAppConfig(ctx: ServiceContext, deps: AppConfigDeps): AppConfigService {
  const store = new AppConfigStore();
  const router = new Router();

  function trippedAlarm(env: Environment): string | undefined {
    for (const monitor of env.Monitors) {
      const state = deps.alarms.alarmState(monitor.AlarmArn);
      const trips =
        state === 'ALARM' || (state === 'INSUFFICIENT_DATA' && deps.rollbackOnInsufficientData === true);
      if (trips && deps.alarms.alarmActionsEnabled(monitor.AlarmArn)) return monitor.AlarmArn;
    }
    return undefined;
  }

  function tick(now: number): void {
    let changed = false;
    for (const d of store.state.deployments) {
      if (!isInFlight(d)) continue;
      const env = store.state.environments.find(
        (e) => e.ApplicationId === d.ApplicationId && e.Id === d.EnvironmentId,
      );
      if (!env) continue;
      if (advance(d, now, () => trippedAlarm(env))) changed = true;
    }
    if (changed) ctx.changed();
  }

  registerResourceRoutes(router, store, ctx);
  registerHostedVersionRoutes(router, store, ctx);
  registerStrategyRoutes(router, store, ctx);
  registerDeploymentRoutes(router, store, ctx, () => tick(ctx.clock.now()));

  return {
    name: 'appconfig',
    resolve(req) {
      if (!OWNED_PATH.test(req.path)) return undefined;
      const matched = router.match(req);
      if (matched) return matched;
      return {
        operation: 'UnknownOperation',
        handle: () => ({
          status: 404,
          headers: { 'x-amzn-errortype': 'UnknownOperationException' },
          body: { Message: `the sandbox's AppConfig has no operation ${req.method} ${req.path}` },
        }),
      };
    },
    encodeError: (err) => encodeRestJsonError(err),
    throttleError: () => throttling(),
    tick,
    dump: () => serializeState(store.state),
    load(data) {
      store.state = deserializeState(data);
    },
    reset() {
      store.state = emptyState();
    },
    served(application, environment, profile) {
      // Nothing is served by a target that does not exist (yet): the contract's empty list, so a
      // scenario ticking before `bootstrap` publishes no traffic instead of throwing.
      try {
        const app = store.resolveApplication(application);
        return servedVersions(
          store,
          store.resolveEnvironment(app, environment),
          store.resolveProfile(app, profile),
        );
      } catch (error) {
        if (error instanceof ServiceError && error.status === 404) return [];
        throw error;
      }
    },
    resolveTarget(application, environment, profile) {
      const app = store.resolveApplication(application);
      const env = store.resolveEnvironment(app, environment);
      const prof = store.resolveProfile(app, profile);
      return { applicationId: app.Id, environmentId: env.Id, profileId: prof.Id, profileType: prof.Type };
    },
  };
}

/**
 * Hand-built models of the ONS application for policy and plan tests, with the data of
 * `flags/ons-data-platform-app/app.yaml` copied in, so these tests do not depend on the loader.
 */
import type {
  Application,
  EnvironmentDefinition,
  FlagValue,
  PolicyDefinition,
  Repository,
  Target,
} from '../../src/model/types.ts';

export const APP = 'ons-data-platform-app';
export const DIR = `flags/${APP}`;

export function onsPolicy(overrides: Partial<PolicyDefinition> = {}): PolicyDefinition {
  return {
    promotionOrder: true,
    numeric: [
      {
        key: 'influxdb_traffic_percentage.percentage',
        flag: 'influxdb_traffic_percentage',
        attribute: 'percentage',
        maxIncrease: 25,
        ladder: [0, 10, 25, 50, 75, 100],
      },
    ],
    dwellMinutes: { production: 15 },
    freezeWindows: [
      {
        name: 'year-end-freeze',
        environments: ['production'],
        start: '2026-12-21T00:00:00Z',
        end: '2027-01-04T08:00:00Z',
      },
    ],
    revertApprovals: 1,
    ...overrides,
  };
}

const DEVELOPMENT: EnvironmentDefinition = {
  name: 'development',
  strategy: 'AppConfig.AllAtOnce',
  bakeMinutes: 5,
  approvals: 1,
  dismissStale: false,
  alarms: [],
  guards: [],
  order: 0,
};

const PRODUCTION: EnvironmentDefinition = {
  name: 'production',
  strategy: 'canary-10-percent',
  bakeMinutes: 15,
  approvals: 2,
  dismissStale: true,
  alarms: [
    'ons-data-platform-influxdb-migration-error-rate',
    'ons-data-platform-influxdb-migration-latency',
    'ons-data-platform-influxdb-connection-failures',
    'ons-data-platform-traffic-switch-success-rate',
    'ons-data-platform-influxdb-latency-comparison',
  ],
  guards: ['influxdb-error-rate', 'influxdb-connection-failures'],
  order: 1,
};

export function onsApp(overrides: Partial<Application> = {}): Application {
  return {
    name: APP,
    dir: DIR,
    locations: { '': { file: `${DIR}/app.yaml`, line: 1, column: 1 } },
    profiles: {
      'feature-flags': { name: 'feature-flags', type: 'AWS.AppConfig.FeatureFlags' },
      'app-settings': { name: 'app-settings', type: 'AWS.Freeform', schema: 'ons-app-settings.schema.json' },
    },
    environments: [{ ...DEVELOPMENT }, { ...PRODUCTION }],
    strategies: {
      'canary-10-percent': {
        name: 'canary-10-percent',
        growthType: 'EXPONENTIAL',
        growthFactor: 10,
        durationMinutes: 10,
        finalBakeMinutes: 5,
      },
    },
    guards: {
      'influxdb-error-rate': {
        name: 'influxdb-error-rate',
        description: 'InfluxDB error rate above 5% for 2 consecutive periods.',
        metrics: {
          errors: {
            namespace: 'ONS/TrafficSwitching',
            name: 'ErrorCount',
            dimensions: { Backend: 'influxdb' },
            stat: 'Sum',
          },
          requests: {
            namespace: 'ONS/TrafficSwitching',
            name: 'RequestCount',
            dimensions: { Backend: 'influxdb' },
            stat: 'Sum',
          },
        },
        value: '100 * errors / requests',
        unit: '%',
        periodSeconds: 60,
        breachWhen: { op: '>', threshold: 5 },
        consecutive: 2,
        minSamples: { metric: 'requests', atLeast: 20 },
      },
      'influxdb-connection-failures': {
        name: 'influxdb-connection-failures',
        description: 'More than 10 InfluxDB connection failures in 5 minutes.',
        metrics: {
          failures: {
            namespace: 'ONS/TrafficSwitching',
            name: 'ConnectionFailures',
            dimensions: { Backend: 'influxdb' },
            stat: 'Sum',
          },
        },
        value: 'failures',
        periodSeconds: 300,
        breachWhen: { op: '>', threshold: 10 },
        consecutive: 1,
      },
    },
    policy: onsPolicy(),
    flags: {
      use_influxdb_for_data_ingestion: {
        name: 'use_influxdb_for_data_ingestion',
        attributes: {},
        requires: [],
      },
      use_influxdb_for_api_queries: {
        name: 'use_influxdb_for_api_queries',
        attributes: {},
        requires: [{ flag: 'use_influxdb_for_data_ingestion' }],
      },
      influxdb_traffic_percentage: {
        name: 'influxdb_traffic_percentage',
        attributes: {
          percentage: { name: 'percentage', type: 'number', required: true, minimum: 0, maximum: 100 },
        },
        requires: [
          { flag: 'use_influxdb_for_api_queries', when: { attribute: 'percentage', op: '>', value: 0 } },
        ],
      },
      enable_query_performance_monitoring: {
        name: 'enable_query_performance_monitoring',
        attributes: {},
        requires: [],
      },
    },
    ...overrides,
  };
}

export interface TrafficState {
  ingestion?: boolean;
  queries?: boolean;
  percentage?: number;
  percentageEnabled?: boolean;
  monitoring?: boolean;
}

/**
 * A feature-flags target with the four flags of the guide. Each value gets its own line, in file
 * order, so tests can check that findings point at the right one: ingestion on line 2, queries on
 * line 3, the percentage flag on line 4 with `enabled` on 5 and `percentage` on 6, monitoring on 7.
 */
export function flagsTarget(environment: string, state: TrafficState = {}): Target {
  const file = `${DIR}/${environment}/feature-flags.yaml`;
  const on = (enabled: boolean): FlagValue => ({ enabled, attributes: {} });
  const at = (line: number, column = 1) => ({ file, line, column });
  return {
    application: APP,
    environment,
    profile: 'feature-flags',
    file,
    profileType: 'AWS.AppConfig.FeatureFlags',
    flags: {
      use_influxdb_for_data_ingestion: on(state.ingestion ?? true),
      use_influxdb_for_api_queries: on(state.queries ?? true),
      influxdb_traffic_percentage: {
        enabled: state.percentageEnabled ?? true,
        attributes: { percentage: state.percentage ?? 0 },
      },
      enable_query_performance_monitoring: on(state.monitoring ?? true),
    },
    locations: {
      '': at(1),
      use_influxdb_for_data_ingestion: at(2),
      'use_influxdb_for_data_ingestion.enabled': at(2, 36),
      use_influxdb_for_api_queries: at(3),
      'use_influxdb_for_api_queries.enabled': at(3, 36),
      influxdb_traffic_percentage: at(4),
      'influxdb_traffic_percentage.enabled': at(5, 12),
      'influxdb_traffic_percentage.percentage': at(6, 15),
      enable_query_performance_monitoring: at(7),
      'enable_query_performance_monitoring.enabled': at(7, 40),
    },
  };
}

export function settingsTarget(environment: string, data: unknown): Target {
  const file = `${DIR}/${environment}/app-settings.yaml`;
  return {
    application: APP,
    environment,
    profile: 'app-settings',
    file,
    profileType: 'AWS.Freeform',
    data,
    locations: { '': { file, line: 1, column: 1 } },
  };
}

/** A repository with the ONS application; development defaults to the repo's (25%, queries on). */
export function onsRepo(
  production: TrafficState,
  development: TrafficState = { percentage: 25 },
  options: { app?: Application; extraTargets?: Target[] } = {},
): Repository {
  const app = options.app ?? onsApp();
  return {
    root: '/repo',
    applications: { [app.name]: app },
    targets: [
      flagsTarget('development', development),
      flagsTarget('production', production),
      ...(options.extraTargets ?? []),
    ],
    diagnostics: [],
  };
}

export const OUTSIDE_FREEZE = new Date('2026-06-01T12:00:00Z');
export const INSIDE_FREEZE = new Date('2026-12-24T12:00:00Z');

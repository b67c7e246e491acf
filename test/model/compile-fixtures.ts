/** Hand-built model objects for compiler tests (independent of the loader). */
import type {
  Application,
  AttributeDefinition,
  FlagDefinition,
  FlagValue,
  Target,
} from '../../src/model/types.ts';

export function flag(
  name: string,
  attributes: Record<string, Omit<AttributeDefinition, 'name'>> = {},
): FlagDefinition {
  return {
    name,
    description: `The ${name} flag.`,
    attributes: Object.fromEntries(Object.entries(attributes).map(([n, a]) => [n, { name: n, ...a }])),
    requires: [],
  };
}

export function application(flags: FlagDefinition[]): Application {
  return {
    name: 'ons-data-platform-app',
    dir: 'flags/ons-data-platform-app',
    locations: {
      '': { file: 'flags/ons-data-platform-app/app.yaml', line: 1, column: 1 },
      flags: { file: 'flags/ons-data-platform-app/app.yaml', line: 150, column: 1 },
    },
    profiles: {
      'feature-flags': { name: 'feature-flags', type: 'AWS.AppConfig.FeatureFlags' },
      'app-settings': { name: 'app-settings', type: 'AWS.Freeform', schema: 'ons-app-settings.schema.json' },
    },
    environments: [],
    strategies: {},
    guards: {},
    policy: { promotionOrder: true, numeric: [], dwellMinutes: {}, freezeWindows: [], revertApprovals: 1 },
    flags: Object.fromEntries(flags.map((f) => [f.name, f])),
  };
}

export function flagsTarget(flags: Record<string, FlagValue>, environment = 'production'): Target {
  const file = `flags/ons-data-platform-app/${environment}/feature-flags.yaml`;
  return {
    application: 'ons-data-platform-app',
    environment,
    profile: 'feature-flags',
    file,
    profileType: 'AWS.AppConfig.FeatureFlags',
    flags,
    locations: { '': { file, line: 1, column: 1 } },
  };
}

export function freeformTarget(data: unknown): Target {
  const file = 'flags/ons-data-platform-app/production/app-settings.yaml';
  return {
    application: 'ons-data-platform-app',
    environment: 'production',
    profile: 'app-settings',
    file,
    profileType: 'AWS.Freeform',
    data,
    locations: { '': { file, line: 2, column: 1 } },
  };
}

/** The ONS application's four flags, as flags/ons-data-platform-app/app.yaml declares them. */
export const onsApplication = application([
  flag('use_influxdb_for_data_ingestion'),
  flag('use_influxdb_for_api_queries'),
  flag('influxdb_traffic_percentage', {
    percentage: {
      type: 'number',
      minimum: 0,
      maximum: 100,
      required: true,
      description: 'Share of API queries.',
    },
  }),
  flag('enable_query_performance_monitoring'),
]);

/** Production as the guide's Phase 1 starts. */
export const onsProduction = flagsTarget({
  use_influxdb_for_data_ingestion: { enabled: true, attributes: {} },
  use_influxdb_for_api_queries: { enabled: false, attributes: {} },
  influxdb_traffic_percentage: { enabled: true, attributes: { percentage: 0 } },
  enable_query_performance_monitoring: { enabled: true, attributes: {} },
});

/**
 * A synthetic flag repository in the shape of the ONS application, for benchmarks: N applications,
 * each with the ONS app.yaml (renamed, plus a second feature-flag and a second freeform profile), two
 * environments and four profiles per environment — 125 applications give 1,000 targets. Values vary
 * per application but always pass schema, definitions and policy (production never runs ahead of
 * development, traffic only with queries on), so every run takes the same, complete path.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

const ONS = 'flags/ons-data-platform-app';
const LADDER = [0, 10, 25, 50, 75, 100];
export const ENVIRONMENTS = ['development', 'production'] as const;
export const FEATURE_FLAG_PROFILES = ['feature-flags', 'ops-flags'] as const;
export const FREEFORM_PROFILES = ['app-settings', 'batch-settings'] as const;

export interface GeneratedRepository {
  root: string;
  targets: number;
  /** Repo-relative paths of each kind of file, for tools that validate by schema. */
  appFiles: string[];
  featureFlagFiles: string[];
  freeformFiles: string[];
}

export function generateRepository(
  root: string,
  applications: number,
  sourceRoot: string,
): GeneratedRepository {
  mkdirSync(root, { recursive: true });
  // The freeform profiles name `ons-app-settings.schema.json`, read from the repository's schemas/.
  cpSync(join(sourceRoot, 'schemas'), join(root, 'schemas'), { recursive: true });
  const appTemplate = readFileSync(join(sourceRoot, ONS, 'app.yaml'), 'utf8');
  const settingsTemplate = readFileSync(join(sourceRoot, ONS, 'production/app-settings.yaml'), 'utf8');
  const generated: GeneratedRepository = {
    root,
    targets: 0,
    appFiles: [],
    featureFlagFiles: [],
    freeformFiles: [],
  };

  for (let index = 0; index < applications; index++) {
    const name = `service-${String(index + 1).padStart(3, '0')}`;
    const dir = `flags/${name}`;
    write(root, `${dir}/app.yaml`, appYaml(appTemplate, name));
    generated.appFiles.push(`${dir}/app.yaml`);

    // Development is ahead or level; production follows, as promotion order demands.
    const developmentStep = index % LADDER.length;
    const productionStep = Math.max(0, developmentStep - (index % 3));
    for (const environment of ENVIRONMENTS) {
      const percentage = LADDER[environment === 'development' ? developmentStep : productionStep]!;
      for (const profile of FEATURE_FLAG_PROFILES) {
        const path = `${dir}/${environment}/${profile}.yaml`;
        write(root, path, featureFlagsYaml(percentage, index));
        generated.featureFlagFiles.push(path);
      }
      for (const profile of FREEFORM_PROFILES) {
        const path = `${dir}/${environment}/${profile}.yaml`;
        write(root, path, settingsYaml(settingsTemplate, name, environment, index));
        generated.freeformFiles.push(path);
      }
      generated.targets += FEATURE_FLAG_PROFILES.length + FREEFORM_PROFILES.length;
    }
  }
  // A real config repository is a git checkout; the CLI looks for its top level.
  execFileSync('git', ['init', '-q'], { cwd: root });
  return generated;
}

function appYaml(template: string, name: string): string {
  const document = parseDocument(template);
  document.set('application', name);
  document.setIn(['profiles', 'ops-flags'], {
    type: 'AWS.AppConfig.FeatureFlags',
    description: 'Operational switches, read by the on-call runbooks.',
  });
  document.setIn(['profiles', 'batch-settings'], {
    type: 'AWS.Freeform',
    description: 'Settings of the nightly batch jobs.',
    schema: 'ons-app-settings.schema.json',
  });
  return document.toString();
}

function featureFlagsYaml(percentage: number, index: number): string {
  const queries = percentage > 0 || index % 2 === 0;
  return [
    '# yaml-language-server: $schema=../../../schemas/feature-flags.schema.json',
    'use_influxdb_for_data_ingestion: { enabled: true }',
    `use_influxdb_for_api_queries: { enabled: ${queries} }`,
    'influxdb_traffic_percentage:',
    '  enabled: true',
    `  percentage: ${percentage} # share of API queries served by InfluxDB`,
    `enable_query_performance_monitoring: { enabled: ${index % 5 !== 0} }`,
    '',
  ].join('\n');
}

function settingsYaml(template: string, name: string, environment: string, index: number): string {
  return template
    .replaceAll('production', environment)
    .replace('ons_data_platform', name.replaceAll('-', '_'))
    .replace(/query_timeout_seconds: \d+/, `query_timeout_seconds: ${30 + (index % 60)}`)
    .replace(/connection_pool_size: \d+/, `connection_pool_size: ${1 + (index % 50)}`);
}

function write(root: string, path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  formatDiagnostic,
  GitRevisionSource,
  loadRepository,
  WorkingTreeSource,
} from '../../src/model/index.ts';
import {
  APP_FILE,
  load,
  makeRepo,
  only,
  PROD_FLAGS,
  PROD_FLAGS_TEXT,
  PROD_SETTINGS,
  REPO_ROOT,
  removeRepos,
} from './fixture-repo.ts';

afterAll(removeRepos);

const appText = readFileSync(join(REPO_ROOT, APP_FILE), 'utf8');

/** app.yaml with one exact piece of text replaced; fails when the text is not there. */
function appWith(search: string, replacement: string): string {
  if (!appText.includes(search)) throw new Error(`app.yaml does not contain ${search}`);
  return appText.replace(search, replacement);
}

describe('the real repository', () => {
  it('loads with zero diagnostics', () => {
    const repo = loadRepository(new WorkingTreeSource(REPO_ROOT));
    expect(repo.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(Object.keys(repo.applications)).toEqual(['ons-data-platform-app']);
    expect(repo.targets.map((t) => `${t.environment}/${t.profile}`).sort()).toEqual([
      'development/app-settings',
      'development/feature-flags',
      'production/app-settings',
      'production/feature-flags',
    ]);
  });

  it('normalises app.yaml: promotion order, parsed guards and conditions, numeric rules', () => {
    const app = loadRepository(new WorkingTreeSource(REPO_ROOT)).applications['ons-data-platform-app']!;
    expect(app.dir).toBe('flags/ons-data-platform-app');
    expect(app.environments.map((e) => [e.name, e.order, e.strategy, e.approvals, e.bakeMinutes])).toEqual([
      ['development', 0, 'AppConfig.AllAtOnce', 1, 5],
      ['production', 1, 'canary-10-percent', 2, 15],
    ]);
    expect(app.environments[1]!.alarms).toHaveLength(5);
    expect(app.guards['influxdb-success-rate']!.breachWhen).toEqual({ op: '<', threshold: 95 });
    expect(app.guards['influxdb-error-rate']!.minSamples).toEqual({ metric: 'requests', atLeast: 20 });
    expect(app.flags['influxdb_traffic_percentage']!.requires).toEqual([
      { flag: 'use_influxdb_for_api_queries', when: { attribute: 'percentage', op: '>', value: 0 } },
    ]);
    expect(app.policy.numeric).toEqual([
      {
        key: 'influxdb_traffic_percentage.percentage',
        flag: 'influxdb_traffic_percentage',
        attribute: 'percentage',
        maxIncrease: 25,
        ladder: [0, 10, 25, 50, 75, 100],
      },
    ]);
    expect(app.strategies['canary-10-percent']!.growthType).toBe('EXPONENTIAL');
    expect(app.locations['environments.production.approvals']).toMatchObject({ file: APP_FILE, line: 29 });
  });

  it('gives targets their flags in file order and the position of every value', () => {
    const repo = loadRepository(new WorkingTreeSource(REPO_ROOT));
    const prod = repo.targets.find((t) => t.file === PROD_FLAGS)!;
    expect(prod.profileType).toBe('AWS.AppConfig.FeatureFlags');
    expect(Object.keys(prod.flags!)).toEqual([
      'use_influxdb_for_data_ingestion',
      'use_influxdb_for_api_queries',
      'influxdb_traffic_percentage',
      'enable_query_performance_monitoring',
    ]);
    expect(prod.flags!['influxdb_traffic_percentage']).toEqual({
      enabled: true,
      attributes: { percentage: 0 },
    });
    expect(prod.locations['influxdb_traffic_percentage']).toEqual({ file: PROD_FLAGS, line: 5, column: 1 });
    expect(prod.locations['influxdb_traffic_percentage.percentage']).toEqual({
      file: PROD_FLAGS,
      line: 7,
      column: 15,
    });
    const settings = repo.targets.find((t) => t.file === PROD_SETTINGS)!;
    expect(settings.profileType).toBe('AWS.Freeform');
    expect(settings.data).toMatchObject({
      query_timeout_seconds: 30,
      influxdb: { connection_pool_size: 20 },
    });
  });
});

describe('GitRevisionSource', () => {
  it('loads the files of a commit, not of the working tree', () => {
    const root = makeRepo();
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: root,
        stdio: 'pipe',
        env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
      });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
    // The working tree now breaks, but the commit stays valid.
    execFileSync('sh', ['-c', `printf 'nope: [' > ${JSON.stringify(join(root, PROD_FLAGS))}`]);
    const atHead = loadRepository(new GitRevisionSource(root, 'HEAD'));
    expect(atHead.diagnostics).toEqual([]);
    expect(atHead.targets).toHaveLength(4);
    const working = loadRepository(new WorkingTreeSource(root));
    expect(working.diagnostics.some((d) => d.code === 'yaml-syntax' && d.position.file === PROD_FLAGS)).toBe(
      true,
    );
  });
});

describe('guards: applies_when', () => {
  it('names an undeclared flag and a non-number attribute at their lines, with a did-you-mean', () => {
    const repo = load({
      [APP_FILE]: appWith(
        '      - { flag: influxdb_traffic_percentage, when: "percentage < 100" }\n',
        '      - { flag: influxdb_trafic_percentage, when: "percentage < 100" }\n      - { flag: influxdb_traffic_percentage, when: "percent < 100" }\n',
      ),
    });
    const flag = only(repo, 'unknown-flag');
    expect(flag.position.file).toBe(APP_FILE);
    expect(flag.message).toContain('applies when `influxdb_trafic_percentage`, which is not declared');
    expect(flag.message).toContain('Did you mean `influxdb_traffic_percentage`?');
    const attribute = only(repo, 'unknown-attribute');
    expect(attribute.position.line).toBe(flag.position.line + 1);
    expect(attribute.message).toContain('`percent`, which is not a number attribute');
  });
});

describe('values checked against the flag definitions', () => {
  it('reports an unknown flag with a did-you-mean, at its key', () => {
    const repo = load({
      [PROD_FLAGS]: `${PROD_FLAGS_TEXT}use_influxdb_for_api_querys: { enabled: true }\n`,
    });
    const d = only(repo, 'unknown-flag');
    expect(d.position).toEqual({ file: PROD_FLAGS, line: 8, column: 1 });
    expect(d.message).toContain('unknown flag `use_influxdb_for_api_querys`');
    expect(d.message).toContain('Did you mean `use_influxdb_for_api_queries`?');
  });

  it('reports an unknown attribute with a did-you-mean', () => {
    const repo = load({
      [PROD_FLAGS]: PROD_FLAGS_TEXT.replace('  percentage: 0', '  percentage: 0\n  percentag: 5'),
    });
    const d = only(repo, 'unknown-attribute');
    expect(d.position).toMatchObject({ file: PROD_FLAGS, line: 7, column: 3 });
    expect(d.message).toContain('Did you mean `percentage`?');
  });

  it('reports a wrong type, naming what was found', () => {
    const repo = load({ [PROD_FLAGS]: PROD_FLAGS_TEXT.replace('percentage: 0', 'percentage: "ten"') });
    const d = only(repo, 'type');
    expect(d.position).toEqual({ file: PROD_FLAGS, line: 6, column: 15 });
    expect(d.message).toBe(
      '`influxdb_traffic_percentage.percentage` must be a number, but is the string "ten".',
    );
  });

  it('reports values above the maximum and below the minimum', () => {
    const high = load({ [PROD_FLAGS]: PROD_FLAGS_TEXT.replace('percentage: 0', 'percentage: 150') });
    expect(only(high, 'maximum').message).toContain('is 150, above the maximum 100');
    expect(only(high, 'maximum').position.line).toBe(6);
    const low = load({ [PROD_FLAGS]: PROD_FLAGS_TEXT.replace('percentage: 0', 'percentage: -5') });
    expect(only(low, 'minimum').message).toContain('is -5, below the minimum 0');
  });

  it('reports a value outside an enum with a did-you-mean', () => {
    const repo = load({
      [APP_FILE]: `${appText}  query_backend:\n    attributes:\n      engine: { type: string, enum: [influxdb, timestream] }\n`,
      [PROD_FLAGS]: `${PROD_FLAGS_TEXT}query_backend: { enabled: true, engine: timestrem }\n`,
      [`flags/ons-data-platform-app/development/feature-flags.yaml`]: `${PROD_FLAGS_TEXT}query_backend: { enabled: false }\n`,
    });
    const d = only(repo, 'enum');
    expect(d.position).toMatchObject({ file: PROD_FLAGS, line: 8 });
    expect(d.message).toContain('allowed: influxdb, timestream');
    expect(d.message).toContain('Did you mean `timestream`?');
  });

  it('reports a missing required attribute and a missing `enabled`', () => {
    const repo = load({
      [PROD_FLAGS]: PROD_FLAGS_TEXT.replace('  percentage: 0\n', '').replace(
        'enable_query_performance_monitoring: { enabled: true }',
        'enable_query_performance_monitoring: {}',
      ),
    });
    const required = repo.diagnostics.filter((d) => d.code === 'required');
    expect(required.map((d) => [d.position.line, d.message])).toEqual([
      [
        4,
        'flag `influxdb_traffic_percentage` is missing its required attribute `percentage`; add `percentage: <number>`.',
      ],
      [6, '`enable_query_performance_monitoring` is missing the required key `enabled`.'],
    ]);
  });

  it('explains YAML 1.1 booleans where a boolean is expected', () => {
    const repo = load({
      [PROD_FLAGS]: PROD_FLAGS_TEXT.replace(
        'api_queries: { enabled: false }',
        'api_queries: { enabled: no }',
      ),
    });
    const d = only(repo, 'yaml11-boolean');
    expect(d.position).toEqual({ file: PROD_FLAGS, line: 3, column: 42 });
    expect(d.message).toContain('the string "no", not a boolean');
    expect(d.message).toContain('Write `false` instead');
  });

  it('reports a flag name that breaks AppConfig key rules, with the rule', () => {
    const repo = load({ [PROD_FLAGS]: `${PROD_FLAGS_TEXT}Use-Influx: { enabled: true }\n` });
    expect(repo.diagnostics).toHaveLength(1);
    const d = repo.diagnostics[0]!;
    expect(d.position).toEqual({ file: PROD_FLAGS, line: 8, column: 1 });
    expect(d.message).toContain('`Use-Influx` is not a valid name in the top level');
    expect(d.message).toContain('a lowercase letter, then letters, digits');
  });

  it('checks string attributes against enum and pattern, and array elements one by one', () => {
    const repo = load({
      [APP_FILE]: `${appText}  regions:\n    attributes:\n      codes: { type: array, elements: { type: string, pattern: "^[a-z]{2}-[a-z]+-\\\\d$" } }\n`,
      [PROD_FLAGS]: `${PROD_FLAGS_TEXT}regions: { enabled: true, codes: [eu-west-2, EU-WEST-1] }\n`,
      ['flags/ons-data-platform-app/development/feature-flags.yaml']: `${PROD_FLAGS_TEXT}regions: { enabled: false }\n`,
    });
    const d = only(repo, 'pattern');
    expect(d.position).toEqual({ file: PROD_FLAGS, line: 8, column: 46 });
    expect(d.message).toContain('`regions.codes.1` is "EU-WEST-1", which does not match the pattern');
  });

  it('reports a declared flag that has no value in a values file', () => {
    const repo = load({
      [PROD_FLAGS]: PROD_FLAGS_TEXT.replace('enable_query_performance_monitoring: { enabled: true }\n', ''),
    });
    expect(only(repo, 'missing-flag').message).toContain('`enable_query_performance_monitoring` is declared');
  });

  it('reports every problem of a file, not only the first', () => {
    const repo = load({
      [PROD_FLAGS]: `use_influxdb_for_data_ingestion: { enabled: yes }
use_influxdb_for_api_queries: { enabled: false, colour: red }
influxdb_traffic_percentage: { enabled: true, percentage: 101 }
enable_query_performance_monitoring: { enabled: true }
no_such_flag: { enabled: true }
`,
    });
    expect(repo.diagnostics.map((d) => [d.code, d.position.line])).toEqual([
      ['yaml11-boolean', 1],
      ['unknown-attribute', 2],
      ['maximum', 3],
      ['unknown-flag', 5],
    ]);
  });

  it('accepts a `_rollout` plan and checks the flag it names', () => {
    const good = load({
      [PROD_FLAGS]: `${PROD_FLAGS_TEXT}_rollout: { flag: influxdb_traffic_percentage, attribute: percentage, target: 50, step: 10, wait_minutes: 30 }\n`,
    });
    expect(good.diagnostics).toEqual([]);
    const target = good.targets.find((t) => t.file === PROD_FLAGS)!;
    expect(target.rollout).toEqual({
      flag: 'influxdb_traffic_percentage',
      attribute: 'percentage',
      target: 50,
      step: 10,
      waitMinutes: 30,
    });
    expect(Object.keys(target.flags!)).not.toContain('_rollout');
    const bad = load({
      [PROD_FLAGS]: `${PROD_FLAGS_TEXT}_rollout: { flag: influxdb_trafic_percentage, attribute: percentage, target: 50, step: 10, wait_minutes: 30 }\n`,
    });
    expect(only(bad, 'unknown-flag').message).toContain('Did you mean `influxdb_traffic_percentage`?');
  });
});

describe('freeform profiles', () => {
  it('are validated against the schema app.yaml names, at the offending node', () => {
    const text = readFileSync(join(REPO_ROOT, PROD_SETTINGS), 'utf8')
      .replace('connection_pool_size: 20', 'connection_pool_size: 0')
      .replace('table: measurements', 'table: measurements\n  tabel: x');
    const repo = load({ [PROD_SETTINGS]: text });
    expect(only(repo, 'minimum').position).toMatchObject({ file: PROD_SETTINGS, line: 7, column: 25 });
    const unknown = repo.diagnostics.find((d) => d.code === 'schema')!;
    expect(unknown.position).toMatchObject({ file: PROD_SETTINGS, line: 11, column: 3 });
    expect(unknown.message).toContain('unknown key `tabel` in `timestream`. Did you mean `table`?');
  });

  it('refuse a schema path that leaves schemas/', () => {
    const repo = load({
      [APP_FILE]: appWith('schema: ons-app-settings.schema.json', 'schema: ../package.json'),
    });
    const d = repo.diagnostics.find((x) => x.position.file === APP_FILE)!;
    expect(d.position.line).toBe(16);
    expect(d.message).toContain('`profiles.app-settings.schema`');
    expect(repo.diagnostics).toHaveLength(1);
  });

  it('report a schema file that does not exist', () => {
    const repo = load({
      [APP_FILE]: appWith('schema: ons-app-settings.schema.json', 'schema: ons-settings.schema.json'),
    });
    const d = only(repo, 'missing-schema');
    expect(d.message).toContain('schemas/ons-settings.schema.json does not exist');
    expect(d.message).toContain('Did you mean `ons-app-settings.schema.json`?');
  });
});

describe('the layout of flags/', () => {
  it('reports a directory for an undeclared environment, with a did-you-mean', () => {
    const path = 'flags/ons-data-platform-app/prodution/feature-flags.yaml';
    const repo = load({ [path]: PROD_FLAGS_TEXT });
    const d = only(repo, 'unknown-environment');
    expect(d.position).toEqual({ file: path, line: 1, column: 1 });
    expect(d.message).toContain('Did you mean `production`?');
  });

  it('reports a values file for an undeclared profile', () => {
    const path = 'flags/ons-data-platform-app/production/feature-flag.yaml';
    const repo = load({ [path]: PROD_FLAGS_TEXT });
    expect(only(repo, 'unknown-profile').message).toContain('Did you mean `feature-flags`?');
  });

  it('reports a missing values file at the environment in app.yaml', () => {
    const repo = load({ [PROD_SETTINGS]: null });
    const d = only(repo, 'missing-values-file');
    expect(d.position).toMatchObject({ file: APP_FILE, line: 25 });
    expect(d.message).toContain(`${PROD_SETTINGS} is missing`);
  });

  it('refuses unsafe application, environment and profile names', () => {
    const repo = load({
      'flags/Bad App/app.yaml': 'application: x\n',
      'flags/ons-data-platform-app/Prod.Env/feature-flags.yaml': PROD_FLAGS_TEXT,
      'flags/ons-data-platform-app/production/Feature_Flags.yaml': PROD_FLAGS_TEXT,
    });
    const unsafe = repo.diagnostics.filter((d) => d.code === 'unsafe-name');
    expect(unsafe.map((d) => d.position.file)).toEqual([
      'flags/Bad App/app.yaml',
      'flags/ons-data-platform-app/Prod.Env/feature-flags.yaml',
      'flags/ons-data-platform-app/production/Feature_Flags.yaml',
    ]);
    expect(unsafe[0]!.message).toContain("use lowercase letters, digits and '-'");
  });

  it('refuses unsafe names declared in app.yaml, at the key', () => {
    const repo = load({ [APP_FILE]: appWith('  development:\n', '  ../development:\n') });
    const d = repo.diagnostics.find((x) => x.code === 'unsafe-name')!;
    expect(d.position).toEqual({ file: APP_FILE, line: 20, column: 3 });
    expect(d.message).toContain('`../development` is not a safe name');
  });
});

describe('app.yaml cross-references', () => {
  it('reports an unknown strategy', () => {
    const repo = load({ [APP_FILE]: appWith('strategy: canary-10-percent', 'strategy: canary-10-percnt') });
    const d = only(repo, 'unknown-strategy');
    expect(d.position).toMatchObject({ file: APP_FILE, line: 27 });
    expect(d.message).toContain('Did you mean `canary-10-percent`?');
  });

  it('accepts a predefined AppConfig strategy', () => {
    const repo = load({
      [APP_FILE]: appWith('strategy: canary-10-percent', 'strategy: AppConfig.Canary10Percent20Minutes'),
    });
    expect(repo.diagnostics).toEqual([]);
  });

  it('warns when a watched alarm is not compiled from a guard (no sample gate flagops knows of)', () => {
    const repo = load({
      [APP_FILE]: appWith(
        '      - ons-data-platform-influxdb-latency-comparison\n',
        '      - ons-data-platform-influxdb-latency-comparison\n      - platform-owned-5xx\n',
      ),
    });
    const d = only(repo, 'alarm-without-gate');
    expect(d.severity).toBe('warning');
    expect(d.message).toContain('`platform-owned-5xx`');
    expect(d.message).toContain('min_samples');
  });

  it('reports an environment watching an undeclared guard', () => {
    const repo = load({
      [APP_FILE]: appWith('      - influxdb-success-rate\n', '      - influxdb-sucess-rate\n'),
    });
    const d = only(repo, 'unknown-guard');
    // The line the replaced entry is on (String.replace changes the first occurrence).
    const line = appText.slice(0, appText.indexOf('      - influxdb-success-rate\n')).split('\n').length;
    expect(d.position).toMatchObject({ file: APP_FILE, line });
    expect(d.message).toContain('Did you mean `influxdb-success-rate`?');
  });

  it('reports an acceptance criterion naming a missing or a threshold guard, at its `guard:`', () => {
    const entry = '      guard: influxdb-latency-vs-timestream\n';
    const line = appText.slice(0, appText.indexOf(entry)).split('\n').length;
    const missing = only(
      load({ [APP_FILE]: appWith(entry, '      guard: influxdb-latency-vs-timestrem\n') }),
      'unknown-guard',
    );
    expect(missing.position).toMatchObject({ file: APP_FILE, line });
    expect(missing.message).toContain('Did you mean `influxdb-latency-vs-timestream`?');
    const threshold = only(
      load({ [APP_FILE]: appWith(entry, '      guard: influxdb-error-rate\n') }),
      'unknown-guard',
    );
    expect(threshold.position).toMatchObject({ file: APP_FILE, line });
    expect(threshold.message).toContain('is a threshold guard');
  });

  it('refuses a criterion with both `guard:` and its own metrics (the schema)', () => {
    const entry = '      guard: influxdb-latency-vs-timestream\n';
    const repo = load({ [APP_FILE]: appWith(entry, `${entry}      value: "1"\n      pass_when: "< 2"\n`) });
    expect(repo.diagnostics.some((d) => d.position.file === APP_FILE && d.severity === 'error')).toBe(true);
  });

  it('reports guard expressions that use undeclared metric ids', () => {
    const repo = load({
      [APP_FILE]: appWith('value: 100 * errors / requests', 'value: 100 * error / requests'),
    });
    const d = only(repo, 'unknown-metric');
    expect(d.message).toContain(
      'uses `error`, which is not one of its metrics (errors, requests). Did you mean `errors`?',
    );
  });

  it('reports a numeric policy rule for an attribute that does not exist', () => {
    const repo = load({
      [APP_FILE]: appWith('influxdb_traffic_percentage.percentage:', 'influxdb_traffic_percentage.percent:'),
    });
    expect(only(repo, 'unknown-attribute').message).toContain('Did you mean `percentage`?');
  });

  it('reports a freeze window that ends before it starts', () => {
    const repo = load({ [APP_FILE]: appWith('end: "2027-01-04T08:00:00Z"', 'end: "2026-12-01T08:00:00Z"') });
    const d = repo.diagnostics.find((x) => x.message.includes('freeze window'))!;
    expect(d.position).toMatchObject({ file: APP_FILE });
    expect(d.message).toContain('`end` must be after `start`');
  });

  it('reports an application name that does not match its directory', () => {
    const repo = load({
      [APP_FILE]: appWith('application: ons-data-platform-app', 'application: ons-platform'),
    });
    expect(only(repo, 'app-name-mismatch').position).toMatchObject({ file: APP_FILE, line: 6, column: 14 });
  });

  it('reports schema violations in app.yaml at the offending node', () => {
    const repo = load({ [APP_FILE]: appWith('    approvals: 2\n', '    approvals: two\n    aprovals: 2\n') });
    const type = only(repo, 'type');
    expect(type.position).toEqual({ file: APP_FILE, line: 29, column: 16 });
    expect(type.message).toContain('`environments.production.approvals` must be an integer');
    const unknown = repo.diagnostics.find((d) => d.message.startsWith('unknown key `aprovals`'))!;
    expect(unknown.position).toEqual({ file: APP_FILE, line: 30, column: 5 });
    expect(unknown.message).toContain('Did you mean `approvals`?');
  });
});

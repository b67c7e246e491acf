/** The compiler over the repository's real data, loaded the way the CLI loads it. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileTarget, decompileFeatureFlags } from '../../src/model/compile.ts';
import { loadRepository } from '../../src/model/load.ts';
import { WorkingTreeSource } from '../../src/model/source.ts';
import { targetId } from '../../src/model/types.ts';
import { appConfigFeatureFlagViolations } from './compile-appconfig-rules.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const repository = loadRepository(new WorkingTreeSource(root));

describe('compiling the repository', () => {
  it('loads without diagnostics', () => {
    expect(repository.diagnostics).toEqual([]);
  });

  it('compiles every target of the ONS application', () => {
    const ids = repository.targets.map(targetId).sort();
    expect(ids).toEqual([
      'ons-data-platform-app/development/app-settings',
      'ons-data-platform-app/development/feature-flags',
      'ons-data-platform-app/production/app-settings',
      'ons-data-platform-app/production/feature-flags',
    ]);
    for (const target of repository.targets) {
      const result = compileTarget(repository.applications[target.application]!, target);
      expect(result.ok, `${targetId(target)}: ${JSON.stringify(result)}`).toBe(true);
    }
  });

  it('compiles production feature flags to a document AppConfig accepts, matching the values file', () => {
    const target = repository.targets.find(
      (t) => targetId(t) === 'ons-data-platform-app/production/feature-flags',
    )!;
    const result = compileTarget(repository.applications[target.application]!, target);
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    const document = JSON.parse(result.document.content.toString('utf8'));
    expect(appConfigFeatureFlagViolations(document)).toEqual([]);
    expect(Object.keys(document.flags).sort()).toEqual([
      'enable_query_performance_monitoring',
      'influxdb_traffic_percentage',
      'use_influxdb_for_api_queries',
      'use_influxdb_for_data_ingestion',
    ]);
    expect(document.flags.influxdb_traffic_percentage.attributes.percentage.constraints).toEqual({
      type: 'number',
      required: true,
      minimum: 0,
      maximum: 100,
    });
    // What is deployed reads back as exactly what the repository says.
    const decompiled = decompileFeatureFlags(result.document.content);
    expect(decompiled).toEqual({ ok: true, flags: expect.any(Object) });
    if (decompiled.ok) {
      for (const [name, value] of Object.entries(target.flags ?? {})) {
        expect(decompiled.flags[name]).toEqual(value);
      }
    }
  });

  it('compiles freeform app settings to their data as JSON', () => {
    const target = repository.targets.find(
      (t) => targetId(t) === 'ons-data-platform-app/production/app-settings',
    )!;
    const result = compileTarget(repository.applications[target.application]!, target);
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    expect(JSON.parse(result.document.content.toString('utf8'))).toEqual(target.data);
    expect(result.document.content.toString('utf8')).toMatch(
      /^\{"comparison_sampling_percentage":5,"influxdb":\{/,
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { runRelease } from '../../src/pipeline/release.ts';
import { DEVELOPMENT, type PipelineHarness, startPipelineHarness } from '../../testkit/pipeline-harness.ts';

let h: PipelineHarness;
beforeAll(async () => {
  h = await startPipelineHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('bootstrap', () => {
  it('creates the application, environments, profiles and strategy once, then only reports them', async () => {
    const repo = h.snapshot().repo;
    const first = await bootstrap(h.ctx, repo);
    expect(
      first
        .filter((a) => a.action === 'created')
        .map((a) => `${a.resource} ${a.name}`)
        .sort(),
    ).toEqual([
      'alarm ons-data-platform-influxdb-connection-failures',
      'alarm ons-data-platform-influxdb-latency-comparison',
      'alarm ons-data-platform-influxdb-migration-error-rate',
      'alarm ons-data-platform-influxdb-migration-latency',
      'alarm ons-data-platform-traffic-switch-success-rate',
      'application ons-data-platform-app',
      'environment ons-data-platform-app/development',
      'environment ons-data-platform-app/production',
      'profile ons-data-platform-app/app-settings',
      'profile ons-data-platform-app/feature-flags',
      'strategy canary-10-percent',
    ]);
    const second = await bootstrap(h.ctx, repo);
    expect(second.filter((a) => a.action !== 'exists')).toEqual([]);
    expect(second).toHaveLength(first.length);
  });
});

describe('deploy', () => {
  it('deploys development to COMPLETE, then finds nothing to do for the same content', async () => {
    const first = await runRelease({
      target: DEVELOPMENT,
      aws: h.aws,
      clock: h.clock,
      content: h.provider(),
      bake: false,
    });
    expect(first.message).toBeUndefined();
    expect(first.status).toBe('deployed');
    expect(first.changed).toBe(true);
    const again = await runRelease({
      target: DEVELOPMENT,
      aws: h.aws,
      clock: h.clock,
      content: h.provider(),
      bake: false,
    });
    expect(again.status).toBe('unchanged');
    expect(again.changed).toBe(false);
    expect(again.version).toEqual(first.version);
    expect(again.timeline.map((e) => e.message).join('\n')).toMatch(/nothing to do/);
  });
});

/**
 * A release marks its deployment on the environment's dashboard, so the graphs a person watches
 * during the bake show where it began, and drift afterwards finds the dashboard current, not
 * merely "behind".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncDashboards } from '../../src/dashboard/sync.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { runRelease } from '../../src/pipeline/release.ts';
import { type PipelineHarness, PRODUCTION, startPipelineHarness } from '../../testkit/pipeline-harness.ts';

const REGION = 'eu-west-2';
let h: PipelineHarness;

beforeAll(async () => {
  h = await startPipelineHarness({ stepped: true });
  await bootstrap(h.ctx, h.snapshot().repo);
});
afterAll(() => h?.close());

const production = () => Object.values(h.snapshot().repo.applications);
const check = () => syncDashboards(h.aws, production(), { mode: 'check', region: REGION });
const markers = async (): Promise<string[]> => {
  const body = JSON.parse((await h.aws.cloudwatch.getDashboard(dashboardName())) ?? '{}') as {
    widgets?: Array<{ properties?: { annotations?: { vertical?: Array<{ label?: string }> } } }>;
  };
  return (body.widgets?.[1]?.properties?.annotations?.vertical ?? []).map((v) => v.label ?? '');
};
const dashboardName = () =>
  production()[0]!.environments.find((e) => e.name === 'production')!.dashboard as string;

describe('a release and the dashboard of its environment', () => {
  it('writes the new deployment as a marker, so drift sees the dashboard as current', async () => {
    h.setPercentage('production', 10);
    const first = await runRelease({
      target: PRODUCTION,
      aws: h.aws,
      clock: h.clock,
      content: h.provider(),
      bake: false,
      region: REGION,
    });
    expect(first.status).toBe('deployed');
    expect((await check()).map((r) => r.state)).toEqual(['unchanged']);
    const before = await markers();
    expect(before.length).toBeGreaterThan(0);

    h.setPercentage('production', 25);
    const second = await runRelease({
      target: PRODUCTION,
      aws: h.aws,
      clock: h.clock,
      content: h.provider(),
      bake: false,
      region: REGION,
    });
    expect(second.deploymentNumber).toBeGreaterThan(first.deploymentNumber!);
    expect((await markers()).length).toBe(before.length + 1);
    expect((await check()).map((r) => r.state)).toEqual(['unchanged']);
  });

  it('without a region (the caller chose no dashboards) leaves the dashboard behind, which drift reports as stale', async () => {
    h.setPercentage('production', 50);
    const third = await runRelease({
      target: PRODUCTION,
      aws: h.aws,
      clock: h.clock,
      content: h.provider(),
      bake: false,
    });
    expect(third.changed).toBe(true);
    expect((await check()).map((r) => r.state)).toEqual(['stale']);
  });
});

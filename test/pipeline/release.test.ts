/**
 * The story of the ONS migration on the sandbox: production at 25 % bakes healthy; production at
 * 50 % under `influxdb-overload-above-40` breaches the error-rate guard, is rolled back, and the
 * environment serves 25 % again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { influxShareOf } from '../../packages/sandbox/src/scenarios.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { runRelease } from '../../src/pipeline/release.ts';
import { resolveTarget } from '../../src/pipeline/resolve.ts';
import { runningDeployment } from '../../src/pipeline/versions.ts';
import { type PipelineHarness, PRODUCTION, startPipelineHarness } from '../../testkit/pipeline-harness.ts';

let h: PipelineHarness;
beforeAll(async () => {
  h = await startPipelineHarness({ scenario: 'influxdb-overload-above-40', stepped: true });
  await bootstrap(h.ctx, h.snapshot().repo);
});
afterAll(async () => {
  await h?.close();
});

async function servedPercentage(): Promise<number> {
  const served = await h.aws.served.served(
    PRODUCTION.application,
    PRODUCTION.environment,
    PRODUCTION.profile,
  );
  return influxShareOf(Buffer.from(served.content.length > 0 ? toHosted(served.content) : '{}'));
}

/** AppConfigData gives the simplified map; wrap it as the hosted document the scenario reads. */
function toHosted(content: Uint8Array): string {
  return JSON.stringify({ values: JSON.parse(Buffer.from(content).toString('utf8')) });
}

describe('release on production', () => {
  it('bakes 25 % healthy, watching every guard', async () => {
    h.setPercentage('production', 25);
    const result = await runRelease({
      target: PRODUCTION,
      aws: h.aws,
      clock: h.clock,
      content: h.provider(() => 'aaaa25'),
      bake: true,
    });
    expect(result.message).toBeUndefined();
    expect(result.status).toBe('healthy');
    expect(result.exitCode).toBe(0);
    expect(result.verdict?.guards.map((g) => [g.guard, g.status])).toEqual([
      ['influxdb-error-rate', 'healthy'],
      ['influxdb-latency-gap', 'healthy'],
      ['influxdb-response-time', 'healthy'],
      ['influxdb-connection-failures', 'healthy'],
      ['influxdb-success-rate', 'healthy'],
    ]);
    expect(await servedPercentage()).toBe(25);
  });

  it('rolls 50 % back on the error-rate breach and serves 25 % again', async () => {
    h.setPercentage('production', 50);
    const result = await runRelease({
      target: PRODUCTION,
      aws: h.aws,
      clock: h.clock,
      content: h.provider(() => 'bbbb50'),
      bake: true,
    });
    expect(result.message).toBeUndefined();
    expect(result.status).toBe('rolled-back');
    expect(result.exitCode).toBe(1);
    const guardBreach = result.breaches.find((b) => b.kind === 'guard');
    expect(guardBreach?.kind === 'guard' && guardBreach.guard).toBeTruthy();
    if (guardBreach?.kind === 'guard') {
      for (const p of guardBreach.periods) expect(p.value).toBeGreaterThan(guardBreach.breachWhen.threshold);
    }
    expect(result.rollback?.verified).toBe(true);
    expect(result.rollback?.serving?.number).toBe(result.previousVersion?.number);

    const t = await resolveTarget(h.aws, PRODUCTION);
    const deployments = await h.aws.appconfig.listDeployments(t.application.id, t.environment.id);
    const undone = deployments.find((d) => d.number === result.deploymentNumber);
    expect(['ROLLED_BACK', 'REVERTED']).toContain(undone?.state);
    expect(Number(runningDeployment(deployments, 'feature-flags')?.version)).toBe(
      result.previousVersion?.number,
    );
    expect(await servedPercentage()).toBe(25);
  });
});

/**
 * The rollback's time is AppConfig's: the revert pull request's "Rollback … at" and the release
 * record name when AppConfig undid the deployment (its REVERT_COMPLETED or ROLLBACK_COMPLETED
 * event), not when flagops finished checking what clients receive — which takes time of its own
 * (here 30 simulated seconds per AppConfigData read), and took 17 simulated seconds in the
 * workflows' e2e run at 600×.
 */
import { AppConfigClient, GetDeploymentCommand } from '@aws-sdk/client-appconfig';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Aws } from '../../src/aws/index.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { makeContext } from '../../src/pipeline/context.ts';
import { runRelease } from '../../src/pipeline/release.ts';
import { resolveTarget } from '../../src/pipeline/resolve.ts';
import { rollback } from '../../src/pipeline/rollback.ts';
import { type PipelineHarness, PRODUCTION, startPipelineHarness } from '../../testkit/pipeline-harness.ts';

let h: PipelineHarness;
beforeAll(async () => {
  h = await startPipelineHarness({ stepped: true, start: Date.UTC(2027, 1, 2, 9) });
  await bootstrap(h.ctx, h.snapshot().repo);
});
afterAll(async () => {
  await h?.close();
});

/** AWS whose AppConfigData reads take 30 simulated seconds each. */
function slowReads(aws: Aws): Aws {
  return {
    ...aws,
    served: {
      ...aws.served,
      served: async (...args: Parameters<Aws['served']['served']>) => {
        h.sandbox.clock.advance(30_000);
        return aws.served.served(...args);
      },
    },
  };
}

describe('the time of a rollback', () => {
  it('is when AppConfig reverted the deployment, not when flagops finished verifying it', async () => {
    for (const [percentage, sha] of [
      [25, 'aaaa25'],
      [50, 'aaaa50'],
    ] as const) {
      h.setPercentage('production', percentage);
      const released = await runRelease({
        target: PRODUCTION,
        aws: h.aws,
        clock: h.clock,
        content: h.provider(() => sha),
        bake: false,
      });
      expect(released.message).toBeUndefined();
    }
    const t = await resolveTarget(h.aws, PRODUCTION);
    const ctx = makeContext({ aws: slowReads(h.aws), clock: h.clock, reporter: { emit: () => {} } });
    const result = await rollback(ctx, t, { evidence: [], reason: 'a test breach' });
    expect(result.verified).toBe(true);
    expect(['reverted', 'stopped']).toContain(result.action);

    // AppConfig's own account of the rollback, read through the SDK.
    const sdk = new AppConfigClient({
      endpoint: h.sandbox.url,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const undone = await sdk.send(
      new GetDeploymentCommand({
        ApplicationId: t.application.id,
        EnvironmentId: t.environment.id,
        DeploymentNumber: result.deploymentNumber!,
      }),
    );
    sdk.destroy();
    const event = undone.EventLog?.find((e) =>
      ['ROLLBACK_COMPLETED', 'REVERT_COMPLETED'].includes(e.EventType ?? ''),
    );
    expect(event?.OccurredAt).toBeInstanceOf(Date);
    // Verifying took simulated time after AppConfig's event…
    expect(h.clock.now()).toBeGreaterThanOrEqual(event!.OccurredAt!.getTime() + 30_000);
    // …and the rollback still names AppConfig's time.
    expect(result.at).toBe(event!.OccurredAt!.getTime());
  }, 120_000);
});

/**
 * Reliability on the sandbox: throttling, 5xx, dropped connections, a run killed half-way, two runs
 * racing, AppConfig's monitor acting first, breaches while DEPLOYING and BAKING, a bake without data.
 * Every test states the end state: what the environment runs, and how many versions and deployments.
 */
import { AppConfigClient, ListHostedConfigurationVersionsCommand } from '@aws-sdk/client-appconfig';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { afterEach, describe, expect, it } from 'vitest';
import type { TargetRef } from '../../src/core/target.ts';
import { bootstrap } from '../../src/pipeline/bootstrap.ts';
import { type ReleaseInput, runRelease } from '../../src/pipeline/release.ts';
import { type ResolvedTarget, resolveTarget } from '../../src/pipeline/resolve.ts';
import { labelContentHash, runningDeployment } from '../../src/pipeline/versions.ts';
import {
  DEVELOPMENT,
  type PipelineHarness,
  PRODUCTION,
  startPipelineHarness,
} from '../../testkit/pipeline-harness.ts';

let h: PipelineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setUp(
  options: Parameters<typeof startPipelineHarness>[0] = {},
  boot: Parameters<typeof bootstrap>[2] = {},
) {
  h = await startPipelineHarness(options);
  await bootstrap(h.ctx, h.snapshot().repo, boot);
  return h;
}

function release(harness: PipelineHarness, target: TargetRef, extra: Partial<ReleaseInput> = {}) {
  return runRelease({
    target,
    aws: harness.aws,
    clock: harness.clock,
    content: harness.provider(),
    bake: false,
    ...extra,
  });
}

/** What AppConfig holds for a target: versions, deployments of the profile, the running one. */
async function endState(harness: PipelineHarness, target: TargetRef) {
  const t: ResolvedTarget = await resolveTarget(harness.aws, target);
  const client = new AppConfigClient({
    endpoint: harness.sandbox.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const versions = await client.send(
    new ListHostedConfigurationVersionsCommand({
      ApplicationId: t.application.id,
      ConfigurationProfileId: t.profile.id,
    }),
  );
  const deployments = (
    await harness.aws.appconfig.listDeployments(t.application.id, t.environment.id)
  ).filter((d) => d.profileName === target.profile);
  const running = runningDeployment(deployments, target.profile);
  return { versions: versions.Items ?? [], deployments, running };
}

function repoHash(harness: PipelineHarness, target: TargetRef): Promise<string> {
  return import('../../src/pipeline/content.ts').then((m) =>
    m.compileSnapshot(harness.snapshot(), target).document.sha256.slice(0, 16),
  );
}

describe('faults', () => {
  it('deploys and bakes through throttling on 30 % of calls', async () => {
    const hh = await setUp();
    hh.setPercentage('production', 25);
    await hh.control('faults', { rules: [{ operation: '*', kind: 'throttle', probability: 0.3 }] });
    const result = await release(hh, PRODUCTION, { bake: true });
    const injected = (await (await fetch(`${hh.sandbox.url}/_sandbox/faults`)).json()) as {
      injected: Record<string, number>;
    };
    await fetch(`${hh.sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
    expect(result.message).toBeUndefined();
    expect(result.status).toBe('healthy');
    expect(Object.values(injected.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
    const end = await endState(hh, PRODUCTION);
    expect(end.versions).toHaveLength(1);
    expect(end.deployments).toHaveLength(1);
    expect(labelContentHash(end.running?.versionLabel)).toBe(await repoHash(hh, PRODUCTION));
  });

  it('survives a 500 on CreateHostedConfigurationVersion without a second version', async () => {
    const hh = await setUp();
    await hh.control('faults', {
      rules: [{ operation: 'CreateHostedConfigurationVersion', kind: 'error', count: 1 }],
    });
    const result = await release(hh, DEVELOPMENT);
    expect(result.status).toBe('deployed');
    const end = await endState(hh, DEVELOPMENT);
    expect(end.versions).toHaveLength(1);
    expect(end.running?.state).toBe('COMPLETE');
    expect(result.timeline.some((e) => /creating the hosted version failed, retrying/.test(e.message))).toBe(
      true,
    );
  });

  it('keeps following a deployment when polling connections are reset', async () => {
    const hh = await setUp();
    hh.setPercentage('production', 10);
    await hh.control('faults', { rules: [{ operation: 'GetDeployment', kind: 'reset', count: 8 }] });
    const result = await release(hh, PRODUCTION);
    expect(result.message).toBeUndefined();
    expect(result.status).toBe('deployed');
    const end = await endState(hh, PRODUCTION);
    expect(end.deployments).toHaveLength(1);
    expect(end.running?.number).toBe(result.deploymentNumber);
  });
});

describe('idempotence and serialisation', () => {
  it('a run killed after creating the version, then re-run, makes no second version or deployment', async () => {
    const hh = await setUp();
    const killed = await release(hh, DEVELOPMENT, {
      onStep: (step) => {
        if (step === 'version-ready') throw new Error('killed');
      },
    });
    expect(killed.status).toBe('failed');
    expect((await endState(hh, DEVELOPMENT)).deployments).toHaveLength(0);

    const rerun = await release(hh, DEVELOPMENT);
    expect(rerun.status).toBe('deployed');
    expect(rerun.timeline.some((e) => /reusing hosted version 1/.test(e.message))).toBe(true);
    const killedAfterStart = await release(hh, DEVELOPMENT);
    expect(killedAfterStart.status).toBe('unchanged');
    const end = await endState(hh, DEVELOPMENT);
    expect(end.versions).toHaveLength(1);
    expect(end.deployments).toHaveLength(1);
  });

  it('a run killed right after StartDeployment is followed, not started again, on re-run', async () => {
    const hh = await setUp();
    hh.setPercentage('production', 10);
    const killed = await release(hh, PRODUCTION, {
      onStep: (step) => {
        if (step === 'started') throw new Error('killed');
      },
    });
    expect(killed.status).toBe('failed');
    const rerun = await release(hh, PRODUCTION);
    expect(rerun.status).toBe('deployed');
    expect(rerun.timeline.some((e) => /already in flight; following it/.test(e.message))).toBe(true);
    const end = await endState(hh, PRODUCTION);
    expect(end.versions).toHaveLength(1);
    expect(end.deployments).toHaveLength(1);
    expect(end.running?.state).toBe('COMPLETE');
  });

  it('two deploys racing on one environment: the second waits, then deploys the newest content', async () => {
    const hh = await setUp();
    hh.setPercentage('production', 10);
    let firstStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      firstStarted = resolve;
    });
    const first = release(hh, PRODUCTION, {
      content: hh.provider(() => 'aaaa10'),
      onStep: (step) => {
        if (step === 'started') firstStarted();
      },
    });
    await started;
    hh.setPercentage('production', 25); // main moves on while the first deployment is in flight
    const second = await release(hh, PRODUCTION, { content: hh.provider(() => 'bbbb25') });
    const firstResult = await first;
    expect(firstResult.status).toBe('deployed');
    expect(second.status).toBe('deployed');
    expect(second.timeline.some((e) => /environment busy: deployment 1/.test(e.message))).toBe(true);
    expect(second.timeline.some((e) => /Conflict/.test(e.message))).toBe(false);
    const end = await endState(hh, PRODUCTION);
    expect(end.deployments.map((d) => d.state)).toEqual(['COMPLETE', 'COMPLETE']);
    expect(end.running?.versionLabel).toMatch(/^flagops\.bbbb25\./);
    expect(labelContentHash(end.running?.versionLabel)).toBe(await repoHash(hh, PRODUCTION));
  });
});

describe('breaches', () => {
  it('reports the rollback AppConfig’s own alarm monitor made first, and ends on the previous version', async () => {
    const hh = await setUp(
      { scenario: 'influxdb-overload-above-40', stepped: true },
      {
        alarmRoleArn: 'arn:aws:iam::123456789012:role/appconfig-alarms',
        alarmArnPrefix: 'arn:aws:cloudwatch:eu-west-2:123456789012:alarm:',
      },
    );
    const cw = new CloudWatchClient({
      endpoint: hh.sandbox.url,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'ons-data-platform-influxdb-migration-error-rate',
        Namespace: 'ONS/TrafficSwitching',
        MetricName: 'ErrorCount',
        Dimensions: [{ Name: 'Backend', Value: 'influxdb' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 30,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    hh.setPercentage('production', 25);
    expect((await release(hh, PRODUCTION, { bake: true })).status).toBe('healthy');
    const before = (await endState(hh, PRODUCTION)).running;

    hh.setPercentage('production', 50);
    // The alarm above trips on the first breaching minute, the guard needs two: AppConfig acts first.
    const result = await release(hh, PRODUCTION, { bake: true, settings: { pollIntervalMs: 5 * 60_000 } });
    expect(result.status).toBe('rolled-back');
    expect(result.breaches[0]?.kind).toBe('appconfig-rollback');
    expect(result.breaches[0]).toMatchObject({ triggeredBy: 'CLOUDWATCH_ALARM' });
    expect(result.rollback?.action).toBe('already-rolled-back');
    expect(result.rollback?.verified).toBe(true);
    const end = await endState(hh, PRODUCTION);
    expect(end.deployments.find((d) => d.number === result.deploymentNumber)?.state).toBe('ROLLED_BACK');
    expect(end.running?.version).toBe(before?.version);
  });

  it('stops a deployment that breaches while DEPLOYING', async () => {
    const hh = await setUp({ scenario: 'influxdb-overload-above-40', stepped: true });
    hh.setPercentage('production', 25);
    await release(hh, PRODUCTION);
    hh.setPercentage('production', 50);
    const result = await release(hh, PRODUCTION, { bake: true });
    expect(result.status).toBe('rolled-back');
    expect(result.breaches.some((b) => b.kind === 'guard')).toBe(true);
    expect(result.timeline.some((e) => /rolling back deployment \d+ \(DEPLOYING\)/.test(e.message))).toBe(
      true,
    );
    expect(result.rollback).toMatchObject({ action: 'stopped', verified: true });
    const end = await endState(hh, PRODUCTION);
    expect(end.deployments.find((d) => d.number === result.deploymentNumber)?.state).toBe('ROLLED_BACK');
    expect(end.running?.version).toBe(String(result.previousVersion?.number));
  });

  it('stops a deployment that breaches while BAKING', async () => {
    const hh = await setUp({ stepped: true });
    hh.setPercentage('production', 25);
    await release(hh, PRODUCTION);
    hh.setPercentage('production', 50);
    let switched = false;
    const result = await release(hh, PRODUCTION, {
      bake: true,
      reporter: {
        emit: (e) => {
          if (!switched && e.kind === 'progress' && e.state === 'BAKING') {
            switched = true;
            void hh.control('scenario', { name: 'influxdb-overload-above-40' });
          }
        },
      },
    });
    expect(switched).toBe(true);
    expect(result.status).toBe('rolled-back');
    expect(result.breaches.some((b) => b.kind === 'guard')).toBe(true);
    expect(result.timeline.some((e) => /rolling back deployment \d+ \(BAKING\)/.test(e.message))).toBe(true);
    const end = await endState(hh, PRODUCTION);
    expect(end.deployments.find((d) => d.number === result.deploymentNumber)?.state).toBe('ROLLED_BACK');
    expect(end.running?.version).toBe(String(result.previousVersion?.number));
  });

  it('a bake without traffic ends no-data: reported, never rolled back', async () => {
    const hh = await setUp({ scenario: 'no-traffic' });
    hh.setPercentage('production', 25);
    const result = await release(hh, PRODUCTION, { bake: true });
    expect(result.status).toBe('no-data');
    // Its own exit code (README, "The CLI"): CI can tell "too little traffic" from healthy.
    expect(result.exitCode).toBe(4);
    expect(result.rollback).toBeUndefined();
    expect(result.verdict?.noData).toContain('influxdb-error-rate');
    const end = await endState(hh, PRODUCTION);
    expect(end.running?.number).toBe(result.deploymentNumber);
  });
});

/**
 * The fault matrix (issue 19, "Convergence under races and kills"): each entry point is killed
 * with SIGKILL at each step of a harmful release, and the next run converges — nothing left
 * serving harm, exactly one revert pull request open, and a record that says what happened.
 *
 * The world (testkit/fault-world.ts): production runs 25 % (healthy); the change to 50 % overloads
 * InfluxDB (the sandbox's `influxdb-overload-above-40` traffic), so every guard that watches it
 * breaches. Each process is stopped at an exact step by a sandbox fault that never answers one
 * call (with `after`: once the call took effect), then killed while it waits for that answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../packages/sandbox/src/faults.ts';
import { type FaultWorld, startFaultWorld } from '../../testkit/fault-world.ts';

const ENV = ['--environment', 'production'];
const DEPLOY = ['deploy', ...ENV];
const WATCH = ['watch', ...ENV, '--json'];
const ROLLBACK = ['rollback', ...ENV, '--reason', 'on-call saw errors'];

let world: FaultWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** The bad change deployed and baked healthy while traffic was healthy, then traffic turns bad. */
async function soakingBadChange(w: FaultWorld): Promise<number> {
  await w.scenario('healthy');
  w.commit(50);
  const deployed = await w.run(DEPLOY);
  expect(deployed.code, deployed.out).toBe(0);
  await w.scenario('influxdb-overload-above-40');
  await w.advanceMinutes(10);
  return Math.max(...(await w.deployments()).map((d) => d.number));
}

/** What every cell must end in. */
async function expectConverged(w: FaultWorld, bad: number, log: string): Promise<void> {
  await w.settled();
  expect(await w.servedPercentage(), log).toBe(25);
  const reverts = await w.openReverts();
  expect(reverts, log).toHaveLength(1);
  const record = await w.record();
  expect(record, log).toMatchObject({ deploymentNumber: bad, verdict: 'breached' });
  // The record says what happened as data: the breach, the rollback and who made it, the revert.
  expect(record?.release, log).toMatchObject({
    deploymentNumber: bad,
    verdict: 'breached',
    rollback: { action: expect.any(String), by: expect.any(String) },
    revert: { pullRequest: reverts[0]!.number },
  });
}

interface Cell {
  entry: 'deploy' | 'watch' | 'rollback';
  step: string;
  fault: FaultRule;
  /** The run after the kill: the scheduled soak watch, or the same command run again by a person. */
  next: string[];
}

const AFTER = { kind: 'hang', after: true } as const;

/**
 * The steps in each entry point's own order. deploy: StartDeployment → bake → rollback (it opens no
 * pull request and records no breach: the workflow's revert step does, and the watch after a kill).
 * watch: judge → rollback → record → pull request. rollback: rollback → pull request → record.
 */
const CELLS: Cell[] = [
  {
    entry: 'deploy',
    step: 'after StartDeployment',
    fault: { operation: 'StartDeployment', ...AFTER },
    next: WATCH,
  },
  { entry: 'deploy', step: 'mid-bake', fault: { operation: 'GetMetricData', kind: 'hang' }, next: WATCH },
  {
    entry: 'deploy',
    step: 'after the rollback, before the revert pull request',
    fault: { operation: 'StopDeployment', ...AFTER },
    next: WATCH,
  },
  { entry: 'watch', step: 'mid-soak', fault: { operation: 'GetMetricData', kind: 'hang' }, next: WATCH },
  {
    entry: 'watch',
    step: 'after the rollback, before the record and the revert pull request',
    fault: { operation: 'StopDeployment', ...AFTER },
    next: WATCH,
  },
  {
    entry: 'watch',
    step: 'after the record, before the revert pull request',
    fault: { operation: 'pulls.create', kind: 'hang' },
    next: WATCH,
  },
  {
    entry: 'watch',
    step: 'after the revert pull request',
    fault: { operation: 'pulls.create', ...AFTER },
    next: WATCH,
  },
  {
    entry: 'rollback',
    step: 'after the rollback, before the revert pull request',
    fault: { operation: 'StopDeployment', ...AFTER },
    next: WATCH,
  },
  {
    entry: 'rollback',
    step: 'after the rollback, before the revert pull request (run again by hand)',
    fault: { operation: 'StopDeployment', ...AFTER },
    next: ROLLBACK,
  },
  {
    entry: 'rollback',
    step: 'after the revert pull request, before the record',
    fault: { operation: 'pulls.create', ...AFTER },
    next: WATCH,
  },
];

describe('kill -9 of an entry point at each step: the next run converges', () => {
  for (const cell of CELLS) {
    it(`${cell.entry}, killed ${cell.step}`, async () => {
      const w = await startFaultWorld();
      world = w;
      let bad: number;
      let killed: Awaited<ReturnType<FaultWorld['killAt']>>;
      if (cell.entry === 'deploy') {
        w.commit(50);
        killed = await w.killAt(DEPLOY, cell.fault);
        bad = Math.max(...(await w.deployments()).map((d) => d.number));
      } else {
        bad = await soakingBadChange(w);
        killed = await w.killAt(cell.entry === 'watch' ? WATCH : ROLLBACK, cell.fault);
      }
      expect(killed.signal, killed.out).toBe('SIGKILL');

      // The job is gone. Time passes beyond the bake the killed job would have finished.
      await w.settled();
      await w.advanceMinutes(20);
      const next = await w.run(cell.next);
      const log = `killed run:\n${killed.out}\nnext run:\n${next.out}`;
      expect(next.code, log).not.toBeNull();
      await expectConverged(w, bad, log);

      // And it stays converged: the scheduled watch after it opens nothing new and acts on nothing.
      const before = await w.deployments();
      const again = await w.run(WATCH);
      expect(await w.deployments(), again.out).toEqual(before);
      await expectConverged(w, bad, `${log}\nthird run:\n${again.out}`);
    }, 240_000);
  }
});

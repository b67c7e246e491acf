/**
 * `flagops status`: the repository's value, the deployed version and its value, any deployment in
 * flight, the guards right now, whether the target is held, and for a gradual rollout what the
 * advancer waits for and until when.
 */

import { describeGuard } from '../../guards/evaluate.ts';
import { loadWorkingTree } from '../../model/revision.ts';
import type { FlagValue, RolloutPlan } from '../../model/types.ts';
import { makeContext } from '../../pipeline/context.ts';
import { silentReporter } from '../../pipeline/events.ts';
import { noHolds } from '../../pipeline/holds.ts';
import { readStatus, type TargetStatus } from '../../pipeline/status.ts';
import { holdsFromEnv } from '../../revert/hold.ts';
import { advanceAll } from '../../rollout/advance.ts';
import { advanceDepsFromEnv } from '../../runtime/advance.ts';
import { runtimeFromEnvironment, workingTreeContent } from '../../runtime/env.ts';
import { type Command, EXIT } from '../command.ts';
import { TARGET_OPTIONS, targetFromArgs } from '../context.ts';

export const command: Command = {
  name: 'status',
  summary: 'Show repo value, deployed version and value, in-flight deployment, guards, hold',
  options: {
    ...TARGET_OPTIONS,
    json: { type: 'boolean', description: 'Print the status as JSON', default: false },
  },
  async run(args, io) {
    const { root, app, target } = targetFromArgs(args, io, loadWorkingTree);
    const runtime = await runtimeFromEnvironment(io.env);
    const ctx = makeContext({ ...runtime, reporter: silentReporter });
    const content = workingTreeContent(root);
    const ref = { application: app.name, environment: target.environment, profile: target.profile };
    const status: StatusWithRollout = await readStatus(ctx, ref, content, holdsFromEnv(io.env) ?? noHolds);
    if (target.rollout) {
      // What the advancer would do now, and what it waits for (a dry run: nothing is proposed).
      const outcomes = await advanceAll(
        advanceDepsFromEnv(io.env, {
          root,
          ctx,
          snapshot: await content(),
          dryRun: true,
          environment: target.environment,
        }),
      );
      const mine = outcomes.find((o) => o.target === status.target);
      if (mine) status.rollout = { plan: target.rollout, advancer: mine.message };
    }
    if (args.options['json'] === true) {
      io.stdout(`${JSON.stringify(status, null, 2)}\n`);
      return EXIT.ok;
    }
    io.stdout(`${renderStatus(status)}\n`);
    return EXIT.ok;
  },
};

/** The status plus, for a target with a `_rollout` plan, what the advancer would do or waits for. */
export type StatusWithRollout = TargetStatus & { rollout?: { plan: RolloutPlan; advancer: string } };

export function renderStatus(s: StatusWithRollout): string {
  const lines = [`${s.target}`];
  lines.push(
    `  repository   commit ${s.repo.commit.slice(0, 12)}: ${describeValues(s.repo.flags, s.repo.data)}`,
  );
  if (s.deployed) {
    lines.push(
      `  deployed     version ${s.deployed.number}${s.deployed.label ? ` (${s.deployed.label})` : ''}, deployment ${s.deployed.deploymentNumber}: ${describeValues(s.deployed.flags, s.deployed.data)}`,
    );
  } else {
    lines.push('  deployed     nothing yet');
  }
  lines.push(
    `  in sync      ${s.inSync ? 'yes' : 'no — `flagops deploy` would deploy the repository content'}`,
  );
  lines.push(
    `  in flight    ${s.inFlight ? `deployment ${s.inFlight.deploymentNumber} (${s.inFlight.profile ?? '?'}) ${s.inFlight.state} ${s.inFlight.percent}%` : 'none'}`,
  );
  if (s.guards) {
    lines.push(`  guards       ${s.guards.status}`);
    for (const g of s.guards.guards) lines.push(`    ${describeGuard(g)}`);
    for (const a of s.guards.alarms) lines.push(`    alarm ${a.name}: ${a.state ?? 'not found'}`);
  }
  lines.push(`  hold         ${s.hold.held ? `HELD — ${s.hold.reason}` : 'none'}`);
  if (s.rollout) {
    const p = s.rollout.plan;
    lines.push(
      `  rollout      ${p.flag}.${p.attribute} to ${p.target} in steps of ${p.step}, ${p.waitMinutes} min apart`,
    );
    lines.push(`  advancer     ${s.rollout.advancer}`);
  }
  return lines.join('\n');
}

function describeValues(flags: Record<string, FlagValue> | undefined, data: unknown): string {
  if (!flags) return data === undefined ? '—' : JSON.stringify(data).slice(0, 120);
  return Object.entries(flags)
    .map(([name, v]) => {
      const attrs = Object.entries(v.attributes)
        .map(([k, x]) => `${k}=${String(x)}`)
        .join(' ');
      return `${name} ${v.enabled ? 'on' : 'off'}${attrs ? ` ${attrs}` : ''}`;
    })
    .join(', ');
}

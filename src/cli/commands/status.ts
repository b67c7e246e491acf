/**
 * `flagops status`: the repository's value, the deployed version and its value, any deployment in
 * flight, the guards right now, whether the target is held, where the release stands as `decide`
 * says (read from its release record on GitHub, acting on nothing), and for a gradual rollout what
 * the advancer waits for and until when.
 */

import { terminalText } from '../../escape/terminal.ts';
import { describeGuard } from '../../guards/evaluate.ts';
import { loadWorkingTree } from '../../model/revision.ts';
import type { FlagValue, RolloutPlan } from '../../model/types.ts';
import { makeContext } from '../../pipeline/context.ts';
import { silentReporter } from '../../pipeline/events.ts';
import { noHolds } from '../../pipeline/holds.ts';
import type { ReleaseStatus } from '../../pipeline/release-status.ts';
import { readStatus, type TargetStatus } from '../../pipeline/status.ts';
import { holdsFromEnv } from '../../revert/hold.ts';
import { advanceAll } from '../../rollout/advance.ts';
import { bakeStoreFromEnv } from '../../rollout/bake-record.ts';
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
    const status: StatusWithRollout = await readStatus(
      ctx,
      ref,
      content,
      holdsFromEnv(io.env) ?? noHolds,
      bakeStoreFromEnv(io.env),
    );
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
  lines.push(...releaseLines(s.release));
  if (s.rollout) {
    const p = s.rollout.plan;
    lines.push(
      `  rollout      ${p.flag}.${p.attribute} to ${p.target} in steps of ${p.step}, ${p.waitMinutes} min apart`,
    );
    lines.push(`  advancer     ${s.rollout.advancer}`);
  }
  return lines.join('\n');
}

/**
 * The release as its record and `decide` have it: the record's facts, decide's reason, what a watch
 * would do now and when it looks again. Record strings came from GitHub: control characters go.
 */
export function releaseLines(r: ReleaseStatus): string[] {
  if (!r.recorded) return [`  release      ${r.why}`];
  const facts = [
    `deployment ${r.deploymentNumber} r${r.revision}: ${r.verdict}`,
    `bake until ${hm(r.bakeUntil)}`,
  ];
  if (r.soak) facts.push(`soak through ${hm(r.soak.through)} of ${hm(r.soak.until)}`);
  if (r.rollback)
    facts.push(`rolled back (${r.rollback.action}) at ${hm(r.rollback.at)} by ${r.rollback.by}`);
  if (r.revertPullRequest !== undefined) facts.push(`revert pull request #${r.revertPullRequest}`);
  const next = r.next.length > 0 ? r.next.join(', ') : 'nothing to act on';
  const wake = r.wakeAt !== undefined ? `; wake at ${new Date(r.wakeAt).toISOString()}` : '';
  return [
    `  release      ${facts.join('; ')}`,
    `               ${r.reason}`,
    `               next: ${next}${wake}`,
  ].map(terminalText);
}

/** A time as `2026-12-06 12:40Z`: minutes are what a window is read in. */
function hm(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}Z`;
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

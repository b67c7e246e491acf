/**
 * `flagops status`: the repository's value, the deployed version and its value, any deployment in
 * flight, the guards right now, and whether the target is held.
 */

import { describeGuard } from '../../guards/evaluate.ts';
import { loadWorkingTree } from '../../model/revision.ts';
import type { FlagValue } from '../../model/types.ts';
import { makeContext } from '../../pipeline/context.ts';
import { silentReporter } from '../../pipeline/events.ts';
import { noHolds } from '../../pipeline/holds.ts';
import { readStatus, type TargetStatus } from '../../pipeline/status.ts';
import { holdsFromEnv } from '../../revert/hold.ts';
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
    const status = await readStatus(
      ctx,
      { application: app.name, environment: target.environment, profile: target.profile },
      workingTreeContent(root),
      holdsFromEnv(io.env) ?? noHolds,
    );
    if (args.options['json'] === true) {
      io.stdout(`${JSON.stringify(status, null, 2)}\n`);
      return EXIT.ok;
    }
    io.stdout(`${renderStatus(status)}\n`);
    return EXIT.ok;
  },
};

export function renderStatus(s: TargetStatus): string {
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

/**
 * `flagops`: the operator's CLI. Every command lives in `commands/<name>.ts` and is loaded only when
 * it runs, so `flagops validate` never pays for the AWS SDK. The same functions back the GitHub
 * Actions; this file only dispatches, prints and turns errors into exit codes.
 */

import type { BuiltInCommand } from '../model/command-checks.ts';
import { knownFailure, messageOf } from '../runtime/failure.ts';
import { parseArgs, renderHelp } from './args.ts';
import { type CliIO, type Command, EXIT } from './command.ts';
import { nodeSupportNotice, silenceSdkNodeWarning } from './node-support.ts';

type Loader = () => Promise<{ command: Command }>;
interface Entry {
  summary: string;
  load: Loader;
}

/** Command name → loader, in the order `flagops --help` lists them. */
export const COMMANDS = {
  validate: {
    summary: 'Check flags/ against the schemas, the flag definitions and policy',
    load: () => import('./commands/validate.ts'),
  },
  plan: {
    summary: 'Show what a change does per target, with policy verdicts and approvals',
    load: () => import('./commands/plan.ts'),
  },
  backtest: {
    summary: 'Replay the old and new rule of each changed guard over recorded CloudWatch data',
    load: () => import('./commands/backtest.ts'),
  },
  compile: {
    summary: 'Print the AppConfig document a target deploys',
    load: () => import('./commands/compile.ts'),
  },
  status: {
    summary: 'Repo value vs. deployed value, in-flight deployment, guards and hold',
    load: () => import('./commands/status.ts'),
  },
  deploy: {
    summary: 'Deploy a target to AppConfig, bake it and roll back on a breach',
    load: () => import('./commands/deploy.ts'),
  },
  'deploy-targets': {
    summary: 'Print the deploy matrix: the targets a push changed, or those asked for',
    load: () => import('./commands/deploy-targets.ts'),
  },
  rollback: {
    summary: 'Emergency: serve the previous version now, then open a revert pull request',
    load: () => import('./commands/rollback.ts'),
  },
  dashboard: {
    summary: 'Write (--apply) or check (--check) the CloudWatch dashboards app.yaml names',
    load: () => import('./commands/dashboard.ts'),
  },
  bootstrap: {
    summary: 'Create missing AppConfig resources (never deletes or changes anything)',
    load: () => import('./commands/bootstrap.ts'),
  },
  set: {
    summary:
      'Set flag values of an environment: FLAG.ATTRIBUTE=VALUE, FLAG=on|off (--pr opens a pull request)',
    load: () => import('./commands/set.ts'),
  },
  rollout: {
    summary: 'Write a rollout plan for FLAG.ATTRIBUTE (target, step, wait) and take its first step',
    load: () => import('./commands/rollout.ts'),
  },
  advance: {
    summary: 'Propose the next step of each due gradual rollout as a pull request',
    load: () => import('./commands/advance.ts'),
  },
  watch: {
    summary: 'Soak: watch guards after the bake ended (24 h after 100 %), roll back and revert on a breach',
    load: () => import('./commands/watch.ts'),
  },
  drift: {
    summary: 'What AppConfig serves vs what main compiles to, for every target',
    load: () => import('./commands/drift.ts'),
  },
  verify: {
    summary: "Check app.yaml's acceptance criteria from CloudWatch and record the result",
    load: () => import('./commands/verify.ts'),
  },
  approvals: {
    summary: 'Change-control verdict for a pull request (posts the flagops/change-control status)',
    load: () => import('./commands/approvals.ts'),
  },
  protect: {
    summary: 'Branch protection, environments and CODEOWNERS for change control, from app.yaml',
    load: () => import('./commands/protect.ts'),
  },
  demo: {
    summary: 'The whole story on a local emulator, told by the repository’s own workflows (npm start)',
    load: () => import('./commands/demo.ts'),
  },
  sandbox: {
    summary: 'Run the local AppConfig, CloudWatch and GitHub emulator (package flagops-sandbox)',
    load: () => import('./commands/sandbox.ts'),
  },
} satisfies Record<BuiltInCommand, Entry>;

function builtIn(name: string): Entry | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name as BuiltInCommand] : undefined;
}

export function defaultIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
  };
}

async function overview(io: CliIO): Promise<string> {
  const own = await repositoryCommands(io);
  const rows: [string, string][] = [
    ...Object.entries(COMMANDS).map(([n, c]): [string, string] => [n, c.summary]),
  ];
  const width = Math.max(...[...rows, ...own].map(([n]) => n.length)) + 2;
  const list = (entries: [string, string][]) =>
    entries.map(([name, summary]) => `  ${name.padEnd(width)}${summary}`);
  const lines = [
    'flagops — GitOps for AWS AppConfig feature flags',
    '',
    'Usage: flagops <command> [options]',
    '',
    'Commands:',
    ...list(rows),
    '',
    ...(own.length > 0
      ? ["This repository's commands (app.yaml `commands:`):", ...list(own), '']
      : ['Applications may declare their own commands in app.yaml (`commands:`); they run the same way.']),
    "Run 'flagops <command> --help' for a command's options.",
  ];
  return `${lines.join('\n')}\n`;
}

/** The commands the repository's applications declare, or none when there is no readable repository. */
async function repositoryCommands(io: CliIO): Promise<[string, string][]> {
  try {
    const { presetSummaries } = await import('./commands/preset.ts');
    return presetSummaries(io);
  } catch {
    // Help must work anywhere: outside a repository, or in one that does not validate.
    return [];
  }
}

/** A built-in command, else one an application declares in app.yaml (built-ins win). */
async function commandNamed(name: string, rest: string[], io: CliIO): Promise<Command | undefined> {
  const entry = builtIn(name);
  if (entry) return (await entry.load()).command;
  const { presetCommand } = await import('./commands/preset.ts');
  return presetCommand(name, rest, io);
}

export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(await overview(io));
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version') {
    io.stdout(`${process.env['npm_package_version'] ?? '0.1.0'}\n`);
    return EXIT.ok;
  }
  let command: Command | undefined;
  try {
    command = await commandNamed(name, rest, io);
  } catch (err) {
    const known = knownFailure(err);
    if (!known) throw err;
    io.stderr(`${known.message}\n`);
    return known.exitCode;
  }
  if (!command) {
    io.stderr(`flagops: unknown command "${name}"\n\n${await overview(io)}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(renderHelp(command));
    return EXIT.ok;
  }
  try {
    const args = parseArgs(command, rest);
    return await command.run(args, io);
  } catch (err) {
    const known = knownFailure(err);
    if (known) {
      io.stderr(`${known.message}\n`);
      return known.exitCode;
    }
    // Anything else is our bug: say so plainly, keep the detail for those who ask for it.
    io.stderr(`flagops ${name}: unexpected error: ${messageOf(err)}\n`);
    if (io.env['FLAGOPS_DEBUG'] && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    return EXIT.failed;
  }
}

/** `flagops` from a shell (bin/flagops.mjs, `npm start`): one line about an unsupported Node, then main. */
export async function runFromShell(argv: string[]): Promise<number> {
  const notice = nodeSupportNotice(process.version);
  if (notice) process.stderr.write(notice);
  silenceSdkNodeWarning(process.env);
  return main(argv);
}

// Run directly (`npm run flagops:dev -- …` / `node --import tsx src/cli/main.ts`).
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = await runFromShell(process.argv.slice(2));
}

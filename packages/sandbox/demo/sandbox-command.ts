/**
 * `flagops sandbox`: start the local AppConfig + AppConfigData + CloudWatch + GitHub on one port and
 * print the `export` lines that point the CLI (or any AWS SDK / Octokit client) at it. Ctrl-C stops it.
 * `flagops sandbox clock` prints a running sandbox's simulated "now" for `--start-time/--end-time`.
 * The product's CLI finds this command in the package (src/cli/companion.ts).
 */
import { startSandbox } from '../src/index.ts';
import { SCENARIOS, type ScenarioName } from '../src/scenarios.ts';
import {
  SandboxCommandError as CliError,
  type CommandIO as CliIO,
  EXIT,
  guarded,
  type CommandArgs as ParsedArgs,
  type SandboxCommand,
} from './command.ts';

const DEFAULT_PORT = 4566;

export const sandboxCommand: SandboxCommand = guarded({
  name: 'sandbox',
  summary: 'Run the local AppConfig, AppConfigData, CloudWatch and GitHub sandbox',
  description:
    'Prints one `export NAME=value` line per variable; evaluate them in another shell\n' +
    '(eval "$(flagops sandbox … | grep ^export)") to point flagops at it. Stop with Ctrl-C.\n\n' +
    "`flagops sandbox clock [--ago 1h] [--epoch]` prints the running sandbox's simulated time\n" +
    '(it runs ahead of `date` at --speed above 1), e.g. for aws … --start-time/--end-time.',
  options: {
    port: {
      type: 'number',
      description: 'Port on 127.0.0.1 (0 picks a free one)',
      default: DEFAULT_PORT,
      placeholder: 'N',
    },
    state: {
      type: 'string',
      description: 'Persist state to this file and restore it on start',
      placeholder: 'FILE',
    },
    speed: { type: 'number', description: 'Simulated seconds per real second', default: 1, placeholder: 'X' },
    scenario: { type: 'string', description: 'Traffic scenario', choices: SCENARIOS, default: 'healthy' },
    seed: {
      type: 'string',
      description: 'Directory that seeds the GitHub repository (default: this project)',
      placeholder: 'DIR',
    },
    ago: {
      type: 'string',
      description: 'With `clock`: that long before the simulated now (30s, 15m, 1h, 2d)',
      placeholder: 'DURATION',
    },
    epoch: { type: 'boolean', description: 'With `clock`: epoch seconds instead of ISO-8601' },
    workflows: {
      type: 'boolean',
      description: "Run the repository's .github/workflows on its events (--no-workflows: only the APIs)",
      default: true,
    },
    schedules: {
      type: 'boolean',
      description:
        "Fire the workflows' on.schedule crons as simulated time passes (--no-schedules: only events; " +
        'POST /_sandbox/workflows/schedules {"enabled":…} toggles it while running)',
      default: true,
    },
  },
  async run(args, io) {
    const [sub, ...rest] = args.positionals;
    if (sub === 'clock' && rest.length === 0) return printClock(args, io);
    if (sub !== undefined)
      throw new CliError(
        `unknown argument "${sub}"; use \`flagops sandbox\` or \`flagops sandbox clock\``,
        EXIT.usage,
      );
    return serve(args, io);
  },
});

async function serve(args: ParsedArgs, io: CliIO): Promise<number> {
  const speed = args.options['speed'] as number;
  if (!(speed > 0)) throw new CliError('--speed must be greater than 0', EXIT.usage);
  const sandbox = await startSandbox({
    port: args.options['port'] as number,
    speed,
    scenario: args.options['scenario'] as ScenarioName,
    ...(typeof args.options['state'] === 'string' ? { statePath: args.options['state'] } : {}),
    ...(typeof args.options['seed'] === 'string' ? { seedDir: args.options['seed'] } : {}),
    workflows:
      args.options['workflows'] === false
        ? false
        : {
            schedules: args.options['schedules'] !== false,
            onRunFinished: (run, jobs) => io.stderr(`${runLine(run, jobs)}\n`),
          },
  }).catch((err: Error) => {
    throw new CliError(`could not start the sandbox: ${err.message}`, EXIT.unavailable);
  });
  io.stdout(
    sandboxBanner({
      url: sandbox.url,
      speed,
      scenario: String(args.options['scenario']),
      now: sandbox.clock.now(),
      exports: sandbox.exports(),
    }),
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sandbox.close();
  io.stderr('sandbox stopped\n');
  return EXIT.ok;
}

/**
 * What a person needs beside the exports: clients that ignore AWS_ENDPOINT_URL (the AWS CLI before
 * 2.13, boto3 before 1.28 — https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html)
 * would send the dummy keys to real AWS, and the clock is simulated. Comment lines only, so
 * `grep ^export` still yields just the variables.
 */
export function sandboxBanner(b: {
  url: string;
  speed: number;
  scenario: string;
  now: number;
  exports: string;
}): string {
  const started = isoSeconds(b.now);
  return [
    `# flagops sandbox on ${b.url} (speed ${b.speed}x, scenario ${b.scenario})`,
    b.exports,
    '#',
    '# Some AWS clients ignore AWS_ENDPOINT_URL (the AWS CLI before 2.13, boto3 before 1.28) and would',
    '# send these dummy keys to real AWS: give them the endpoint on every call, e.g.',
    `#   aws --endpoint-url ${b.url} cloudwatch describe-alarms`,
    `# Simulated time: ${started} at start, ${b.speed} simulated second(s) per real second, so it runs`,
    '# ahead of `date`. FLAGOPS_CLOCK_SPEED and FLAGOPS_CLOCK_ORIGIN tell flagops the simulated time',
    '# (evaluate the exports again after moving the clock with POST /_sandbox/clock). FLAGOPS_SANDBOX_URL',
    '# tells `flagops sandbox clock` where to ask for the simulated now, for --start-time/--end-time:',
    `#   aws --endpoint-url ${b.url} cloudwatch get-metric-statistics --namespace ONS/TrafficSwitching \\`,
    '#     --metric-name RequestCount --dimensions Name=Backend,Value=influxdb --period 300 --statistics Sum \\',
    '#     --start-time "$(flagops sandbox clock --ago 1h)" --end-time "$(flagops sandbox clock)"',
    '# Ctrl-C to stop',
    '',
  ].join('\n');
}

async function printClock(args: ParsedArgs, io: CliIO): Promise<number> {
  const ago = typeof args.options['ago'] === 'string' ? parseDuration(args.options['ago']) : 0;
  const url = (
    io.env['FLAGOPS_SANDBOX_URL'] ?? `http://127.0.0.1:${args.options['port'] ?? DEFAULT_PORT}`
  ).replace(/\/$/, '');
  let now: unknown;
  try {
    const res = await fetch(`${url}/_sandbox/clock`);
    now = res.ok ? ((await res.json()) as { now?: unknown }).now : undefined;
  } catch {
    now = undefined;
  }
  if (typeof now !== 'number')
    throw new CliError(
      `no sandbox answers at ${url}: start one with \`flagops sandbox\`, or set FLAGOPS_SANDBOX_URL to its URL`,
      EXIT.unavailable,
    );
  const at = now - ago;
  io.stdout(`${args.options['epoch'] ? Math.floor(at / 1000) : isoSeconds(at)}\n`);
  return EXIT.ok;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  if (!match)
    throw new CliError(`--ago ${text}: use a number and a unit, such as 30s, 15m, 1h or 2d`, EXIT.usage);
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

/** ISO-8601 to the second in UTC, which the AWS CLI takes for --start-time and --end-time. */
const isoSeconds = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** One line per finished run: workflow, event, conclusion, duration, and each job's result. */
export function runLine(
  run: {
    name: string;
    event: string;
    conclusion: string | null;
    startedAt: number | null;
    createdAt: number;
    updatedAt: number;
    id: number;
  },
  jobs: Array<{ name: string; conclusion: string | null }>,
): string {
  const seconds = Math.round((run.updatedAt - (run.startedAt ?? run.createdAt)) / 1000);
  const detail = jobs.map((j) => `${j.name}: ${j.conclusion ?? 'unfinished'}`).join(', ');
  return `run ${run.id} ${run.name} (${run.event}) ${run.conclusion ?? 'unfinished'} in ${seconds}s simulated — ${detail}`;
}

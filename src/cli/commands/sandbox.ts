/**
 * `flagops sandbox`: start the local AppConfig + AppConfigData + CloudWatch + GitHub on one port and
 * print the `export` lines that point the CLI (or any AWS SDK / Octokit client) at it. Ctrl-C stops it.
 */
import { SCENARIOS, type ScenarioName } from '../../../sandbox/scenarios.ts';
import { CliError, type Command, EXIT } from '../command.ts';

export const command: Command = {
  name: 'sandbox',
  summary: 'Run the local AppConfig, AppConfigData, CloudWatch and GitHub sandbox',
  description:
    'Prints one `export NAME=value` line per variable; evaluate them in another shell\n' +
    '(eval "$(flagops sandbox … | grep ^export)") to point flagops at it. Stop with Ctrl-C.',
  options: {
    port: {
      type: 'number',
      description: 'Port on 127.0.0.1 (0 picks a free one)',
      default: 4566,
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
  },
  async run(args, io) {
    const speed = args.options['speed'] as number;
    if (!(speed > 0)) throw new CliError('--speed must be greater than 0', EXIT.usage);
    const { startSandbox } = await import('../../../sandbox/index.ts');
    const sandbox = await startSandbox({
      port: args.options['port'] as number,
      speed,
      scenario: args.options['scenario'] as ScenarioName,
      ...(typeof args.options['state'] === 'string' ? { statePath: args.options['state'] } : {}),
      ...(typeof args.options['seed'] === 'string' ? { seedDir: args.options['seed'] } : {}),
    }).catch((err: Error) => {
      throw new CliError(`could not start the sandbox: ${err.message}`, EXIT.unavailable);
    });
    io.stdout(
      `# flagops sandbox on ${sandbox.url} (speed ${speed}x, scenario ${args.options['scenario']})\n`,
    );
    io.stdout(`${sandbox.exports()}\n`);
    io.stdout('# Ctrl-C to stop\n');
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
  },
};

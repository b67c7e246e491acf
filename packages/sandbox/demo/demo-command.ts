/**
 * `flagops demo` (what `npm start` runs): the whole story on the sandbox. The product's CLI finds
 * this command in the package (src/cli/companion.ts).
 */
import { SandboxCommandError as CliError, EXIT, guarded, type SandboxCommand } from './command.ts';
import { runFullDemo } from './full.ts';
import { runDemo } from './story.ts';

export const demoCommand: SandboxCommand = guarded({
  name: 'demo',
  summary: 'The whole story on the local sandbox, told by the repository’s own workflows',
  options: {
    speed: {
      type: 'number',
      description: 'Simulated seconds per real second',
      default: 600,
      placeholder: 'X',
    },
    full: {
      type: 'boolean',
      description:
        "The guide's Phase 1 to the 24-hour soak instead: enable queries, the advancer's ladder to 100 % with approvals, a soak breach caught by watch",
      default: false,
    },
    browse: {
      type: 'boolean',
      description: 'Keep the sandbox and its pages up after the story, until Ctrl-C',
      default: false,
    },
  },
  async run(args, io) {
    const speed = args.options['speed'] as number;
    if (!(speed > 0)) throw new CliError('--speed must be greater than 0', EXIT.usage);
    if (args.options['full'] === true) {
      return (await runFullDemo(io)).exitCode;
    }
    return runDemo(io, { speed, browse: args.options['browse'] === true });
  },
});

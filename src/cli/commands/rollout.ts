/**
 * `flagops rollout FLAG.ATTRIBUTE --to N --step S --wait-minutes W --environment E [--pr]`: takes
 * the first step now and writes the plan under `_rollout` for the advancer, which raises that
 * attribute by S after each W healthy minutes until N (docs/concepts.md#gradual-rollouts).
 */
import { rolloutSubject, startRollout } from '../../edit/rollout-plan.ts';
import type { Application } from '../../model/types.ts';
import { CliError, type Command, EXIT } from '../command.ts';
import { EDIT_OPTIONS, type EditCommand, numberOption, runEdit } from '../edit-run.ts';

export const command: Command = {
  name: 'rollout',
  summary: 'Start a stepwise rollout of a number attribute: first step now, the advancer does the rest',
  description:
    'Usage: flagops rollout FLAG.ATTRIBUTE --to N --step S --wait-minutes W --environment E [--pr]\n\n' +
    'Raises FLAG.ATTRIBUTE by one step now and records the plan (target, step, wait minutes) under\n' +
    '_rollout in the values file, for `flagops advance` to continue after each healthy bake.',
  options: {
    ...EDIT_OPTIONS,
    to: { type: 'number', description: 'Final value', placeholder: 'N', required: true },
    step: { type: 'number', description: 'Increase per step', placeholder: 'S', required: true },
    'wait-minutes': {
      type: 'number',
      description: 'Healthy minutes between steps',
      placeholder: 'W',
      required: true,
    },
  },
  async run(args, io) {
    const [subject, ...extra] = args.positionals;
    if (subject === undefined || extra.length > 0)
      throw new CliError('flagops rollout: name exactly one FLAG.ATTRIBUTE to roll out', EXIT.usage);
    const plan = {
      to: numberOption(args, 'to'),
      step: numberOption(args, 'step'),
      wait: numberOption(args, 'wait-minutes'),
    };
    return runEdit(
      args,
      io,
      rolloutEdit(
        'rollout',
        subject,
        plan,
        `${subject} --to ${plan.to} --step ${plan.step} --wait-minutes ${plan.wait}`,
      ),
    );
  },
};

export interface RolloutNumbers {
  to: number;
  step: number;
  wait: number;
}

/** The edit of `flagops rollout`, shared with an application's rollout commands. */
export function rolloutEdit(
  name: string,
  subject: string,
  plan: RolloutNumbers,
  flags: string,
  defaultApp?: string,
): EditCommand {
  return {
    name,
    flags,
    ...(defaultApp !== undefined && { defaultApp }),
    prepare: (app: Application) => {
      const { flag, attribute } = rolloutSubject(app, subject);
      return {
        apply: (text) =>
          startRollout(text, { flag, attribute, target: plan.to, step: plan.step, waitMinutes: plan.wait }),
        notes: [
          `Rollout plan: ${subject} to ${plan.to} in steps of ${plan.step}, ${plan.wait} healthy minutes apart.`,
        ],
      };
    },
  };
}

/**
 * `flagops gradual-rollout --environment E --target N --step-size S --wait-minutes W [--pr]`:
 * takes the first step now and writes the plan under `_rollout` for the advancer, which raises the
 * percentage by S every W healthy minutes until N.
 */
import { gradualRollout } from '../../edit/traffic.ts';
import type { Command } from '../command.ts';
import { EDIT_OPTIONS, numberOption, runEdit } from './set-percentage.ts';

export const command: Command = {
  name: 'gradual-rollout',
  summary: 'Start a stepwise traffic rollout towards a target percentage',
  description:
    'Raises influxdb_traffic_percentage by one step now and records the plan (target, step size,\n' +
    'wait minutes) under _rollout in the values file, for the advancer to continue after each bake.',
  options: {
    ...EDIT_OPTIONS,
    target: { type: 'number', description: 'Final percentage 0-100', placeholder: 'N', required: true },
    'step-size': {
      type: 'number',
      description: 'Percentage points per step',
      placeholder: 'S',
      required: true,
    },
    'wait-minutes': {
      type: 'number',
      description: 'Healthy minutes between steps',
      placeholder: 'W',
      required: true,
    },
  },
  async run(args, io) {
    const target = numberOption(args, 'target');
    const stepSize = numberOption(args, 'step-size');
    const waitMinutes = numberOption(args, 'wait-minutes');
    return runEdit(args, io, {
      name: 'gradual-rollout',
      flags: `--target ${target} --step-size ${stepSize} --wait-minutes ${waitMinutes}`,
      apply: (text) => gradualRollout(text, { target, stepSize, waitMinutes }),
      notes: [
        `Rollout plan: to ${target}% in steps of ${stepSize} points, ${waitMinutes} healthy minutes apart.`,
      ],
    });
  },
};

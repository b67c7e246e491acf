/**
 * `flagops enable-queries --environment E [--pr]`: the guide's Phase 1 — let InfluxDB serve API
 * queries at all (traffic stays at its percentage, 0 to begin with).
 */
import { enableQueries } from '../../edit/traffic.ts';
import type { Command } from '../command.ts';
import { EDIT_OPTIONS, runEdit } from './set-percentage.ts';

export const command: Command = {
  name: 'enable-queries',
  summary: 'Switch use_influxdb_for_api_queries on in one environment',
  description:
    'The prerequisite of any InfluxDB traffic. Edits the values file in place; with --pr it opens or\n' +
    "updates the target's pull request, and a later set-percentage --pr stacks on the same one.",
  options: { ...EDIT_OPTIONS },
  async run(args, io) {
    return runEdit(args, io, { name: 'enable-queries', flags: '', apply: enableQueries });
  },
};

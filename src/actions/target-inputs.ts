/**
 * The pieces both pipeline actions read the same way: the target inputs and the wiring to AWS.
 */
import { resolve } from 'node:path';
import type { TargetRef } from '../core/target.ts';
import { loadRepository } from '../model/load.ts';
import { WorkingTreeSource } from '../model/source.ts';
import type { Reporter } from '../pipeline/events.ts';
import { ActionError, log, stringInput } from './kit.ts';

export function targetInputs(): { root: string; target: TargetRef } {
  const root = resolve(stringInput('working-directory', { default: '.' }) ?? '.');
  const environment = stringInput('environment', { required: true });
  const profile = stringInput('profile', { default: 'feature-flags' }) ?? 'feature-flags';
  let application = stringInput('app-name');
  if (application === undefined) {
    const names = Object.keys(loadRepository(new WorkingTreeSource(root)).applications);
    if (names.length !== 1) {
      throw new ActionError(
        names.length === 0
          ? `no application under ${root}/flags; set working-directory to the repository checkout`
          : `several applications under flags/ (${names.join(', ')}); set the app-name input`,
      );
    }
    application = names[0] as string;
  }
  return { root, target: { application, environment, profile } };
}

/** Plain log lines; progress only when something changed (CI logs are read later, not watched). */
export const actionReporter: Reporter = {
  emit(e) {
    if (e.kind === 'warning') log.warning(e.message);
    else if (e.kind !== 'bake' || e.status !== 'pending') log.info(`${e.target}: ${e.message}`);
  },
};

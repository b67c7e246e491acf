/**
 * The names flagops writes into other systems and reads back: GitHub labels on the pull requests
 * and issues it opens, the GitHub deployment tasks of a bake record and an acceptance check, and the key a values file
 * reserves for rollout bookkeeping. Workflows (`if: contains(… labels …)`), the web view and people
 * filtering their pull requests rely on these exact strings, so each is spelled once, here.
 */

/** Labels of an automatic revert pull request: what it is, and that flagops opened it. */
export const REVERT_LABELS = ['flagops:revert', 'flagops:automatic'] as const;

/** Label of a pull request `flagops advance` opened for the next rollout step. */
export const ADVANCE_LABEL = 'flagops:advance';

/** Label of the one issue `flagops drift` keeps open while a target drifts. */
export const DRIFT_LABEL = 'flagops:drift';

/** GitHub deployment task under which a release records its bake's verdict (the dwell reads it). */
export const BAKE_TASK = 'flagops:bake';

/** GitHub deployment task under which `flagops verify` records an acceptance check. */
export const VERIFY_TASK = 'flagops:verify';

/**
 * Key of a values file under which `flagops gradual-rollout` writes its plan. Keys starting with `_`
 * belong to flagops and are never flags or attributes, so this one is never deployed.
 */
export const ROLLOUT_KEY = '_rollout';

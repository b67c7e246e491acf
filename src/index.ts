/**
 * The product as a library: the functions the CLI's commands and the actions call, for a program
 * that drives flagops in-process. The emulator package's demo stories are such a program and reach
 * the product only through this file (test/architecture/layers.test.ts); nothing
 * in src/ imports it. The CLI (bin/flagops.mjs) is the other public entry.
 */
export { renderAcceptance } from './acceptance/criteria.ts';
export { gitHubVerificationStore } from './acceptance/record.ts';
export { verifyEnvironment } from './acceptance/verify.ts';
export { createAws } from './aws/index.ts';
export { applyAssignments } from './edit/assign.ts';
export { rolloutStep, startRollout } from './edit/rollout-plan.ts';
export { createGitHubApi, type GitHubApi, parseRepository, type RepoRef } from './github/api.ts';
export { tokenLogin } from './github/identity.ts';
export { createOctokit, type Octokit } from './github/octokit.ts';
export { describeBreach } from './guards/verdict.ts';
export { decompileFeatureFlags } from './model/index.ts';
export { loadWorkingTree } from './model/revision.ts';
export type { Target } from './model/types.ts';
export { bootstrap } from './pipeline/bootstrap.ts';
export type { Clock } from './pipeline/clock.ts';
export { fixedContent, type Snapshot } from './pipeline/content.ts';
export { makeContext, type PipelineContext } from './pipeline/context.ts';
export type { ReleaseEvent } from './pipeline/events.ts';
export { type ReleaseResult, runRelease } from './pipeline/release.ts';
export { effectiveNumber } from './policy/exposure.ts';
export { gitHubHoldCheck } from './revert/hold.ts';
export { openRevert } from './revert/open.ts';
export { advanceAll } from './rollout/advance.ts';
export { gitHubBakeStore, recordBakeFromEnv } from './rollout/bake-record.ts';
export { watchSoaks } from './rollout/soak-watch.ts';

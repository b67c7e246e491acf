export type { PlanOptions } from './build.ts';
export { buildPlan } from './build.ts';
export { diffTarget } from './diff.ts';
export { renderJson } from './render-json.ts';
export { MARKDOWN_LIMIT, renderMarkdown } from './render-markdown.ts';
export { renderText } from './render-text.ts';
export { PREDEFINED_STRATEGIES, resolveStrategy, rolloutFor } from './rollout.ts';
export type {
  ApplicationApprovals,
  GuardSummary,
  Plan,
  RolloutSummary,
  StrategySummary,
  TargetPlan,
  ValueChange,
  Verdict,
} from './types.ts';
export { PLAN_VERSION } from './types.ts';

/** The repository model's public surface: loading, validation and formatting of diagnostics. */
export { PREDEFINED_STRATEGIES } from './application-checks.ts';
export * from './compile.ts';
export { isReservedKey } from './definitions.ts';
export { compareDiagnostics, formatDiagnostic, formatGithubAnnotation } from './diagnostics.ts';
export { closest, didYouMean, levenshtein } from './did-you-mean.ts';
export { conditionHolds, metricIdsIn, parseBreachWhen, parseCondition } from './expressions.ts';
export { SAFE_NAME } from './layout.ts';
export { loadRepository } from './load.ts';
export { GitRevisionSource, type RepoSource, WorkingTreeSource } from './source.ts';
export { MAX_FILE_BYTES } from './text.ts';
export * from './types.ts';
export { MAX_ALIAS_EXPANSIONS, parseYamlFile } from './yaml.ts';

export * from './evaluate.ts';
export * from './query.ts';
export * from './report.ts';
export * from './verdict.ts';

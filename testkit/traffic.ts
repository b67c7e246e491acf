/**
 * The realistic traffic generator lives in the sandbox package (packages/sandbox/src/traffic.ts),
 * so the demo story can seed its CloudWatch history with it too; tests and benchmarks import it here.
 */
export * from '../packages/sandbox/src/traffic.ts';

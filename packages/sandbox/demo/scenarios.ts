/**
 * The sandbox's traffic scenario names, for `flagops sandbox --scenario` (its choices and help).
 * Only the names: the scenarios themselves load with the sandbox.
 */
export { SCENARIOS, type ScenarioName } from '../src/scenarios.ts';

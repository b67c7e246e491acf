import { run } from '../../src/plan-comment/action.ts';

await run();

import { run } from '../../src/actions/plan.ts';

await run();

import { run } from '../../src/revert/action.ts';

await run();

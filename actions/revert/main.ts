import { run } from '../../src/actions/revert.ts';

await run();

import { run } from '../../src/actions/bake.ts';

await run();

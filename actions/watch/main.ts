import { run } from '../../src/actions/watch.ts';

await run();

import { run } from '../../src/actions/change-control.ts';

await run();

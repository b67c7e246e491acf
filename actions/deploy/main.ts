import { run } from '../../src/actions/deploy.ts';

await run();

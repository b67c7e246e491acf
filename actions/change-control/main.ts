import { run } from '../../src/approvals/action.ts';

await run();

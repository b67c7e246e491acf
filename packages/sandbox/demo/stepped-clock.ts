/**
 * A pipeline clock over the sandbox's frozen clock (speed 0): simulated time stands still except
 * when the pipeline sleeps, and each sleep moves the sandbox forward by exactly that much and runs
 * its ticks (deployment growth, metric minutes, alarm evaluation). Runs are exact and fast whatever
 * the machine's load; `flagops demo --full` and the tests share it.
 */

import type { Clock } from '../../../src/index.ts';
import type { Sandbox } from '../src/index.ts';

export function steppedClock(sandbox: Sandbox): Clock {
  return {
    now: () => sandbox.clock.now(),
    async sleep(ms) {
      if (ms > 0) {
        sandbox.clock.advance(ms);
        sandbox.server.tick();
      }
      // Let other work (a second run, the sandbox's sockets) proceed, as a real wait would.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/**
 * Each trace of the decisions suite, played through the real release on the sandbox as production
 * runs it (flagops' bake plus the managed alarms as AppConfig monitors): the call must be the one
 * the guide's rules make. The call and the reason are in the test's name.
 */
import { describe, expect, it } from 'vitest';
import { playTrace } from '../../testkit/decisions-player.ts';
import { TRACES } from '../../testkit/decisions-traces.ts';

describe('decisions: the right call on every trace', () => {
  for (const trace of TRACES) {
    it(`${trace.name} → ${trace.expected}: ${trace.why}`, async () => {
      const played = await playTrace(trace, 'both');
      expect(played.call, played.result.message).toBe(trace.expected);
      expect(played.result.exitCode).toBe(
        trace.expected === 'healthy' ? 0 : trace.expected === 'rolled-back' ? 1 : 4,
      );
      if (trace.expected === 'unverified') {
        // The job says which periods were never observed.
        expect(played.result.message).toMatch(/never observed: \d\d:\d\d–\d\d:\d\d/);
        expect(played.result.rollback).toBeUndefined();
      }
    });
  }
});

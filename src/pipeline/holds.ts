/**
 * Promise 6: a target held after an automatic rollback is not re-applied until its revert pull
 * request is merged or closed on purpose. The GitHub implementation lives with change control; the
 * pipeline only knows this interface.
 */
import type { TargetRef } from '../core/target.ts';

export type HoldStatus = { held: false } | { held: true; reason: string; url?: string };

export interface HoldCheck {
  check(target: TargetRef): Promise<HoldStatus>;
}

export const noHolds: HoldCheck = {
  check: async () => ({ held: false }),
};

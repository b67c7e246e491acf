/**
 * How flagops fails: a message a person can act on, and the exit code it ends with. The codes are
 * docs/reference.md#exit-codes (and README "The CLI"): 0 success; 1 invalid input, policy violation or breach; 2 usage
 * error; 3 AWS or GitHub unreachable or refusing; 4 a bake without enough evidence (`unverified` or
 * `no-data`: nothing rolled back, no dwell).
 */

export const EXIT = {
  ok: 0,
  /** Invalid input, policy violation or breach. */
  failed: 1,
  usage: 2,
  /** AWS or GitHub unreachable or refusing. */
  unavailable: 3,
  /** The bake ended without enough evidence (`unverified` or `no-data`): nothing rolled back. */
  unverified: 4,
} as const;

/** The exit code of a failure (never 0). */
export type FailureCode = 1 | 2 | 3;

/** A failure with a message a person can act on and the exit code it maps to. */
export class Failure extends Error {
  constructor(
    message: string,
    readonly exitCode: FailureCode = EXIT.failed,
  ) {
    super(message);
    this.name = 'Failure';
  }
}

/** An error's own message: what a report says about anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The exit code a thrown error ends with: a `Failure`'s own, otherwise 1. */
export function exitCodeOf(error: unknown): FailureCode {
  return error instanceof Failure ? error.exitCode : EXIT.failed;
}

/**
 * The one mapping from any failure to what an entry point shows: the message and the exit code
 * (docs/reference.md#exit-codes: 3 when AWS or GitHub is unreachable or refusing, 2 usage, 1 the rest).
 * The CLI's `main` and every action's `runAction` ask this, whatever layer the error came from:
 * flagops' own failures (`Failure`: AWS, git, the pipeline, the CLI) carry their code; an Octokit
 * error is described by the GitHub adapter.
 */
import { EXIT, Failure, type FailureCode, messageOf } from '../core/failure.ts';

export { messageOf };

import { describeGitHubError } from '../github/errors.ts';

export interface FailureReport {
  message: string;
  exitCode: FailureCode;
}

/** A failure flagops knows how to report; undefined for anything else (a bug). */
export function knownFailure(error: unknown): FailureReport | undefined {
  if (error instanceof Failure) return { message: error.message, exitCode: error.exitCode };
  const github = describeGitHubError(error);
  if (github !== undefined) return { message: github, exitCode: EXIT.unavailable };
  return undefined;
}

/** Any error as a report; an unknown one keeps its message and exits 1. */
export function failureOf(error: unknown): FailureReport {
  return knownFailure(error) ?? { message: messageOf(error), exitCode: EXIT.failed };
}

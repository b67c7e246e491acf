/**
 * One mapping from any pipeline failure to what an entry point shows: the message and the exit
 * code (DESIGN §5: 3 for AWS unreachable or refusing, 2 usage, 1 everything else).
 */
import { AwsProblem } from '../aws/errors.ts';
import { PipelineError } from '../pipeline/context.ts';

export function failureOf(error: unknown): { message: string; exitCode: 1 | 2 | 3 } {
  if (error instanceof AwsProblem) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof PipelineError) return { message: error.message, exitCode: error.exitCode };
  return { message: error instanceof Error ? error.message : String(error), exitCode: 1 };
}

/**
 * What every flagops action shares: typed inputs, outputs, the job summary, annotations and one
 * way to fail. Mains stay thin: read inputs here, call `src/`, hand results back here.
 *
 * Everything goes through @actions/core, which reads `INPUT_*` and writes the `GITHUB_OUTPUT` and
 * `GITHUB_STEP_SUMMARY` files, so tests run an action in-process by setting those variables.
 */
import * as core from '@actions/core';
import { Failure } from '../core/failure.ts';
import { htmlText } from '../escape/markdown.ts';
import { logLine } from '../escape/workflow-commands.ts';
import { failureOf } from '../runtime/failure.ts';

/** A failure the person reading the log can act on; `run()` reports its message, never a stack. */
export class ActionError extends Failure {}

export function stringInput(name: string, options: { required: true }): string;
export function stringInput(
  name: string,
  options?: { required?: false; default?: string },
): string | undefined;
export function stringInput(
  name: string,
  options: { required?: boolean; default?: string } = {},
): string | undefined {
  const value = core.getInput(name);
  if (value !== '') return value;
  if (options.required)
    throw new ActionError(`input "${name}" is required; set it under "with:" in the workflow`);
  return options.default;
}

export function booleanInput(name: string, fallback: boolean): boolean {
  const value = core.getInput(name);
  if (value === '') return fallback;
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw new ActionError(`input "${name}" must be true or false, got "${value}"`);
}

export function numberInput(
  name: string,
  fallback: number,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const raw = core.getInput(name);
  if (raw === '') return fallback;
  const value = Number(raw);
  const bad =
    !Number.isFinite(value) ||
    (range.integer === true && !Number.isInteger(value)) ||
    (range.min !== undefined && value < range.min) ||
    (range.max !== undefined && value > range.max);
  if (bad) {
    const bounds = [
      range.integer ? 'a whole number' : 'a number',
      range.min !== undefined ? `at least ${range.min}` : '',
      range.max !== undefined ? `at most ${range.max}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    throw new ActionError(`input "${name}" must be ${bounds}; got "${raw}"`);
  }
  return value;
}

/** Set several outputs; objects become JSON, undefined becomes the empty string. */
export function setOutputs(outputs: Record<string, string | number | boolean | object | undefined>): void {
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(
      name,
      value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value),
    );
  }
}

export type Cell = string | number;

/**
 * A job-summary section: a heading, a table (first row = header), optional lines under it.
 * @actions/core writes headings, cells and code blocks as raw HTML, so those are escaped here (a
 * heading keeps `#N` a link: flagops puts its own pull request number there);
 * `lines` are Markdown the caller composed (and escaped) itself.
 */
export interface SummarySection {
  heading: string;
  table?: Cell[][];
  lines?: string[];
  /** Pre-formatted text (a timeline), shown as a code block. */
  code?: string;
}

export async function writeSummary(sections: SummarySection[]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return; // Not on a runner (local runs): nothing to write to.
  for (const section of sections) {
    // The heading and the table are HTML blocks, and in CommonMark an HTML block runs to the next
    // blank line: without one, the Markdown lines below would be read as raw HTML, where a code
    // span is no longer code and the text quoted in it (a path, a reason) could be a live tag.
    core.summary.addHeading(htmlText(section.heading, { references: false }), 3).addEOL();
    if (section.table && section.table.length > 0) {
      const [header, ...rows] = section.table;
      core.summary
        .addTable([
          (header ?? []).map((c) => ({ data: htmlText(String(c)), header: true })),
          ...rows.map((row) => row.map((c) => htmlText(String(c)))),
        ])
        .addEOL();
    }
    for (const line of section.lines ?? []) core.summary.addRaw(line, true);
    if (section.code !== undefined) core.summary.addEOL().addCodeBlock(htmlText(section.code)).addEOL();
  }
  await core.summary.write();
}

/**
 * The step log. `info` lines carry data (alarm reasons, API messages), so each is escaped to one
 * line that can never be a workflow command; @actions/core already escapes what it wraps in a
 * command (warning, error, group).
 */
export const log = {
  info: (line: string) => core.info(logLine(line)),
  warning: (line: string, title?: string) => core.warning(line, title ? { title } : {}),
  error: (line: string, title?: string) => core.error(line, title ? { title } : {}),
  group: <T>(name: string, fn: () => Promise<T>) => core.group(name, fn),
};

/**
 * The one place an action turns a thrown error into a failed step: the message becomes the error
 * annotation, the stack only goes to the debug log.
 */
export async function runAction(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(failureOf(error).message);
  }
}

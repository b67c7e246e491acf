/**
 * Writing what AppConfig runs back into the values file, so `main` says what is deployed again.
 * Pure: the deployed flags (decompiled from the hosted document) are spliced into the file as
 * `main` has it, one value at a time with `src/edit/` — comments, layout and every unchanged line
 * stay, so the revert pull request's diff is exactly the lines that went wrong.
 *
 * Why this rather than copying the file from the commit named in the deployed version's label: that
 * commit may be gone (a rebased branch, a label written from a local run, `flagops.local…`), it may
 * carry other files' edits since, and the deployed bytes are the truth README promise 1 is about. The caller
 * compiles the result and compares its hash with what is deployed; only when the splice cannot say
 * it (a flag deleted since, a freeform profile) does it fall back to the labelled commit's file.
 */

import { Failure } from '../core/failure.ts';
import { EditError, flowMap, type ScalarValue, setIn, yamlScalar } from '../edit/yaml-edit.ts';
import type { FlagValue } from '../model/types.ts';

export class RestoreError extends Failure {}

/** YAML text for one attribute value: scalars plain, anything else as JSON (a flow collection). */
function valueText(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return yamlScalar(value);
  return JSON.stringify(value);
}

function isScalarRecord(value: Record<string, unknown>): value is Record<string, ScalarValue> {
  return Object.values(value).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * `source` (the values file on `main`, whose flags are `current`) edited to say `deployed`.
 * Throws RestoreError when a surgical edit cannot express it (a flag or attribute to remove).
 */
export function restoreFeatureFlags(
  source: string,
  current: Record<string, FlagValue>,
  deployed: Record<string, FlagValue>,
): string {
  let text = source;
  for (const name of Object.keys(current)) {
    if (!(name in deployed))
      throw new RestoreError(`flag ${name} is in the file but not deployed; it would have to be removed`);
  }
  for (const [name, want] of Object.entries(deployed)) {
    const have = current[name];
    try {
      if (!have) {
        const whole: Record<string, unknown> = { enabled: want.enabled, ...want.attributes };
        text = setIn(text, [name], isScalarRecord(whole) ? flowMap(whole) : JSON.stringify(whole));
        continue;
      }
      if (have.enabled !== want.enabled) text = setIn(text, [name, 'enabled'], yamlScalar(want.enabled));
      for (const key of Object.keys(have.attributes)) {
        if (!(key in want.attributes) && want.enabled)
          throw new RestoreError(
            `${name}.${key} is in the file but not deployed; it would have to be removed`,
          );
      }
      for (const [key, value] of Object.entries(want.attributes)) {
        if (!same(have.attributes[key], value)) text = setIn(text, [name, key], valueText(value));
      }
    } catch (error) {
      if (error instanceof EditError) throw new RestoreError(`${name}: ${error.message}`);
      throw error;
    }
  }
  return text;
}

const LABEL = /^flagops\.([A-Za-z0-9-]{1,20})\.([0-9a-f]{16})$/;

/** The commit a flagops version label names (`flagops.<commit12>.<hash16>`), if it names one. */
export function labelCommit(label: string | undefined): string | undefined {
  const commit = label === undefined ? undefined : LABEL.exec(label)?.[1];
  return commit && commit !== 'local' ? commit : undefined;
}

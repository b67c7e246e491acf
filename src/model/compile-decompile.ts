/**
 * A deployed feature-flag document back to what the repository says: flag → { enabled, attributes }.
 * `status`, drift and revert compare this with the values file, so AppConfig's own bookkeeping
 * (`_createdAt`, `_updatedAt`, `_variants`, any other `_`-prefixed key) is dropped.
 *
 * Accepts both shapes AppConfig hands out:
 * - the hosted document (`GetHostedConfigurationVersion`): `{ version: "1", flags, values }`;
 * - the simplified map from AppConfigData `GetLatestConfiguration`: `{ <flag>: { enabled, …attrs } }`,
 *   where attributes appear only while a flag is enabled.
 */
import { canonicalJson } from './compile-json.ts';
import type { FlagValue, ProfileType } from './types.ts';

/** Keys AppConfig adds to stored feature-flag documents; they are not part of what git says. */
const APPCONFIG_METADATA_KEYS = new Set(['_createdAt', '_updatedAt']);

/**
 * The deployed bytes as flagops would have compiled them: AppConfig's `_createdAt`/`_updatedAt` removed
 * from feature-flag documents, then canonical JSON. Comparing the sha256 of this with a compiled
 * document's tells whether the content is already deployed. Undefined when the content is not JSON.
 */
export function normaliseDeployedContent(
  content: Buffer | string,
  profileType: ProfileType,
): Buffer | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof content === 'string' ? content : content.toString('utf8'));
  } catch {
    return undefined;
  }
  const cleaned = profileType === 'AWS.AppConfig.FeatureFlags' ? withoutMetadata(parsed) : parsed;
  return Buffer.from(canonicalJson(cleaned), 'utf8');
}

/** Drops AppConfig's metadata from `flags.*` and `values.*`, the only places it adds them. */
function withoutMetadata(document: unknown): unknown {
  if (!isObject(document)) return document;
  const out: Record<string, unknown> = { ...document };
  for (const section of ['flags', 'values']) {
    const entries = document[section];
    if (!isObject(entries)) continue;
    out[section] = Object.fromEntries(
      Object.entries(entries).map(([name, entry]) => [
        name,
        isObject(entry)
          ? Object.fromEntries(Object.entries(entry).filter(([k]) => !APPCONFIG_METADATA_KEYS.has(k)))
          : entry,
      ]),
    );
  }
  return out;
}

export type DecompileResult = { ok: true; flags: Record<string, FlagValue> } | { ok: false; error: string };

export function decompileFeatureFlags(content: Buffer | string): DecompileResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof content === 'string' ? content : content.toString('utf8'));
  } catch (cause) {
    return { ok: false, error: `the deployed document is not JSON (${(cause as Error).message})` };
  }
  if (!isObject(parsed)) return { ok: false, error: 'the deployed document is not a JSON object' };

  // A hosted document's `version` is the string "1"; in the simplified map every value is an object.
  const hosted = typeof parsed['version'] === 'string';
  const valueEntries = hosted ? parsed['values'] : parsed;
  if (valueEntries !== undefined && !isObject(valueEntries)) {
    return { ok: false, error: 'the deployed document\'s "values" is not an object' };
  }
  const definitions = hosted && isObject(parsed['flags']) ? parsed['flags'] : {};

  const flags: Record<string, FlagValue> = {};
  // A flag defined without a value is off: that is how AppConfig evaluates it.
  const names = new Set([...Object.keys(definitions), ...Object.keys(valueEntries ?? {})]);
  for (const name of [...names].sort()) {
    if (name.startsWith('_')) continue;
    const entry = valueEntries?.[name];
    if (entry !== undefined && !isObject(entry)) {
      return { ok: false, error: `the deployed value of flag "${name}" is not an object` };
    }
    const attributes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entry ?? {})) {
      if (key === 'enabled' || key.startsWith('_')) continue;
      attributes[key] = value;
    }
    flags[name] = { enabled: entry?.['enabled'] === true, attributes };
  }
  return { ok: true, flags };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The JSON Schemas and their compiled validators. Compiling is the expensive part of ajv: flagops'
 * own schemas are compiled at build time, a repository's freeform schemas once per process.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import appSchema from '../../schemas/app.schema.json' with { type: 'json' };
import featureFlagsSchema from '../../schemas/feature-flags.schema.json' with { type: 'json' };
import onsAppSettingsSchema from '../../schemas/ons-app-settings.schema.json' with { type: 'json' };
import { memoized } from '../core/memo.ts';
import * as compiled from './generated/validators.js';
import { ajvLinearRegExp } from './linear-regexp.ts';

export type { ValidateFunction };

/** Schemas that ship with flagops, by file name; a repository's `schemas/` copy takes precedence. */
export const BUNDLED_SCHEMAS: Readonly<Record<string, object>> = {
  'app.schema.json': appSchema,
  'feature-flags.schema.json': featureFlagsSchema,
  'ons-app-settings.schema.json': onsAppSettingsSchema,
};

// verbose: errors carry the data and the schema, which the messages quote (enum values, limits).
// code.regExp: every `pattern` and `patternProperties` key matches in linear time (linear-regexp.ts).
const OPTIONS = {
  allErrors: true,
  verbose: true,
  allowUnionTypes: true,
  code: { regExp: ajvLinearRegExp },
} as const;

/**
 * flagops' own app and feature-flags schemas are compiled ahead of time (scripts/compile-schemas.mjs,
 * with the options above and the same linear pattern engine): compiling them here cost an eighth
 * of every `flagops validate`. test/model/compiled-schemas.test.ts keeps them equal to the schemas.
 */
export function appValidator(): ValidateFunction {
  return compiled.app;
}

export function featureFlagsValidator(): ValidateFunction {
  return compiled.featureFlags;
}

export type SchemaResult = { ok: true; validate: ValidateFunction } | { ok: false; message: string };

/**
 * A freeform profile's schema, compiled from its text. Each distinct text gets its own ajv
 * instance, so two revisions of a schema with the same `$id` (base and head) never collide.
 */
export const userSchemaValidator: (text: string) => SchemaResult = memoized((text) => {
  try {
    const schema: unknown = JSON.parse(text);
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
      return { ok: false, message: 'the top level must be a JSON object' };
    }
    // Users' schemas may use keywords and formats we do not know; ignore them rather than fail.
    const ajv = new Ajv2020({ ...OPTIONS, strict: false, validateFormats: false });
    return { ok: true, validate: ajv.compile(schema) };
  } catch (error) {
    return {
      ok: false,
      message: error instanceof Error ? error.message.split('\n')[0] || 'invalid' : 'invalid',
    };
  }
});

/**
 * A profile's JSON_SCHEMA validators, run with ajv on CreateHostedConfigurationVersion and again on
 * StartDeployment. LAMBDA validators cannot run here and are accepted without a call.
 */

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { badRequest, type InvalidConfigurationDetail, invalidConfiguration } from './errors.ts';
import type { Validator } from './state.ts';

const MAX_VALIDATOR_CONTENT = 32768;

/** Compiled validators by schema text, so a busy pipeline does not recompile per request. */
const compiled = new Map<string, ValidateFunction>();

function compile(schemaText: string): ValidateFunction {
  const cached = compiled.get(schemaText);
  if (cached) return cached;
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch {
    throw badRequest('JSON_SCHEMA validator content is not JSON; give the schema as a JSON document');
  }
  const schemaUri = (schema as { $schema?: unknown } | null)?.$schema;
  const draft2020 = typeof schemaUri === 'string' && schemaUri.includes('2020-12');
  const ajv = draft2020
    ? new Ajv2020({ allErrors: true, strict: false })
    : new Ajv({ allErrors: true, strict: false });
  let fn: ValidateFunction;
  try {
    fn = ajv.compile(schema as object);
  } catch (err) {
    throw badRequest(`JSON_SCHEMA validator is not a valid JSON Schema: ${(err as Error).message}`);
  }
  compiled.set(schemaText, fn);
  return fn;
}

/** Check validator definitions when a profile is created or updated. */
export function checkValidatorDefinitions(validators: unknown): Validator[] {
  if (validators === undefined) return [];
  if (!Array.isArray(validators) || validators.length > 2)
    throw badRequest('Validators must be a list of at most 2 validators');
  return validators.map((v, i) => {
    const { Type, Content } = (v ?? {}) as { Type?: unknown; Content?: unknown };
    if (Type !== 'JSON_SCHEMA' && Type !== 'LAMBDA')
      throw badRequest(`Validators[${i}].Type must be JSON_SCHEMA or LAMBDA`);
    if (typeof Content !== 'string' || Content.length > MAX_VALIDATOR_CONTENT)
      throw badRequest(
        `Validators[${i}].Content must be a string of at most ${MAX_VALIDATOR_CONTENT} characters`,
      );
    if (Type === 'JSON_SCHEMA') compile(Content);
    return { Type, Content };
  });
}

/** Throws BadRequestException (InvalidConfiguration) when the content fails any JSON_SCHEMA validator. */
export function runValidators(validators: Validator[], content: Buffer): void {
  const schemas = validators.filter((v) => v.Type === 'JSON_SCHEMA');
  if (schemas.length === 0) return;
  let data: unknown;
  try {
    data = JSON.parse(content.toString('utf8'));
  } catch {
    throw invalidConfiguration(
      'configuration is not valid JSON, so the JSON_SCHEMA validator cannot check it',
      [{ Constraint: 'JSON', Location: '$', Reason: 'content is not JSON', Type: 'JSON_SCHEMA', Value: '' }],
    );
  }
  const details: InvalidConfigurationDetail[] = [];
  for (const v of schemas) {
    const fn = compile(v.Content);
    if (!fn(data)) details.push(...(fn.errors ?? []).map(toDetail));
  }
  if (details.length > 0) {
    const first = details[0]!;
    throw invalidConfiguration(
      `configuration does not match the profile's JSON schema: ${first.Location} ${first.Reason}`,
      details,
    );
  }
}

function toDetail(e: ErrorObject): InvalidConfigurationDetail {
  return {
    Constraint: e.keyword,
    Location: e.instancePath === '' ? '$' : `$${e.instancePath.replaceAll('/', '.')}`,
    Reason: e.message ?? 'does not match the schema',
    Type: 'JSON_SCHEMA',
    Value: JSON.stringify(e.params),
  };
}

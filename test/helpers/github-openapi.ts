/**
 * GitHub's published REST description (`@octokit/openapi`, api.github.com, OpenAPI 3.0) as
 * response validators: for an operation and a status code, the schema GitHub documents, compiled
 * by ajv. The description is 13 MB; it is read and converted once per process, and each
 * operation's validator is compiled the first time it is asked for.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, unknown>;

interface OpenApiResponse {
  description?: string;
  content?: Record<string, { schema?: Json }>;
  $ref?: string;
}

interface OpenApiOperation {
  operationId: string;
  responses: Record<string, OpenApiResponse>;
}

export interface ResponseCheck {
  /** The statuses GitHub documents for the operation. */
  documented: string[];
  /** Undefined when valid; else ajv's errors, one line each, with the JSON path. */
  errors: string[] | undefined;
}

export interface GitHubDescription {
  /** Milliseconds spent reading, parsing and converting the description. */
  loadMs: number;
  /** Whether `METHOD {template}` is an operation of the description. */
  has(method: string, template: string): boolean;
  /** Checks a response against the operation's documented statuses and that status's schema. */
  check(method: string, template: string, status: number, body: unknown): ResponseCheck;
}

// ajv-formats is CommonJS: its module object is the plugin, and carries it again as `default`.
const addFormats = addFormatsModule.default;

let loaded: GitHubDescription | undefined;

export function githubDescription(): GitHubDescription {
  loaded ??= load();
  return loaded;
}

function load(): GitHubDescription {
  const started = performance.now();
  const require = createRequire(import.meta.url);
  // Only the api.github.com file: the package's index.js would parse every variant (400 MB).
  const file = join(
    dirname(require.resolve('@octokit/openapi/package.json')),
    'generated',
    'api.github.com.json',
  );
  const spec = JSON.parse(readFileSync(file, 'utf8')) as {
    paths: Record<string, Record<string, OpenApiOperation>>;
    components: { schemas: Record<string, Json>; responses: Record<string, OpenApiResponse> };
  };
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, inlineRefs: false });
  addFormats(ajv);
  // Formats ajv-formats does not know: `timestamp` (one use, a date-time string) is not checked.
  ajv.addFormat('timestamp', true);
  ajv.addSchema({ $id: 'github', components: { schemas: mapValues(spec.components.schemas, toJsonSchema) } });
  const loadMs = performance.now() - started;

  const validators = new Map<string, ValidateFunction | null>();
  const operation = (method: string, template: string) => spec.paths[template]?.[method.toLowerCase()];

  return {
    loadMs,
    has: (method, template) => operation(method, template) !== undefined,
    check(method, template, status, body) {
      const op = operation(method, template);
      if (!op) throw new Error(`${method} ${template} is not in GitHub's REST description`);
      const documented = Object.keys(op.responses);
      const key = `${method} ${template} ${status}`;
      let validate = validators.get(key);
      if (validate === undefined) {
        const response = resolveResponse(spec.components.responses, op.responses[String(status)]);
        const schema = response && jsonSchemaOf(response);
        validate = schema ? ajv.compile(toJsonSchema(schema) as Json) : null;
        validators.set(key, validate);
      }
      if (!documented.includes(String(status)))
        return { documented, errors: [`status ${status} is not documented`] };
      if (validate === null) return { documented, errors: undefined };
      return { documented, errors: validate(body) ? undefined : (validate.errors ?? []).map(describe) };
    },
  };
}

function resolveResponse(
  shared: Record<string, OpenApiResponse>,
  response: OpenApiResponse | undefined,
): OpenApiResponse | undefined {
  const ref = response?.$ref?.replace('#/components/responses/', '');
  return ref === undefined ? response : shared[ref];
}

function jsonSchemaOf(response: OpenApiResponse): Json | undefined {
  const json = Object.entries(response.content ?? {}).find(([type]) => type.startsWith('application/json'));
  return json?.[1].schema;
}

function describe(e: ErrorObject): string {
  const extra =
    e.keyword === 'required'
      ? ` (${(e.params as { missingProperty: string }).missingProperty})`
      : e.keyword === 'additionalProperties'
        ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
        : '';
  return `${e.instancePath || '/'} ${e.message}${extra}`;
}

/**
 * OpenAPI 3.0 schemas to JSON Schema: `nullable: true` becomes `null` in `type` (and in `enum`, which
 * OpenAPI's `nullable` also widens), or an `anyOf` with `null` where the schema has no `type`
 * (GitHub writes `{ nullable: true, allOf: [{ $ref }] }`); references point into the `github` schema.
 */
function toJsonSchema(node: unknown): unknown {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const schema = node as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'nullable' || k === 'example' || k === 'examples') continue;
    if (k === '$ref' && typeof v === 'string') out[k] = v.startsWith('#/') ? `github${v}` : v;
    else if (k === 'properties' || k === 'patternProperties') out[k] = mapValues(v as Json, toJsonSchema);
    else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') out[k] = (v as unknown[]).map(toJsonSchema);
    else if (k === 'items' || k === 'additionalProperties' || k === 'not') out[k] = toJsonSchema(v);
    else out[k] = v;
  }
  // GitHub documents "" as the default of some URI members (a deployment status's `log_url`), and
  // answers "" when none was given; `format: uri` alone would refuse the documented default.
  if (out['format'] === 'uri' && out['default'] === '') {
    const { default: _, ...uri } = out;
    return withNull(schema, { anyOf: [uri, { const: '' }] });
  }
  return withNull(schema, out);
}

function withNull(schema: Json, out: Json): Json {
  if (schema['nullable'] !== true) return out;
  const type = out['type'];
  if (type === undefined) return { anyOf: [out, { type: 'null' }] };
  out['type'] = Array.isArray(type) ? [...type, 'null'] : [type, 'null'];
  if (Array.isArray(out['enum']) && !out['enum'].includes(null)) out['enum'] = [...out['enum'], null];
  return out;
}

function mapValues(o: Json, f: (v: unknown) => unknown): Json {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

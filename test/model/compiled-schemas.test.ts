/**
 * flagops' own schemas are compiled at build time (scripts/compile-schemas.mjs). The committed
 * module must be what the schemas compile to now, and must judge data exactly as ajv compiling the
 * schema at run time does: the same verdicts and the same errors, patterns included.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import appSchema from '../../schemas/app.schema.json' with { type: 'json' };
import featureFlagsSchema from '../../schemas/feature-flags.schema.json' with { type: 'json' };
import { compiledValidatorsSource, GENERATED } from '../../scripts/compile-schemas.mjs';
import { ajvLinearRegExp } from '../../src/model/linear-regexp.ts';
import { appValidator, featureFlagsValidator } from '../../src/model/schemas.ts';
import { PROJECT_ROOT } from '../helpers/cli.ts';

const runtime = new Ajv2020({
  allErrors: true,
  verbose: true,
  allowUnionTypes: true,
  strict: true,
  validateSchema: false,
  code: { regExp: ajvLinearRegExp },
});
const judge = (validate: ReturnType<typeof runtime.compile>, data: unknown) => {
  const ok = validate(data);
  return {
    ok,
    errors: (validate.errors ?? []).map(({ instancePath, keyword, message, params }) => ({
      instancePath,
      keyword,
      message,
      params,
    })),
  };
};

const EXAMPLE = join(PROJECT_ROOT, 'flags/ons-data-platform-app');
const app = parse(readFileSync(join(EXAMPLE, 'app.yaml'), 'utf8')) as Record<string, unknown>;
const flags = parse(readFileSync(join(EXAMPLE, 'production/feature-flags.yaml'), 'utf8')) as Record<
  string,
  unknown
>;
const apps: unknown[] = [
  app,
  { ...app, application: 'Not A Name!' },
  { ...app, environments: { production: { approvals: 'two' } } },
  { ...app, unknown_key: true },
  { application: 'x' },
  'a string',
];
const values: unknown[] = [
  flags,
  { ...flags, 'Bad Name': { enabled: true } },
  { use_new_backend: { enabled: 'yes' } },
  { use_new_backend: { enabled: true, percentage: 25 } },
  [],
];

describe('the ahead-of-time validators', () => {
  it('are what the schemas compile to now (run `npm run build` after changing schemas/)', () => {
    expect(readFileSync(join(PROJECT_ROOT, GENERATED), 'utf8') === compiledValidatorsSource()).toBe(true);
  });

  it('judge app.yaml data as run-time ajv does, errors included', () => {
    const compiled = runtime.compile(appSchema);
    for (const data of apps)
      expect(judge(appValidator(), data), JSON.stringify(data)).toEqual(judge(compiled, data));
    expect(apps.map((d) => appValidator()(d))).toEqual([true, false, false, false, false, false]);
  });

  it('judge values data as run-time ajv does, errors included', () => {
    const compiled = runtime.compile(featureFlagsSchema);
    for (const data of values)
      expect(judge(featureFlagsValidator(), data), JSON.stringify(data)).toEqual(judge(compiled, data));
    expect(featureFlagsValidator()(flags)).toBe(true);
    expect(values.map((d) => featureFlagsValidator()(d))).toContain(false);
  });
});

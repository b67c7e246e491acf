import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  appValidator,
  BUNDLED_SCHEMAS,
  featureFlagsValidator,
  userSchemaValidator,
  type ValidateFunction,
} from '../../src/model/schemas.ts';
import { parseYamlFile } from '../../src/model/yaml.ts';
import { REPO_ROOT } from './fixture-repo.ts';

const schemaDir = join(REPO_ROOT, 'schemas');

function validatorFor(schemaName: string): ValidateFunction {
  if (schemaName === 'app.schema.json') return appValidator();
  if (schemaName === 'feature-flags.schema.json') return featureFlagsValidator();
  const compiled = userSchemaValidator(JSON.stringify(BUNDLED_SCHEMAS[schemaName]));
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.validate;
}

describe('the JSON Schemas', () => {
  it('are draft 2020-12 with a flagops $id matching their file name, and all are bundled', () => {
    const files = readdirSync(schemaDir).filter((f) => f.endsWith('.json'));
    // The release record's schema describes what flagops writes, not a profile: it is not bundled
    // for profiles (test/release/decide.test.ts validates the records against it).
    expect(files.filter((f) => f !== 'release-record.schema.json').sort()).toEqual(
      Object.keys(BUNDLED_SCHEMAS).sort(),
    );
    for (const file of files) {
      const schema = JSON.parse(readFileSync(join(schemaDir, file), 'utf8'));
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(`https://flagops.dev/schemas/${file}`);
      expect(typeof schema.description).toBe('string');
    }
  });

  it('are valid against the draft 2020-12 meta-schema (flagops compiles its own without that check)', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    for (const [file, schema] of Object.entries(BUNDLED_SCHEMAS)) {
      expect(ajv.validateSchema(schema), `${file}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
    }
    expect(ajv.validateSchema({ type: 'strnig' })).toBe(false);
  });

  it('accept the real application files, named by their yaml-language-server modelines', () => {
    const appDir = join(REPO_ROOT, 'flags/ons-data-platform-app');
    const files = [
      'app.yaml',
      ...['development', 'production'].flatMap((e) => readdirSync(join(appDir, e)).map((f) => `${e}/${f}`)),
    ];
    for (const file of files) {
      const bytes = readFileSync(join(appDir, file));
      const schemaName = /\$schema=(?:\.\.\/)+schemas\/([\w.-]+)/.exec(bytes.toString('utf8'))?.[1];
      expect(schemaName, file).toBeDefined();
      const validate = validatorFor(schemaName!);
      const parsed = parseYamlFile(file, bytes);
      expect(validate(parsed.value), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('keep `_rollout` apart from flags in values files', () => {
    const validate = featureFlagsValidator();
    const plan = { flag: 'f', attribute: 'percentage', target: 50, step: 10, wait_minutes: 30 };
    expect(validate({ f: { enabled: true, percentage: 10 }, _rollout: plan })).toBe(true);
    expect(validate({ _other: { enabled: true } })).toBe(false);
    expect(validate({ _rollout: { ...plan, step: 0 } })).toBe(false);
  });

  it('compile a user schema once per distinct text and report an unusable one', () => {
    const text = JSON.stringify({ type: 'object', $id: 'https://example.com/s.json' });
    expect(userSchemaValidator(text)).toBe(userSchemaValidator(text));
    const changed = userSchemaValidator(JSON.stringify({ type: 'array', $id: 'https://example.com/s.json' }));
    expect(changed.ok).toBe(true);
    const broken = userSchemaValidator('{ not json');
    expect(broken.ok).toBe(false);
  });
});

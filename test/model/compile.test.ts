import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CompiledDocument, CompileResult } from '../../src/model/compile.ts';
import {
  canonicalJson,
  compileTarget,
  decompileFeatureFlags,
  HOSTED_CONFIGURATION_LIMIT_BYTES,
  normaliseDeployedContent,
} from '../../src/model/compile.ts';
import type { Diagnostic } from '../../src/model/types.ts';
import { appConfigFeatureFlagViolations } from './compile-appconfig-rules.ts';
import {
  application,
  flag,
  flagsTarget,
  freeformTarget,
  onsApplication,
  onsProduction,
} from './compile-fixtures.ts';

function compiled(result: CompileResult): CompiledDocument {
  if (!result.ok) throw new Error(`expected a document, got ${JSON.stringify(result.diagnostics, null, 2)}`);
  return result.document;
}
function diagnosticsOf(result: CompileResult): Diagnostic[] {
  if (result.ok) throw new Error(`expected diagnostics, got ${result.document.content.toString()}`);
  return result.diagnostics;
}
const parse = (doc: CompiledDocument) => JSON.parse(doc.content.toString('utf8'));

describe('compileTarget: the ONS production feature flags', () => {
  const document = compiled(compileTarget(onsApplication, onsProduction));

  it('satisfies every documented AppConfig feature-flag rule', () => {
    expect(appConfigFeatureFlagViolations(parse(document))).toEqual([]);
  });

  it('is the expected document, with disabled flags and numeric constraints as integers', () => {
    expect(parse(document)).toEqual({
      version: '1',
      flags: {
        enable_query_performance_monitoring: {
          name: 'enable_query_performance_monitoring',
          description: 'The enable_query_performance_monitoring flag.',
        },
        influxdb_traffic_percentage: {
          name: 'influxdb_traffic_percentage',
          description: 'The influxdb_traffic_percentage flag.',
          attributes: {
            percentage: {
              description: 'Share of API queries.',
              constraints: { type: 'number', required: true, minimum: 0, maximum: 100 },
            },
          },
        },
        use_influxdb_for_api_queries: {
          name: 'use_influxdb_for_api_queries',
          description: 'The use_influxdb_for_api_queries flag.',
        },
        use_influxdb_for_data_ingestion: {
          name: 'use_influxdb_for_data_ingestion',
          description: 'The use_influxdb_for_data_ingestion flag.',
        },
      },
      values: {
        enable_query_performance_monitoring: { enabled: true },
        influxdb_traffic_percentage: { enabled: true, percentage: 0 },
        use_influxdb_for_api_queries: { enabled: false },
        use_influxdb_for_data_ingestion: { enabled: true },
      },
    });
  });

  it('describes its bytes: JSON content type, size and sha256 of the content', () => {
    expect(document.contentType).toBe('application/json');
    expect(document.size).toBe(document.content.length);
    expect(document.sha256).toBe(createHash('sha256').update(document.content).digest('hex'));
    const text = document.content.toString('utf8');
    expect(text).toBe(JSON.stringify(JSON.parse(text)));
    expect(text).not.toMatch(/_createdAt|_updatedAt/);
  });

  it('the checker itself catches the shapes AppConfig refuses', () => {
    const bad = {
      version: 1,
      flags: {
        Bad: { name: 'Bad' },
        f: {
          name: 'f',
          attributes: {
            a: { constraints: { type: 'string[]' } },
            n: { constraints: { type: 'number', minimum: 0.5 } },
          },
        },
      },
      values: { f: { enabled: 'yes', n: 0.1 } },
    };
    const problems = appConfigFeatureFlagViolations(bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        'version must be the string "1"',
        expect.stringContaining('flags.Bad: key does not match'),
        expect.stringContaining('"string[]" is not string, number, boolean or array'),
        'flags.f.attributes.n.constraints.minimum not an integer',
        'values.f.enabled must be a boolean',
        'values.f.n: below minimum',
      ]),
    );
  });
});

describe('determinism', () => {
  it('gives the same bytes and hash for the same content in a different key order', () => {
    const reordered = flagsTarget({
      enable_query_performance_monitoring: { enabled: true, attributes: {} },
      influxdb_traffic_percentage: { attributes: { percentage: 0 }, enabled: true },
      use_influxdb_for_api_queries: { enabled: false, attributes: {} },
      use_influxdb_for_data_ingestion: { enabled: true, attributes: {} },
    });
    const reorderedApp = application(Object.values(onsApplication.flags).reverse());
    const a = compiled(compileTarget(onsApplication, onsProduction));
    const b = compiled(compileTarget(reorderedApp, reordered));
    expect(b.content.equals(a.content)).toBe(true);
    expect(b.sha256).toBe(a.sha256);
  });

  it('gives a different hash when a value changes', () => {
    const changed = flagsTarget({
      ...onsProduction.flags,
      influxdb_traffic_percentage: { enabled: true, attributes: { percentage: 10 } },
    });
    expect(compiled(compileTarget(onsApplication, changed)).sha256).not.toBe(
      compiled(compileTarget(onsApplication, onsProduction)).sha256,
    );
  });

  it('canonicalJson sorts keys at every depth, keeps array order and writes compactly', () => {
    expect(canonicalJson({ b: [3, { z: 1, a: null }], a: 'x', c: { y: true, x: 1.5 } })).toBe(
      '{"a":"x","b":[3,{"a":null,"z":1}],"c":{"x":1.5,"y":true}}',
    );
  });

  it('canonicalJson refuses values JSON would silently change', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/NaN is not a JSON number/);
    expect(() => canonicalJson([1, undefined])).toThrow(/undefined value has no JSON form/);
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    expect(() => canonicalJson(loop)).toThrow(/refers to itself/);
  });

  it('canonicalJson writes a __proto__ key as data', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true},"a":1}');
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('attribute types', () => {
  const app = application([
    flag('regions', {
      allowed: {
        type: 'array',
        required: true,
        elements: { type: 'string', enum: ['eu-west-2', 'eu-west-1'] },
      },
      weights: { type: 'array', required: false, elements: { type: 'number', minimum: 0, maximum: 10 } },
      backend: { type: 'string', required: true, enum: ['influxdb', 'timestream'] },
      owner: { type: 'string', required: false, pattern: '^[a-z]+$' },
      verbose: { type: 'boolean', required: false },
    }),
  ]);
  const target = flagsTarget({
    regions: {
      enabled: false,
      attributes: {
        allowed: ['eu-west-2'],
        weights: [1, 2],
        backend: 'influxdb',
        owner: 'ons',
        verbose: true,
      },
    },
  });
  const document = parse(compiled(compileTarget(app, target)));

  it('compiles arrays as type "array" with elements, never string[]', () => {
    expect(document.flags.regions.attributes.allowed.constraints).toEqual({
      type: 'array',
      required: true,
      elements: { type: 'string', enum: ['eu-west-2', 'eu-west-1'] },
    });
    expect(document.flags.regions.attributes.weights.constraints).toEqual({
      type: 'array',
      required: false,
      elements: { type: 'number', minimum: 0, maximum: 10 },
    });
    expect(JSON.stringify(document)).not.toContain('[]"');
  });

  it('compiles string enum and pattern, and boolean', () => {
    expect(document.flags.regions.attributes.backend.constraints).toEqual({
      type: 'string',
      required: true,
      enum: ['influxdb', 'timestream'],
    });
    expect(document.flags.regions.attributes.owner.constraints).toEqual({
      type: 'string',
      required: false,
      pattern: '^[a-z]+$',
    });
    expect(document.flags.regions.attributes.verbose.constraints).toEqual({
      type: 'boolean',
      required: false,
    });
  });

  it('stores the attributes of a disabled flag', () => {
    expect(document.values.regions).toEqual({
      enabled: false,
      allowed: ['eu-west-2'],
      weights: [1, 2],
      backend: 'influxdb',
      owner: 'ons',
      verbose: true,
    });
    expect(appConfigFeatureFlagViolations(document)).toEqual([]);
  });

  it('leaves out the reserved _rollout key of values files', () => {
    const withRollout = flagsTarget({
      ...onsProduction.flags,
      _rollout: { enabled: true, attributes: {} },
      influxdb_traffic_percentage: { enabled: true, attributes: { percentage: 0, _rollout: { step: 1 } } },
    });
    const a = compiled(compileTarget(onsApplication, withRollout));
    expect(a.content.toString()).not.toContain('_rollout');
    expect(a.sha256).toBe(compiled(compileTarget(onsApplication, onsProduction)).sha256);
  });
});

describe('AppConfig limits and key rules become diagnostics', () => {
  it('refuses more than 25 attributes, pointing at the flag in app.yaml', () => {
    const attributes = Object.fromEntries(
      Array.from({ length: 26 }, (_, i) => [`a${i}`, { type: 'boolean' as const, required: false }]),
    );
    const app = application([flag('wide', attributes)]);
    app.locations['flags.wide.attributes'] = {
      file: 'flags/ons-data-platform-app/app.yaml',
      line: 40,
      column: 5,
    };
    const diagnostics = diagnosticsOf(
      compileTarget(app, flagsTarget({ wide: { enabled: true, attributes: {} } })),
    );
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'too-many-attributes',
        severity: 'error',
        position: { file: 'flags/ons-data-platform-app/app.yaml', line: 40, column: 5 },
        message: expect.stringContaining('26 attributes; AppConfig allows at most 25'),
      }),
    ]);
  });

  it('accepts exactly 25 attributes', () => {
    const attributes = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [`a${i}`, { type: 'boolean' as const, required: false }]),
    );
    const app = application([flag('wide', attributes)]);
    const doc = parse(compiled(compileTarget(app, flagsTarget({ wide: { enabled: true, attributes: {} } }))));
    expect(Object.keys(doc.flags.wide.attributes)).toHaveLength(25);
  });

  it('refuses flag and attribute keys outside ^[a-z][a-zA-Z\\d_-]{0,63}$ and reports all of them', () => {
    const app = application([
      flag('UseInflux'),
      flag('ok_flag', {
        '9lives': { type: 'boolean', required: false },
        fine: { type: 'boolean', required: false },
      }),
      flag(`a${'b'.repeat(64)}`),
    ]);
    const target = flagsTarget({
      UseInflux: { enabled: true, attributes: {} },
      ok_flag: { enabled: true, attributes: {} },
      [`a${'b'.repeat(64)}`]: { enabled: true, attributes: {} },
    });
    const diagnostics = diagnosticsOf(compileTarget(app, target));
    expect(diagnostics.map((d) => d.code)).toEqual(['invalid-key', 'invalid-key', 'invalid-key']);
    expect(diagnostics.map((d) => d.message).join('\n')).toMatch(
      /flag key "UseInflux"[\s\S]*attribute key "9lives"/,
    );
  });

  it('accepts a 64-character key', () => {
    const name = `a${'b'.repeat(63)}`;
    const result = compileTarget(
      application([flag(name)]),
      flagsTarget({ [name]: { enabled: true, attributes: {} } }),
    );
    expect(result.ok).toBe(true);
  });

  it('reports non-integer number bounds with a fix', () => {
    const app = application([
      flag('ratio', {
        share: { type: 'number', required: true, minimum: 0.5, maximum: 99.5 },
        list: { type: 'array', required: false, elements: { type: 'number', maximum: 0.25 } },
      }),
    ]);
    const diagnostics = diagnosticsOf(
      compileTarget(app, flagsTarget({ ratio: { enabled: true, attributes: { share: 1 } } })),
    );
    expect(diagnostics.map((d) => d.code)).toEqual([
      'non-integer-bound',
      'non-integer-bound',
      'non-integer-bound',
    ]);
    expect(diagnostics[0]?.message).toContain('minimum 0.5; AppConfig number constraints must be integers');
  });

  it('reports constraints AppConfig cannot express', () => {
    const app = application([
      flag('f', {
        both: { type: 'string', required: false, pattern: '^a', enum: ['a'] },
        numEnum: { type: 'number', required: false, enum: [1, 2] },
        arr: { type: 'array', required: false },
        enabled: { type: 'boolean', required: false },
      }),
    ]);
    const diagnostics = diagnosticsOf(
      compileTarget(app, flagsTarget({ f: { enabled: true, attributes: {} } })),
    );
    expect(diagnostics.map((d) => d.code).sort()).toEqual(
      [
        'array-without-elements',
        'pattern-and-enum',
        'reserved-attribute-name',
        'unsupported-constraint',
      ].sort(),
    );
  });

  it('reports values for undefined flags and attributes at their line', () => {
    const target = flagsTarget({
      ...onsProduction.flags,
      use_influx_for_queries: { enabled: true, attributes: {} },
      influxdb_traffic_percentage: { enabled: true, attributes: { percentage: 0, percent: 5 } },
    });
    target.locations['use_influx_for_queries'] = { file: target.file, line: 7, column: 1 };
    target.locations['influxdb_traffic_percentage.percent'] = { file: target.file, line: 9, column: 3 };
    const diagnostics = diagnosticsOf(compileTarget(onsApplication, target));
    expect(diagnostics.map((d) => [d.code, d.position.line])).toEqual([
      ['unknown-flag', 7],
      ['unknown-attribute', 9],
    ]);
  });

  it('reports NaN as not JSON at the value', () => {
    const target = flagsTarget({
      influxdb_traffic_percentage: { enabled: true, attributes: { percentage: Number.NaN } },
    });
    target.locations['influxdb_traffic_percentage.percentage'] = { file: target.file, line: 4, column: 15 };
    const [d] = diagnosticsOf(compileTarget(onsApplication, target));
    expect(d).toMatchObject({ code: 'not-json', position: { line: 4, column: 15 } });
  });
});

describe('size limit', () => {
  it('refuses a document over 1 MB at the values file, naming size, limit and a way out', () => {
    const app = application([flag('big', { note: { type: 'string', required: false } })]);
    const note = 'x'.repeat(1000);
    const flags = Object.fromEntries(
      Array.from({ length: 1100 }, (_, i) => [`big${i}`, { enabled: true, attributes: { note } }]),
    );
    for (const name of Object.keys(flags))
      app.flags[name] = { ...flag(name, { note: { type: 'string', required: false } }) };
    const [d] = diagnosticsOf(compileTarget(app, flagsTarget(flags)));
    expect(d).toMatchObject({
      code: 'document-too-large',
      position: { file: 'flags/ons-data-platform-app/production/feature-flags.yaml', line: 1, column: 1 },
    });
    expect(d?.message).toMatch(/compiles to [\d,]+ bytes; .*limited to 1,048,576 bytes \(1 MB\): split/);
  });

  it('accepts a freeform document just under the limit and refuses one just over', () => {
    const overhead = '{"blob":""}'.length;
    const fits = compileTarget(
      onsApplication,
      freeformTarget({ blob: 'x'.repeat(HOSTED_CONFIGURATION_LIMIT_BYTES - overhead) }),
    );
    expect(compiled(fits).size).toBe(HOSTED_CONFIGURATION_LIMIT_BYTES);
    const over = compileTarget(
      onsApplication,
      freeformTarget({ blob: 'x'.repeat(HOSTED_CONFIGURATION_LIMIT_BYTES - overhead + 1) }),
    );
    expect(diagnosticsOf(over)[0]?.code).toBe('document-too-large');
  });
});

describe('freeform profiles', () => {
  it('compile to canonical JSON of the data', () => {
    const doc = compiled(
      compileTarget(
        onsApplication,
        freeformTarget({ query_timeout_seconds: 30, influxdb: { organization: 'ons', bucket: 'b' } }),
      ),
    );
    expect(doc.content.toString()).toBe(
      '{"influxdb":{"bucket":"b","organization":"ons"},"query_timeout_seconds":30}',
    );
  });

  it('refuse an empty document', () => {
    expect(diagnosticsOf(compileTarget(onsApplication, freeformTarget(undefined)))[0]?.code).toBe(
      'empty-document',
    );
  });
});

describe('decompileFeatureFlags and normaliseDeployedContent', () => {
  const document = compiled(compileTarget(onsApplication, onsProduction));
  // What AppConfig stores: our document plus its own timestamps.
  const stored = parse(document);
  for (const section of ['flags', 'values'] as const) {
    for (const entry of Object.values(stored[section]) as Record<string, unknown>[]) {
      entry['_createdAt'] = '2026-01-01T00:00:00.000Z';
      entry['_updatedAt'] = '2026-01-02T00:00:00.000Z';
    }
  }
  const storedBytes = Buffer.from(JSON.stringify(stored, null, 2));

  it('summarises a stored document as flag → enabled + attributes', () => {
    expect(decompileFeatureFlags(storedBytes)).toEqual({
      ok: true,
      flags: {
        enable_query_performance_monitoring: { enabled: true, attributes: {} },
        influxdb_traffic_percentage: { enabled: true, attributes: { percentage: 0 } },
        use_influxdb_for_api_queries: { enabled: false, attributes: {} },
        use_influxdb_for_data_ingestion: { enabled: true, attributes: {} },
      },
    });
  });

  it('reads the simplified GetLatestConfiguration map too', () => {
    const simplified =
      '{"influxdb_traffic_percentage":{"enabled":true,"percentage":25},"use_influxdb_for_api_queries":{"enabled":false}}';
    expect(decompileFeatureFlags(simplified)).toEqual({
      ok: true,
      flags: {
        influxdb_traffic_percentage: { enabled: true, attributes: { percentage: 25 } },
        use_influxdb_for_api_queries: { enabled: false, attributes: {} },
      },
    });
  });

  it('reports content that is not a feature-flag document', () => {
    expect(decompileFeatureFlags('not json')).toMatchObject({
      ok: false,
      error: expect.stringContaining('not JSON'),
    });
    expect(decompileFeatureFlags('[1]')).toEqual({
      ok: false,
      error: 'the deployed document is not a JSON object',
    });
    expect(decompileFeatureFlags('{"version":"1","values":{"f":true}}')).toEqual({
      ok: false,
      error: 'the deployed value of flag "f" is not an object',
    });
  });

  it('normalises stored content back to the compiled bytes, so hashes compare', () => {
    const normalised = normaliseDeployedContent(storedBytes, 'AWS.AppConfig.FeatureFlags');
    expect(normalised?.equals(document.content)).toBe(true);
    expect(normaliseDeployedContent('nope', 'AWS.Freeform')).toBeUndefined();
  });
});

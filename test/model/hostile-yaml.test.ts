/**
 * Bad input never crashes the loader: each class is reported at the file and line at fault, with
 * a message that says what to do.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/model/index.ts';
import { parseYamlFile } from '../../src/model/yaml.ts';
import { load, only, PROD_FLAGS, PROD_FLAGS_TEXT, removeRepos } from './fixture-repo.ts';

afterAll(removeRepos);

function billionLaughs(): string {
  let text = 'lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
  for (let i = 1; i <= 9; i++)
    text += `lol${i}: &l${i} [${Array(9)
      .fill(`*l${i - 1}`)
      .join(', ')}]\n`;
  return text;
}

describe('hostile YAML in a values file', () => {
  it('reports duplicate keys at the repeated key', () => {
    const repo = load({
      [PROD_FLAGS]: `${PROD_FLAGS_TEXT}use_influxdb_for_api_queries: { enabled: true }\n`,
    });
    const d = only(repo, 'yaml-duplicate-key');
    expect(d.position).toEqual({ file: PROD_FLAGS, line: 8, column: 1 });
    expect(d.message).toContain('a key may appear only once');
  });

  it('reports tabs used for indentation', () => {
    const repo = load({ [PROD_FLAGS]: PROD_FLAGS_TEXT.replace('  percentage: 0', '\tpercentage: 0') });
    const d = only(repo, 'yaml-tab');
    expect(d.position).toMatchObject({ file: PROD_FLAGS, line: 6 });
    expect(d.message).toContain('replace the tab with spaces');
  });

  it('stops an alias bomb after a bounded number of expansions', () => {
    const repo = load({ [PROD_FLAGS]: billionLaughs() });
    const d = only(repo, 'yaml-alias-limit');
    expect(d.position.file).toBe(PROD_FLAGS);
    expect(d.position.line).toBeGreaterThan(1);
    expect(d.message).toContain('alias expansions');
  });

  it('reports an empty file', () => {
    const repo = load({
      [PROD_FLAGS]: '# yaml-language-server: $schema=../../../schemas/feature-flags.schema.json\n',
    });
    const d = only(repo, 'empty-file');
    expect(d.position).toEqual({ file: PROD_FLAGS, line: 1, column: 1 });
    expect(d.message).toContain('file is empty');
  });

  it('reports a root that is not a mapping', () => {
    const repo = load({ [PROD_FLAGS]: '# list\n- use_influxdb_for_data_ingestion\n' });
    const d = only(repo, 'not-a-mapping');
    expect(d.position).toEqual({ file: PROD_FLAGS, line: 2, column: 1 });
    expect(d.message).toContain('the file holds a list');
  });

  it('reports .nan and .inf', () => {
    const repo = load({ [PROD_FLAGS]: PROD_FLAGS_TEXT.replace('percentage: 0', 'percentage: .nan') });
    const d = only(repo, 'non-finite-number');
    expect(d.position).toEqual({ file: PROD_FLAGS, line: 6, column: 15 });
    expect(d.message).toContain('write a finite number');
    const inf = load({ [PROD_FLAGS]: PROD_FLAGS_TEXT.replace('percentage: 0', 'percentage: -.inf') });
    expect(only(inf, 'non-finite-number').position.line).toBe(6);
  });

  it('reports __proto__, constructor and prototype keys without polluting Object.prototype', () => {
    const repo = load({
      [PROD_FLAGS]: `${PROD_FLAGS_TEXT}__proto__: { polluted: yes }\nconstructor: { prototype: { polluted: yes } }\n`,
    });
    const forbidden = repo.diagnostics.filter((d) => d.code === 'forbidden-key');
    expect(forbidden.map((d) => [d.position.file, d.position.line])).toEqual([
      [PROD_FLAGS, 8],
      [PROD_FLAGS, 9],
    ]);
    expect(forbidden[0]!.message).toContain('key `__proto__` is not allowed');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const target = repo.targets.find((t) => t.file === PROD_FLAGS)!;
    expect(Object.keys(target.flags!)).not.toContain('__proto__');
  });

  it('reports invalid UTF-8 at the bad byte', () => {
    const bytes = Buffer.concat([
      Buffer.from(PROD_FLAGS_TEXT),
      Buffer.from('# caf'),
      Buffer.from([0xe9, 0x0a]),
    ]);
    const repo = load({ [PROD_FLAGS]: bytes });
    const d = only(repo, 'invalid-utf8');
    expect(d.position).toEqual({ file: PROD_FLAGS, line: 8, column: 6 });
    expect(d.message).toContain('save it as UTF-8');
  });

  it('refuses files over 1 MiB before parsing them', () => {
    const repo = load({ [PROD_FLAGS]: `${PROD_FLAGS_TEXT}#${'x'.repeat(MAX_FILE_BYTES)}\n` });
    const d = only(repo, 'file-too-large');
    expect(d.position).toEqual({ file: PROD_FLAGS, line: 1, column: 1 });
    expect(d.message).toContain('at most 1048576 bytes');
  });

  it('reports a syntax error at its line and keeps loading the other files', () => {
    const repo = load({ [PROD_FLAGS]: 'use_influxdb_for_data_ingestion: { enabled: true\n' });
    expect(repo.diagnostics.every((d) => d.position.file === PROD_FLAGS)).toBe(true);
    expect(repo.diagnostics[0]!.code).toBe('yaml-syntax');
    expect(repo.targets.map((t) => t.file)).not.toContain(PROD_FLAGS);
    expect(repo.targets).toHaveLength(3);
  });
});

describe('parseYamlFile', () => {
  it('summarises a cascade of errors instead of listing hundreds', () => {
    const parsed = parseYamlFile('deep.yaml', Buffer.from(`k:\n  ${'['.repeat(5000)}\n`));
    expect(parsed.value).toBeUndefined();
    expect(parsed.diagnostics.length).toBeLessThanOrEqual(11);
    expect(parsed.diagnostics.every((d) => d.code === 'yaml-syntax')).toBe(true);
  });

  it('refuses nesting deeper than the limit', () => {
    let text = 'a: 1\n';
    for (let i = 0; i < 80; i++) text = `k${i}:\n${text.replace(/^/gm, '  ')}`;
    const parsed = parseYamlFile('nested.yaml', Buffer.from(text));
    expect(parsed.value).toBeUndefined();
    expect(parsed.diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining('nesting is deeper than'),
    ]);
  });

  it('reports an alias to itself instead of recursing', () => {
    const parsed = parseYamlFile('self.yaml', Buffer.from('a: &x [1, *x]\n'));
    expect(parsed.value).toBeUndefined();
    expect(parsed.diagnostics.length).toBeGreaterThan(0);
  });

  it('expands a few ordinary aliases and records positions for them', () => {
    const parsed = parseYamlFile('ok.yaml', Buffer.from('base: &b { enabled: true }\ncopy: *b\n'));
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.value).toEqual({ base: { enabled: true }, copy: { enabled: true } });
    expect(parsed.index.value('copy.enabled')).toEqual({ file: 'ok.yaml', line: 2, column: 7 });
  });
});

/**
 * Attack 9, limits that failed open:
 * - a schema `pattern: "^(a+)+$"` hung loading for minutes (ReDoS): patterns now match in linear
 *   time (RE2), and those RE2 cannot match (lookarounds, backreferences) are refused;
 * - a guard expression over CloudWatch's 2,048-character limit validated, then deployed unwatched;
 * - `plan` said "pass" for content that can never deploy (a document over AppConfig's 1 MB);
 * - GitHub's list of a pull request's files stops at 3,000 entries, so filler files hid a
 *   production edit: change control now fails closed at the cap.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_FILES_CAP, runChangeControl, STATUS_CONTEXT } from '../../src/approvals/gate.ts';
import { METRIC_MATH_EXPRESSION_LIMIT } from '../../src/guards/limits.ts';
import { compileLinear } from '../../src/model/linear-regexp.ts';
import type { Diagnostic, Repository } from '../../src/model/types.ts';
import { buildPlan, renderMarkdown } from '../../src/plan/index.ts';
import { validateRepository } from '../../src/policy/validate.ts';
import { APP_DIR, type Harness, REPO, startHarness } from '../github/harness.ts';
import { GIT_ENV, git } from '../helpers/git.ts';
import { APP_FILE, load, PROD_SETTINGS, REPO_ROOT, removeRepos } from '../model/fixture-repo.ts';

afterAll(removeRepos);

const NOW = new Date('2026-06-02T09:00:00Z');
const APP_TEXT = readFileSync(join(REPO_ROOT, APP_FILE), 'utf8');
const SETTINGS_TEXT = readFileSync(join(REPO_ROOT, PROD_SETTINGS), 'utf8');

function errors(repo: Repository, code?: string): Diagnostic[] {
  return validateRepository(repo, undefined, NOW).filter(
    (d) => d.severity === 'error' && (code === undefined || d.code === code),
  );
}

/** Every regular expression in schemas/: `pattern` values and `patternProperties` keys. */
function schemaPatterns(): Array<{ file: string; pattern: string }> {
  const out: Array<{ file: string; pattern: string }> = [];
  const walk = (file: string, node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(file, n);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value === 'string') out.push({ file, pattern: value });
      if (key === 'patternProperties' && value && typeof value === 'object')
        for (const p of Object.keys(value)) out.push({ file, pattern: p });
      walk(file, value);
    }
  };
  const dir = join(REPO_ROOT, 'schemas');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')))
    walk(file, JSON.parse(readFileSync(join(dir, file), 'utf8')));
  return out;
}

// Strings that make backtracking engines explode on nested or overlapping quantifiers: a long run
// of what a repeated group accepts, then one character that makes the whole match fail.
const HOSTILE = ['a', '0', ' ', 'aA0_-', 'https://a', '.a', '\t'].map(
  (run) => `${run.repeat(20_000)}!\u0000`,
);

describe('attack 9: schema patterns cannot stall loading', () => {
  const patterns = schemaPatterns();

  it('finds the patterns of every schema in schemas/', () => {
    expect(new Set(patterns.map((p) => p.file))).toEqual(
      new Set(readdirSync(join(REPO_ROOT, 'schemas')).filter((f) => f.endsWith('.json'))),
    );
    expect(patterns.length).toBeGreaterThan(15);
  });

  it('every pattern in schemas/ compiles for linear-time matching and finishes on hostile input', () => {
    for (const { file, pattern } of patterns) {
      const compiled = compileLinear(pattern);
      if (!compiled.ok) throw new Error(`${file}: ${compiled.reason}`);
      for (const text of HOSTILE) expect(typeof compiled.regexp.test(text)).toBe('boolean');
    }
  });

  it('keeps JavaScript’s meaning for the patterns flagops ships', () => {
    for (const { pattern } of patterns) {
      const linear = compileLinear(pattern);
      const native = new RegExp(pattern, 'u');
      for (const text of ['a', 'ab-c_1', 'https://x.example:8086/p', '> 5', ' >= 10.5 ', 'p99', 'A', '']) {
        expect(linear.ok && linear.regexp.test(text), `${pattern} on ${JSON.stringify(text)}`).toBe(
          native.test(text),
        );
      }
    }
  });

  it('a freeform schema with ^(a+)+$ loads and reports the mismatch instead of hanging', () => {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas/ons-app-settings.schema.json'), 'utf8'));
    schema.properties.influxdb.properties.organization.pattern = '^(a+)+$';
    // 2^40 paths for a backtracking engine; a linear one reads the string once.
    const settings = SETTINGS_TEXT.replace('organization: ons', `organization: "${'a'.repeat(40)}!"`);
    const repo = load({
      'schemas/ons-app-settings.schema.json': JSON.stringify(schema),
      [PROD_SETTINGS]: settings,
    });
    const found = errors(repo).filter((d) => d.position.file === PROD_SETTINGS);
    expect(found.map((d) => d.message).join('\n')).toMatch(/organization/);
  });

  it('an attribute pattern ^(a+)+$ in app.yaml is matched in linear time too', () => {
    const app = APP_TEXT.replace(
      /(influxdb_traffic_percentage:\n(?:.*\n)*?\s+attributes:\n)/,
      `$1      note: { type: string, pattern: "^(a+)+$" }\n`,
    );
    expect(app).not.toBe(APP_TEXT);
    const flags = `${APP_DIR}/production/feature-flags.yaml`;
    const values = readFileSync(join(REPO_ROOT, flags), 'utf8').replace(
      /(influxdb_traffic_percentage:\n\s+enabled: \w+\n)/,
      `$1  note: "${'a'.repeat(40)}!"\n`,
    );
    expect(values).toContain('!"');
    const found = errors(load({ [APP_FILE]: app, [flags]: values }), 'pattern');
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain('does not match the pattern ^(a+)+$');
  });

  it('refuses a lookahead in a freeform schema, naming the schema file and the fix', () => {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas/ons-app-settings.schema.json'), 'utf8'));
    schema.properties.influxdb.properties.organization.pattern = '^(?=o)ons$';
    const repo = load({ 'schemas/ons-app-settings.schema.json': JSON.stringify(schema) });
    const [d] = errors(repo, 'schema');
    expect(d?.position).toMatchObject({ file: APP_FILE });
    expect(d?.position.line).toBeGreaterThan(1);
    expect(d?.message).toContain('schemas/ons-app-settings.schema.json is not a usable JSON Schema');
    expect(d?.message).toContain('lookaround or a backreference');
  });

  it('refuses a backreference in an attribute pattern at its line, saying how to fix it', () => {
    const app = APP_TEXT.replace(
      /(influxdb_traffic_percentage:\n(?:.*\n)*?\s+attributes:\n)/,
      `$1      note: { type: string, pattern: "^(a)\\\\1$" }\n`,
    );
    const [d] = errors(load({ [APP_FILE]: app }), 'schema');
    expect(d?.position.file).toBe(APP_FILE);
    expect(APP_TEXT.split('\n').length + 1).toBeGreaterThan(d?.position.line ?? 0);
    expect(app.split('\n')[(d?.position.line ?? 1) - 1]).toContain('pattern');
    expect(d?.message).toContain('rewrite it without them');
  });
});

describe('attack 9: guard expressions within CloudWatch’s 2,048 characters', () => {
  const longValue = (n: number) => Array(n).fill('errors').join(' + ');

  it('refuses at validate a guard whose compiled expression is over the limit, at its value line', () => {
    // Each `errors` becomes `m_errors` in the alarm: the compiled form is what must fit.
    const terms = Math.floor(METRIC_MATH_EXPRESSION_LIMIT / 'errors + '.length);
    expect(longValue(terms).length).toBeLessThan(METRIC_MATH_EXPRESSION_LIMIT);
    const app = APP_TEXT.replace('value: 100 * errors / requests', `value: ${longValue(terms)}`);
    const [d] = errors(load({ [APP_FILE]: app }), 'expression-too-long');
    expect(d?.position.file).toBe(APP_FILE);
    expect(app.split('\n')[(d?.position.line ?? 1) - 1]).toContain('value: errors + errors');
    expect(d?.message).toMatch(/guard `influxdb-error-rate`: `value` becomes a [\d,]+-character metric-math/);
    expect(d?.message).toContain('CloudWatch allows at most 2,048');
    expect(d?.message).toContain('split it into two guards');
  });

  it('accepts a long expression that still fits once compiled', () => {
    const app = APP_TEXT.replace('value: 100 * errors / requests', `value: ${longValue(50)}`);
    expect(errors(load({ [APP_FILE]: app }), 'expression-too-long')).toEqual([]);
  });
});

describe('attack 9: a document that can never deploy fails the plan', () => {
  it('fails the plan with the size and what to do, at the values file', () => {
    // Backslashes double in JSON: a 0.6 MB values file compiles to a 1.2 MB document.
    const lines = Array(600)
      .fill(`    ${'\\'.repeat(1000)}`)
      .join('\n');
    const big = SETTINGS_TEXT.replace('organization: ons', `organization: |\n${lines}\n `);
    const base = load();
    const head = load({ [PROD_SETTINGS]: big });
    expect(head.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const plan = buildPlan(base, head, { now: NOW, baseLabel: 'main' });
    expect(plan.verdict).toBe('fail');
    const d = plan.diagnostics.find((x) => x.code === 'document-too-large');
    expect(d?.position.file).toBe(PROD_SETTINGS);
    expect(d?.message).toMatch(
      /compiles to 1,2\d\d,\d{3} bytes; AppConfig hosted configurations are limited/,
    );
    expect(renderMarkdown(plan)).toContain('AppConfig hosted configurations are limited to 1,048,576 bytes');
  });
});

describe('attack 9: change control fails closed at GitHub’s 3,000-file cap', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a production edit hidden behind 3,000 filler files gets a failed status that says why', async () => {
    const production = `${APP_DIR}/production/feature-flags.yaml`;
    const edit = readFileSync(join(h.seedDir, production), 'utf8').replace(
      'percentage: 0',
      'percentage: 100',
    );
    const { clone } = h.pushBranch('filler', { [production]: edit });
    // 3,000 filler files in one more commit, built with git's plumbing (one blob, one tree).
    const plumb = (input: string, ...args: string[]) =>
      execFileSync('git', args, { cwd: clone, env: GIT_ENV, input, encoding: 'utf8' }).trim();
    const blob = plumb('filler\n', 'hash-object', '-w', '--stdin');
    const names = Array.from({ length: LIST_FILES_CAP }, (_, i) => `${String(i).padStart(4, '0')}.md`);
    const filler = plumb(names.map((n) => `100644 blob ${blob}\t${n}\n`).join(''), 'mktree');
    const root = plumb(`${git(clone, 'ls-tree', 'HEAD')}\n040000 tree ${filler}\tfiller\n`, 'mktree');
    const sha = plumb('add filler\n', 'commit-tree', root, '-p', 'HEAD');
    git(clone, 'push', '--quiet', 'origin', `${sha}:refs/heads/filler`);
    const pr = await h.api('alice').pulls.create({ head: 'filler', base: 'main', title: 'docs', body: '' });

    // The sandbox lists at most 3,000 files, as GitHub does; changed_files counts them all.
    const listed = await h.octokit('alice').paginate(h.octokit('alice').rest.pulls.listFiles, {
      ...REPO,
      pull_number: pr.number,
      per_page: 100,
    });
    expect(listed).toHaveLength(LIST_FILES_CAP);
    const { data } = await h.octokit('alice').rest.pulls.get({ ...REPO, pull_number: pr.number });
    expect(data.changed_files).toBe(LIST_FILES_CAP + 1);

    const repository = load();
    await expect(runChangeControl(h.api('flagops[bot]'), repository, pr.number)).rejects.toThrow(
      /3,?001 files changed; GitHub lists at most 3000/,
    );
    const statuses = await h.octokit('alice').rest.repos.listCommitStatusesForRef({ ...REPO, ref: sha });
    const ours = statuses.data.find((s) => s.context === STATUS_CONTEXT);
    expect(ours?.state).toBe('failure');
    expect(ours?.description).toMatch(/^cannot judge: 3001 files changed; GitHub lists at most 3000/);
    expect(ours?.description?.length).toBeLessThanOrEqual(140);
  }, 120_000);
});

/**
 * Policy and plan over the real ONS application, loaded by the model's loader: the repository as it
 * is, and copies of it where a pull request edits production's values.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRepository } from '../../src/model/index.ts';
import { WorkingTreeSource } from '../../src/model/source.ts';
import type { Repository } from '../../src/model/types.ts';
import { buildPlan, renderMarkdown } from '../../src/plan/index.ts';
import { checkState } from '../../src/policy/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PRODUCTION_FLAGS = 'flags/ons-data-platform-app/production/feature-flags.yaml';
const NOW = new Date('2026-06-01T12:00:00Z');
const copies: string[] = [];

afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the repository's flags and schemas with production's values file rewritten. */
function repoWithProduction(edit: (text: string) => string): Repository {
  const dir = mkdtempSync(join(tmpdir(), 'flagops-plan-'));
  copies.push(dir);
  cpSync(join(ROOT, 'flags'), join(dir, 'flags'), { recursive: true });
  cpSync(join(ROOT, 'schemas'), join(dir, 'schemas'), { recursive: true });
  const file = join(dir, PRODUCTION_FLAGS);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return loadRepository(new WorkingTreeSource(dir));
}

const setQueries = (on: boolean) => (text: string) =>
  text.replace(
    /use_influxdb_for_api_queries:\s*\{ enabled: (true|false) \}/,
    `use_influxdb_for_api_queries: { enabled: ${on} }`,
  );
const setPercentage = (n: number) => (text: string) => text.replace(/percentage: \d+/, `percentage: ${n}`);

function lineOf(repo: Repository, pattern: RegExp): number {
  const text = readFileSync(join(repo.root, PRODUCTION_FLAGS), 'utf8');
  return text.split('\n').findIndex((l) => pattern.test(l)) + 1;
}

describe('the real repository', () => {
  it('loads without problems and passes the state rules', () => {
    const repo = loadRepository(new WorkingTreeSource(ROOT));
    expect(repo.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(checkState(repo)).toEqual([]);
  });

  it('plans phase 2 (queries on, 0 → 10) as a pass with production’s rollout and 2 approvals', () => {
    const base = repoWithProduction((t) => t);
    const head = repoWithProduction((t) => setPercentage(10)(setQueries(true)(t)));
    const plan = buildPlan(base, head, { now: NOW, baseLabel: 'main' });
    expect(plan.verdict).toBe('pass');
    expect(plan.targets.map((t) => t.id)).toEqual(['ons-data-platform-app/production/feature-flags']);
    expect(plan.targets[0]?.changes.map((c) => [c.flag, c.attribute, c.before, c.after])).toEqual([
      ['use_influxdb_for_api_queries', 'enabled', false, true],
      ['influxdb_traffic_percentage', 'percentage', 0, 10],
    ]);
    expect(plan.targets[0]?.rollout?.strategy.name).toBe('canary-10-percent');
    expect(plan.targets[0]?.rollout?.guards.map((g) => g.name)).toContain('influxdb-error-rate');
    expect(plan.approvals[0]?.approvals).toBe(2);
  });

  it('explains a comparative guard by what it compares and the budget it spends, not by a threshold', () => {
    const base = repoWithProduction((t) => t);
    const head = repoWithProduction((t) => setPercentage(10)(setQueries(true)(t)));
    const plan = buildPlan(base, head, { now: NOW, baseLabel: 'main' });
    const guard = plan.targets[0]?.rollout?.guards.find((g) => g.name === 'influxdb-latency-vs-timestream');
    expect(guard?.comparative).toBe(
      'rolls back when its mean for Backend=influxdb is shown above 1.2× that of Backend=timestream in the same minutes (always-valid sequential test, looked at every minute; false-rollback budget 5 % per rollout, split over 3 comparative guards × 4 steps)',
    );
    const markdown = renderMarkdown(plan);
    const line = markdown.split('\n').find((l) => l.includes('influxdb-latency-vs-timestream')) ?? '';
    expect(line).toContain('shown above 1.2×');
    expect(line).not.toContain('breach when');
    // A threshold guard still reads as one.
    expect(markdown).toMatch(/`influxdb-error-rate`: breach when `/);
  });

  it('fails 0 → 75 in production at the line of `percentage:`', () => {
    const base = repoWithProduction(setQueries(true));
    const head = repoWithProduction((t) => setPercentage(75)(setQueries(true)(t)));
    const plan = buildPlan(base, head, { now: NOW, baseLabel: 'main' });
    expect(plan.verdict).toBe('fail');
    const findings = plan.targets[0]?.findings ?? [];
    const maxIncrease = findings.find((f) => f.rule === 'max-increase');
    expect(maxIncrease?.position).toMatchObject({
      file: PRODUCTION_FLAGS,
      line: lineOf(head, /^\s*percentage:/),
    });
    expect(findings.some((f) => f.rule === 'promotion-order' && f.severity === 'error')).toBe(true);
    expect(renderMarkdown(plan).startsWith('## ❌ flagops plan: **fail**')).toBe(true);
  });

  it('fails a percentage above 0 while production’s queries are off', () => {
    const repo = repoWithProduction(setPercentage(10));
    const [finding] = checkState(repo);
    expect(finding).toMatchObject({
      rule: 'prerequisite',
      severity: 'error',
      position: { file: PRODUCTION_FLAGS },
    });
    expect(finding?.message).toContain('Enable use_influxdb_for_api_queries');
  });

  it('passes 50 → 0 in production inside the year-end freeze', () => {
    const base = repoWithProduction((t) => setPercentage(50)(setQueries(true)(t)));
    const head = repoWithProduction((t) => setPercentage(0)(setQueries(true)(t)));
    const plan = buildPlan(base, head, { now: new Date('2026-12-24T12:00:00Z'), baseLabel: 'main' });
    expect(plan.verdict).toBe('pass');
    expect(plan.targets[0]?.findings).toEqual([]);
    expect(plan.targets[0]?.onBreach).toContain('influxdb_traffic_percentage.percentage = 50');
  });
});

import { describe, expect, it } from 'vitest';
import {
  globMatcher,
  judgeCodeOwners,
  ownersOf,
  parseCodeOwners,
  teamsIn,
} from '../../src/approvals/codeowners.ts';

describe('CODEOWNERS patterns', () => {
  it.each([
    ['*', 'README.md', true],
    ['*', 'src/a/b.ts', true],
    ['/flags/*/production/', 'flags/app/production/feature-flags.yaml', true],
    ['/flags/*/production/', 'flags/app/development/feature-flags.yaml', false],
    ['/flags/*/app.yaml', 'flags/app/app.yaml', true],
    ['/flags/*/app.yaml', 'flags/app/x/app.yaml', false],
    ['/.github/', '.github/workflows/ci.yml', true],
    ['dist/', 'dist/actions/deploy/index.mjs', true],
    ['dist/', 'src/dist/x', true],
    ['/dist/', 'src/dist/x', false],
    ['docs/**/*.md', 'docs/a/b/c.md', true],
    ['docs/**/*.md', 'docs/c.md', true],
    ['package*.json', 'package-lock.json', true],
    ['/src', 'src/approvals/gate.ts', true],
    ['*.ts', 'src/a.ts', true],
    ['a.b', 'axb', false],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(globMatcher(pattern)(path)).toBe(expected);
  });

  it('a hostile pattern stays linear (no nested quantifiers are ever built)', () => {
    const match = globMatcher(`${'*'.repeat(50)}x`);
    expect(match(`${'a'.repeat(5000)}y`)).toBe(false);
  });
});

describe('CODEOWNERS ownership', () => {
  const rules = parseCodeOwners(
    [
      '# Everything outside the values files: platform leads',
      '*  @ons/platform-leads',
      '/flags/*/development/   # no owners: anyone with write access',
      '/flags/*/production/ @ons/platform-leads @Olivia',
    ].join('\n'),
  );

  it('the last matching line decides; a line without owners unowns', () => {
    expect(ownersOf(rules, 'src/x.ts')).toEqual(['@ons/platform-leads']);
    expect(ownersOf(rules, 'flags/app/development/feature-flags.yaml')).toEqual([]);
    expect(ownersOf(rules, 'flags/app/production/feature-flags.yaml')).toEqual([
      '@ons/platform-leads',
      '@Olivia',
    ]);
    expect(teamsIn(rules)).toEqual(['ons/platform-leads']);
  });

  const teams = new Map([['ons/platform-leads', new Set(['bob', 'carol', 'olivia'])]]);

  it.each([
    ['a team member approved', ['src/x.ts'], ['bob'], true],
    ['only someone outside the team approved', ['src/x.ts'], ['dave'], false],
    ['a listed user, in another case', ['flags/app/production/feature-flags.yaml'], ['olivia'], true],
    ['unowned paths need no owner', ['flags/app/development/feature-flags.yaml'], [], true],
    ['every owned path needs its owner', ['src/x.ts', 'flags/app/development/f.yaml'], [], false],
  ])('%s', (_label, paths, approvers, satisfied) => {
    expect(judgeCodeOwners(rules, paths, new Set(approvers), teams).satisfied).toBe(satisfied);
  });

  it('names the path and the owners that could approve it', () => {
    expect(judgeCodeOwners(rules, ['src/x.ts'], new Set(), teams).missing).toEqual([
      { path: 'src/x.ts', owners: ['@ons/platform-leads'] },
    ]);
  });
});

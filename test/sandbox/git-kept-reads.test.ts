import { describe, expect, it } from 'vitest';
import { fixedReadKey } from '../../packages/sandbox/src/github/git.ts';

const SHA = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);

describe("the sandbox's kept git answers", () => {
  it('keeps reads whose every revision is a full commit id, paths after -- aside', () => {
    for (const args of [
      ['show', `${SHA}:.github/workflows/deploy.yml`],
      ['rev-parse', '--verify', '--quiet', `${SHA}^{commit}`],
      ['ls-tree', '--name-only', `${SHA}:.github/workflows`],
      ['log', '-1', '--format=%an', SHA, '--', '.github/workflows/deploy.yml'],
      ['rev-list', '--count', `${SHA}..${OTHER}`],
      ['merge-base', '--is-ancestor', SHA, OTHER],
    ]) {
      expect(fixedReadKey(args), args.join(' ')).toBeDefined();
    }
  });

  it('asks git again for anything naming a ref, an abbreviated id, or that writes', () => {
    for (const args of [
      ['rev-parse', '--verify', '--quiet', 'refs/heads/main'],
      ['show', 'main:.github/workflows/deploy.yml'],
      ['rev-parse', '--verify', '--quiet', `${SHA.slice(0, 7)}^{commit}`],
      ['for-each-ref', '--format=%(refname)', 'refs/heads/'],
      ['update-ref', 'refs/heads/main', SHA],
      ['merge-tree', '--write-tree', SHA, OTHER],
      ['log', '--format=%H', `${SHA}..main`, '--'],
      ['rev-parse', '--verify'],
    ]) {
      expect(fixedReadKey(args), args.join(' ')).toBeUndefined();
    }
  });
});

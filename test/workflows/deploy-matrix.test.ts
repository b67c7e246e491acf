/** The deploy workflow's matrix, from the committed CLI bundle as the workflow runs it. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function matrix(env: Record<string, string>): {
  include: Array<{ application: string; environment: string }>;
} {
  const args = ['--before', env['BEFORE'] ?? '', '--app-name', env['APPLICATION'] ?? ''];
  args.push('--environment', env['ENVIRONMENT'] ?? '');
  const out = execFileSync(process.execPath, ['bin/flagops.mjs', 'deploy-targets', ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const line = out.split('\n').find((l) => l.startsWith('matrix='));
  return JSON.parse(line!.slice('matrix='.length));
}

describe('flagops deploy-targets', () => {
  it('deploys every environment when the push range is unknown (new branch)', () => {
    expect(matrix({ BEFORE: '0'.repeat(40) }).include.map((e) => e.environment)).toEqual([
      'development',
      'production',
    ]);
  });

  it('narrows a manual run to the environment asked for', () => {
    expect(matrix({ ENVIRONMENT: 'production' })).toEqual({
      include: [{ application: 'ons-data-platform-app', environment: 'production' }],
    });
  });

  it('deploys nothing for an application that does not exist', () => {
    expect(matrix({ APPLICATION: 'nope' })).toEqual({ include: [] });
  });
});

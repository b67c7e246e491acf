/** The deploy workflow's matrix script, run as the workflow runs it (inputs through env only). */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function matrix(env: Record<string, string>): {
  include: Array<{ application: string; environment: string }>;
} {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '.github/scripts/deploy-matrix.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
  });
  const line = out.split('\n').find((l) => l.startsWith('matrix='));
  return JSON.parse(line!.slice('matrix='.length));
}

describe('deploy matrix script', () => {
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

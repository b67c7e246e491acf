/**
 * The roles the workflows assume, declared once: `flagops bootstrap --print-roles` derives them
 * from app.yaml, the repository keeps that declaration in aws/iam-roles.json (the sandbox creates
 * its roles from that file), and each workflow's role variable names one of them.
 * Trust follows "Configuring OpenID Connect in Amazon Web Services"
 * (https://docs.github.com/en/actions/how-tos/secure-your-work/security-harden-deployments/oidc-in-aws):
 * `aud` sts.amazonaws.com and a `sub` per environment.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.ts';

const declared = () => JSON.parse(readFileSync(join(PROJECT_ROOT, 'aws/iam-roles.json'), 'utf8'));

describe('flagops bootstrap --print-roles', () => {
  it('prints what aws/iam-roles.json holds (regenerate it with the command when app.yaml changes)', async () => {
    const run = await runCli(['bootstrap', '--print-roles', '--repository', 'ons/flags']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(declared());
  });

  it('trusts the deploy role for each environment app.yaml names, and no role for a pull request', () => {
    const roles = declared().roles as Array<{
      RoleName: string;
      Variable: string;
      AssumeRolePolicyDocument: { Statement: Array<{ Condition: Record<string, Record<string, unknown>> }> };
    }>;
    const subjects = (name: string) =>
      [
        roles.find((r) => r.RoleName === name)!.AssumeRolePolicyDocument.Statement[0]!.Condition[
          'StringEquals'
        ]!['token.actions.githubusercontent.com:sub'],
      ].flat();
    expect(subjects('flagops-deploy')).toEqual([
      'repo:ons/flags:environment:development',
      'repo:ons/flags:environment:production',
    ]);
    expect(subjects('flagops-plan')).toEqual(['repo:ons/flags:environment:change-control']);
    for (const r of roles) expect(JSON.stringify(r.AssumeRolePolicyDocument)).not.toMatch(/pull_request|\*/);
  });

  it('declares every role variable the workflows read', () => {
    const workflows = ['deploy', 'drift', 'change-control', 'advance', 'watch'].map((w) =>
      readFileSync(join(PROJECT_ROOT, `.github/workflows/${w}.yml`), 'utf8'),
    );
    const used = new Set(
      workflows.flatMap((t) => [...t.matchAll(/vars\.(FLAGOPS_\w+_ROLE_ARN)/g)].map((m) => m[1])),
    );
    const variables = new Set((declared().roles as Array<{ Variable: string }>).map((r) => r.Variable));
    for (const v of used) expect(variables, v).toContain(v);
  });

  it('refuses a repository that is not OWNER/REPO, with exit code 2', async () => {
    const run = await runCli(['bootstrap', '--print-roles', '--repository', 'not a repo']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--repository must be OWNER/REPO');
  });
});

/**
 * The runner's aws-actions/configure-aws-credentials against the sandbox's IAM, as GitHub and AWS
 * document them:
 * - a job gets an OIDC token only with `permissions: id-token: write`
 *   (https://docs.github.com/en/actions/reference/security/oidc, "Adding permissions settings");
 * - the token's `sub` names the job's environment, else its ref
 *   (same page, "Example subject claims");
 * - the role's trust policy decides; a `sub` it does not list is refused with STS's
 *   "Not authorized to perform sts:AssumeRoleWithWebIdentity"
 *   (https://docs.github.com/en/actions/how-tos/secure-your-work/security-harden-deployments/oidc-in-aws);
 * - `aws-region` is a required input of the action: nothing fills it in.
 * The roles are declared in the seeded repository's aws/iam-roles.json, as this project declares its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './runner-harness.ts';

const CREDENTIALS = 'aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c';

function role(name: string, subjects: string[]) {
  return {
    Variable: `ROLE_${name}`,
    RoleName: name,
    Description: name,
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: {
            Federated: 'arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com',
          },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            StringLike: { 'token.actions.githubusercontent.com:sub': subjects },
          },
        },
      ],
    },
    Policies: [
      {
        PolicyName: name,
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'appconfig:List*', Resource: '*' }],
        },
      },
    ],
  };
}

const ROLES = {
  version: 1,
  repository: 'ons/flags',
  roles: [
    // A deploy role whose trust names another environment than the job's.
    role('deploy-development-only', ['repo:ons/flags:environment:development']),
    role('main-reader', ['repo:ons/flags:ref:refs/heads/main']),
  ],
};

const assume = (roleName: string, region = 'eu-west-2') => `
      - uses: ${CREDENTIALS}
        with:
          role-to-assume: arn:aws:iam::000000000000:role/${roleName}
          aws-region: "${region}"
      - run: echo "key kind ${'$'}{AWS_ACCESS_KEY_ID:0:4} in ${'$'}AWS_REGION"`;

const WORKFLOW = `name: oidc
on: push
permissions:
  contents: read
jobs:
  no-id-token:
    runs-on: ubuntu-24.04
    environment: development
    steps:
      - run: echo "token url [${'$'}{ACTIONS_ID_TOKEN_REQUEST_URL:-none}]"${assume('deploy-development-only')}
  production-with-development-role:
    runs-on: ubuntu-24.04
    environment: production
    permissions:
      id-token: write
    steps:${assume('deploy-development-only')}
  development:
    runs-on: ubuntu-24.04
    environment: development
    permissions:
      id-token: write
    steps:${assume('deploy-development-only')}
  no-region:
    runs-on: ubuntu-24.04
    environment: development
    permissions:
      id-token: write
    steps:${assume('deploy-development-only', '')}
  main-without-environment:
    runs-on: ubuntu-24.04
    permissions:
      id-token: write
    steps:${assume('main-reader')}
`;

let h: Harness;
const logs = new Map<string, { conclusion: string | null; log: string }>();

beforeAll(async () => {
  h = await startHarness({
    'README.md': '# oidc\n',
    'aws/iam-roles.json': JSON.stringify(ROLES),
    '.github/workflows/oidc.yml': WORKFLOW,
  });
  h.push('main', { 'note.txt': 'go\n' });
  await h.idle();
  const run = (await h.runs({ event: 'push' })).find((r) => r['path'] === '.github/workflows/oidc.yml');
  expect(run).toBeDefined();
  for (const job of await h.jobs(run!['id'] as number))
    logs.set(job.name, { conclusion: job.conclusion, log: await h.log(job['id'] as number) });
}, 180_000);

afterAll(async () => {
  await h?.close();
});

describe('configure-aws-credentials with OIDC', () => {
  it('a job without id-token: write gets no token and cannot assume a role', () => {
    const job = logs.get('no-id-token')!;
    expect(job.log).toContain('token url [none]');
    expect(job.log).toContain('Credentials could not be loaded');
    expect(job.conclusion).toBe('failure');
  });

  it('a role whose trust policy names another environment is refused', () => {
    const job = logs.get('production-with-development-role')!;
    expect(job.log).toContain(
      'Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity',
    );
    expect(job.log).not.toContain('key kind');
    expect(job.conclusion).toBe('failure');
  });

  it('the environment the trust names assumes the role, with temporary credentials in the region asked', () => {
    const job = logs.get('development')!;
    expect(job.log).toContain('key kind ASIA in eu-west-2');
    expect(job.conclusion).toBe('success');
  });

  it('a job without an environment is trusted by its ref', () => {
    const job = logs.get('main-without-environment')!;
    expect(job.log).toContain('key kind ASIA in eu-west-2');
    expect(job.conclusion).toBe('success');
  });

  it('no region is made up when the workflow gives none', () => {
    const job = logs.get('no-region')!;
    expect(job.log).toContain('Input required and not supplied: aws-region');
    expect(job.conclusion).toBe('failure');
  });
});

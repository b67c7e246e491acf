/**
 * The IAM roles the workflows assume through GitHub's OIDC provider, derived from app.yaml: who
 * may assume each (the trust policy's `sub`, one GitHub environment or `main`) and what it may do.
 * Pure data in the properties of CloudFormation's `AWS::IAM::Role` (`RoleName`,
 * `AssumeRolePolicyDocument`, `Policies`), so the declaration can be applied as it is.
 * `flagops bootstrap --print-roles` prints it; the README's set-up says where each role's ARN goes.
 *
 * Subjects follow GitHub's default format (docs.github.com, "OpenID Connect reference", example
 * subject claims): `repo:OWNER/REPO:environment:NAME` for a job that runs in an environment, else
 * `repo:OWNER/REPO:ref:refs/heads/BRANCH`. Trust is always StringEquals on both `aud` and `sub`:
 * no wildcard, so no pull request and no other branch can assume a role.
 */
import type { Repository } from '../model/types.ts';
import { ADVANCE_ENVIRONMENT, CHANGE_CONTROL_ENVIRONMENT, WATCH_ENVIRONMENT } from './settings.ts';

export const OIDC_ISSUER_HOST = 'token.actions.githubusercontent.com';
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Array<{
    Effect: 'Allow' | 'Deny';
    Action: string | string[];
    Principal?: { Federated: string };
    Resource?: string;
    Condition?: Record<string, Record<string, string | string[]>>;
  }>;
}

export interface RoleDeclaration {
  /** The repository variable a workflow reads the role's ARN from. */
  Variable: string;
  RoleName: string;
  Description: string;
  AssumeRolePolicyDocument: PolicyDocument;
  Policies: Array<{ PolicyName: string; PolicyDocument: PolicyDocument }>;
}

export interface RolesDeclaration {
  version: 1;
  repository: string;
  roles: RoleDeclaration[];
}

/** What reading AppConfig and CloudWatch takes (plan, status, drift, advance). */
const READ_ACTIONS = [
  'appconfig:List*',
  'appconfig:Get*',
  'appconfig:StartConfigurationSession',
  'cloudwatch:DescribeAlarms',
  'cloudwatch:GetMetricData',
  'cloudwatch:GetDashboard',
];
/** Releasing: a hosted version, a deployment with the environment's strategy, stopping it. */
const RELEASE_ACTIONS = [
  'appconfig:CreateHostedConfigurationVersion',
  'appconfig:CreateDeploymentStrategy',
  'appconfig:StartDeployment',
  'appconfig:StopDeployment',
];

export function awsRolesFor(repo: Repository, repository: string, account = '<account>'): RolesDeclaration {
  const deployEnvironments = [
    ...new Set(Object.values(repo.applications).flatMap((a) => a.environments.map((e) => e.name))),
  ].sort();
  const env = (name: string) => `repo:${repository}:environment:${name}`;
  const role = (
    name: string,
    variable: string,
    description: string,
    subjects: string[],
    actions: string[],
  ): RoleDeclaration => ({
    Variable: variable,
    RoleName: name,
    Description: description,
    AssumeRolePolicyDocument: trustPolicy(account, subjects),
    Policies: [{ PolicyName: name, PolicyDocument: allow(actions) }],
  });
  return {
    version: 1,
    repository,
    roles: [
      role(
        'flagops-deploy',
        'FLAGOPS_DEPLOY_ROLE_ARN',
        'deploy.yml: release, bake, roll back; its dashboard markers',
        deployEnvironments.map(env),
        [...READ_ACTIONS, ...RELEASE_ACTIONS, 'cloudwatch:PutDashboard'],
      ),
      role(
        'flagops-plan',
        'FLAGOPS_PLAN_ROLE_ARN',
        'change-control.yml: read what AppConfig serves (an automatic revert restores it)',
        [env(CHANGE_CONTROL_ENVIRONMENT)],
        READ_ACTIONS,
      ),
      role(
        'flagops-read',
        'FLAGOPS_READ_ROLE_ARN',
        'drift.yml (main), backtest.yml (workflow_run, main) and advance.yml: read AppConfig, alarms, metrics and dashboards',
        [`repo:${repository}:ref:refs/heads/main`, env(ADVANCE_ENVIRONMENT)],
        READ_ACTIONS,
      ),
      role(
        'flagops-watch',
        'FLAGOPS_WATCH_ROLE_ARN',
        'watch.yml: judge the soak and roll back (StopDeployment, or a redeploy of the previous version)',
        [env(WATCH_ENVIRONMENT)],
        [...READ_ACTIONS, 'appconfig:StartDeployment', 'appconfig:StopDeployment'],
      ),
    ],
  };
}

function trustPolicy(account: string, subjects: string[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/${OIDC_ISSUER_HOST}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${OIDC_ISSUER_HOST}:aud`]: STS_AUDIENCE,
            [`${OIDC_ISSUER_HOST}:sub`]: subjects.length === 1 ? subjects[0]! : subjects,
          },
        },
      },
    ],
  };
}

function allow(actions: string[]): PolicyDocument {
  // Resource "*": scoping to the application's ARNs is the operator's to add (README set-up).
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] };
}

/**
 * The repository's settings, set up the way the README tells a real one to be: who may do what
 * (collaborators and a team of code owners), the environments the deploy job runs in, the
 * repository variables and secrets the workflows read, the GitHub App that opens revert pull
 * requests, and the protection of `main`. Plain data inside the GitHub state, so `--state` keeps it.
 */
import { randomBytes } from 'node:crypto';

/** A collaborator's role, GitHub's names; `none` is what the permission endpoint says of nobody. */
export type RepoRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

export interface VariableRecord {
  name: string;
  value: string;
  createdAt: number;
  updatedAt: number;
}

/** Secrets keep their value for the runner; the API only ever shows names and times. */
export type SecretRecord = VariableRecord;

export interface EnvironmentRecord {
  id: number;
  name: string;
  /** Branch name patterns allowed to deploy to it; null = any branch. */
  deploymentBranches: string[] | null;
  /**
   * Required reviewers: one of them approves each job that references the environment before it
   * starts. Absent in older saved states (none).
   */
  reviewers?: EnvironmentReviewer[];
  /** Minutes a job that references the environment waits before it starts (0: none). */
  waitTimer?: number;
  /** The run's actor cannot approve its own job. */
  preventSelfReview?: boolean;
  variables: VariableRecord[];
  secrets: SecretRecord[];
  createdAt: number;
  updatedAt: number;
}

/** A required reviewer of an environment: a person by login, or a team by slug. */
export interface EnvironmentReviewer {
  type: 'User' | 'Team';
  name: string;
}

export interface TeamRecord {
  id: number;
  slug: string;
  name: string;
  members: string[];
  /** The team's role on this repository. */
  permission: RepoRole;
}

export interface AppRecord {
  id: number;
  slug: string;
  name: string;
  clientId: string;
  installationId: number;
  /** What the installation was granted; installation tokens ask for a subset. */
  permissions: Record<string, 'read' | 'write'>;
}

export interface ProtectionRecord {
  branch: string;
  requiredStatusChecks: {
    strict: boolean;
    contexts: string[];
    /** Per context, the app that must provide it (null: any). Absent in older saved states. */
    checks?: { context: string; appId: number | null }[];
  } | null;
  requiredReviews: {
    count: number;
    dismissStale: boolean;
    codeOwners: boolean;
    lastPushApproval: boolean;
  } | null;
  enforceAdmins: boolean;
}

export interface RepoSettings {
  /** Collaborators by login (the organisation's owner-level people included). */
  collaborators: Record<string, RepoRole>;
  /** Teams of the owning organisation, by slug. */
  teams: TeamRecord[];
  environments: EnvironmentRecord[];
  variables: VariableRecord[];
  secrets: SecretRecord[];
  app: AppRecord;
  protection: ProtectionRecord[];
}

/** The check `flagops protect` requires: the App's change-control verdict (it carries the plan's policy). */
export const REQUIRED_CHECKS = ['flagops/change-control'];

export interface SettingsOptions {
  owner: string;
  name: string;
  region: string;
  now: number;
  /** Protect `main` as the README says (required checks and one approval). */
  protectMain: boolean;
}

export function defaultSettings(o: SettingsOptions): RepoSettings {
  const at = { createdAt: o.now, updatedAt: o.now };
  const variable = (name: string, value: string): VariableRecord => ({ name, value, ...at });
  // Small fixed ids: settings exist before any other object is numbered.
  // Not a real key: the sandbox's App only checks that the workflow passes this exact value.
  const appKey = variable('FLAGOPS_APP_PRIVATE_KEY', sandboxPrivateKey());
  const environment = (name: string, id: number): EnvironmentRecord => ({
    id,
    name,
    deploymentBranches: ['main'],
    variables: [],
    secrets: [appKey],
    ...at,
  });
  const app: AppRecord = {
    id: 424242,
    slug: 'flagops',
    name: 'flagops',
    clientId: 'Iv23liFlagopsSandbox',
    installationId: 4242,
    // What the README asks the App for: change control posts its status and reads team members
    // and the bake records; the watch writes bake records (deployments); a healthy bake dispatches
    // advance.yml (actions).
    permissions: {
      actions: 'write',
      contents: 'write',
      pull_requests: 'write',
      issues: 'write',
      statuses: 'write',
      members: 'read',
      deployments: 'write',
      metadata: 'read',
    },
  };
  return {
    collaborators: {
      alice: 'write',
      bob: 'write',
      carol: 'write',
      dave: 'write',
      olivia: 'admin',
      erin: 'read',
    },
    teams: [
      {
        id: 201,
        slug: 'platform-leads',
        name: 'platform-leads',
        members: ['bob', 'carol', 'olivia'],
        permission: 'write',
      },
    ],
    // As `flagops protect --apply` leaves them: every environment a job that mints the App's token
    // runs in holds its key, for runs on main only — never a repository secret, which a workflow on
    // a pull request's branch could read.
    environments: [
      environment('development', 101),
      environment('production', 102),
      environment('change-control', 103),
      environment('flagops-watch', 104),
      environment('flagops-advance', 105),
    ],
    variables: [
      variable('FLAGOPS_DEPLOY_ROLE_ARN', 'arn:aws:iam::000000000000:role/flagops-deploy'),
      // The README's optional read-only plan role: change control confirms that an automatic
      // revert restores what AppConfig serves, so the revert needs only its own approvals.
      variable('FLAGOPS_PLAN_ROLE_ARN', 'arn:aws:iam::000000000000:role/flagops-plan'),
      variable('FLAGOPS_READ_ROLE_ARN', 'arn:aws:iam::000000000000:role/flagops-read'),
      variable('FLAGOPS_WATCH_ROLE_ARN', 'arn:aws:iam::000000000000:role/flagops-watch'),
      variable('AWS_REGION', o.region),
      variable('FLAGOPS_APP_CLIENT_ID', app.clientId),
    ],
    secrets: [],
    app,
    protection: o.protectMain
      ? [
          {
            branch: 'main',
            // What `flagops protect --apply` sets (src/protect/settings.ts): the App's verdict as
            // the one required check, bound to the App, and reviews that cannot go stale.
            requiredStatusChecks: {
              strict: true,
              contexts: [...REQUIRED_CHECKS],
              checks: REQUIRED_CHECKS.map((context) => ({ context, appId: app.id })),
            },
            requiredReviews: { count: 1, dismissStale: true, codeOwners: true, lastPushApproval: true },
            enforceAdmins: true,
          },
        ]
      : [],
  };
}

function sandboxPrivateKey(): string {
  const body = randomBytes(48).toString('base64');
  return `-----BEGIN SANDBOX PRIVATE KEY-----\n${body}\n-----END SANDBOX PRIVATE KEY-----\n`;
}

const RANK: Record<RepoRole, number> = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

export function atLeast(role: RepoRole | 'none', wanted: RepoRole): boolean {
  return role !== 'none' && RANK[role] >= RANK[wanted];
}

/**
 * A person's role on the repository: their own or their teams', the higher wins. Anyone else can
 * read, since the sandbox's repository is public.
 */
export function roleOf(settings: RepoSettings, login: string): RepoRole {
  const roles: RepoRole[] = ['read'];
  const own = lookup(settings.collaborators, login);
  if (own) roles.push(own);
  for (const team of settings.teams)
    if (team.members.some((m) => m.toLowerCase() === login.toLowerCase())) roles.push(team.permission);
  return roles.reduce((best, r) => (RANK[r] > RANK[best] ? r : best));
}

/** Whether `login` is a collaborator (directly or through a team); strangers are not. */
export function isCollaborator(settings: RepoSettings, login: string): boolean {
  return (
    lookup(settings.collaborators, login) !== undefined ||
    settings.teams.some((t) => t.members.some((m) => m.toLowerCase() === login.toLowerCase()))
  );
}

/**
 * The spelling the repository knows a login by (its collaborator entry or a team's member list),
 * so a token naming `ALICE` acts as the account `alice` everywhere, as on GitHub.
 */
export function canonicalLogin(settings: RepoSettings, login: string): string {
  const lower = login.toLowerCase();
  const known = [...Object.keys(settings.collaborators), ...settings.teams.flatMap((t) => t.members)];
  return known.find((k) => k.toLowerCase() === lower) ?? login;
}

function lookup<T>(map: Record<string, T>, login: string): T | undefined {
  const key = Object.keys(map).find((k) => k.toLowerCase() === login.toLowerCase());
  return key === undefined ? undefined : map[key];
}

/** GitHub's simple permission name for a role (`maintain` reads as write, `triage` as read). */
export function simplePermission(role: RepoRole | 'none'): 'admin' | 'write' | 'read' | 'none' {
  if (role === 'admin') return 'admin';
  if (role === 'maintain' || role === 'write') return 'write';
  if (role === 'none') return 'none';
  return 'read';
}

/** `fnmatch`-style branch patterns as deployment branch policies use them (`*` within a segment). */
export function branchAllowed(patterns: string[] | null, branch: string): boolean {
  if (patterns === null) return true;
  return patterns.some((p) => {
    const re = new RegExp(
      `^${p
        .split('**')
        .map((part) =>
          part
            .split('*')
            .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]*'),
        )
        .join('.*')}$`,
    );
    return re.test(branch);
  });
}

/**
 * Every route of the sandbox's GitHub, driven with real Octokit calls, answers what GitHub's
 * published REST description (`@octokit/openapi`, api.github.com) documents for that operation: a
 * documented status, and a body valid against that status's schema (required members, types,
 * formats). Other clients than flagops (the `gh` CLI, Octokit plugins, other actions) read members
 * flagops never does, so the whole documented shape is what counts. The last test checks that the
 * calls reached every route of the router's table; a route not driven needs its reason below.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord, RunRecord } from '../../packages/sandbox/src/actions/records.ts';
import { SimClock } from '../../packages/sandbox/src/clock.ts';
import type { Route } from '../../packages/sandbox/src/github/router.ts';
import { matchRoute } from '../../packages/sandbox/src/github/router.ts';
import { createGitHub, type GitHubService, ROUTES } from '../../packages/sandbox/src/github/service.ts';
import { type RunningServer, startServer } from '../../packages/sandbox/src/server.ts';
import { git } from '../helpers/git.ts';
import { type GitHubDescription, githubDescription } from '../helpers/github-openapi.ts';

type Octokit = ReturnType<typeof getOctokit>;
type Params = Record<string, unknown>;

const owner = 'ons';
const repo = 'flags';
const START = Date.parse('2026-03-01T09:00:00Z');

/** Routes no call below reaches, each with its reason. */
const NOT_DRIVEN: Record<string, string> = {
  // Only a run held by an environment's reviewers has pending deployments: that test checks both
  // answers against this same description.
  'GET /repos/:owner/:repo/actions/runs/:run_id/pending_deployments':
    'test/actions/environment-protection.test.ts',
  'POST /repos/:owner/:repo/actions/runs/:run_id/pending_deployments':
    'test/actions/environment-protection.test.ts',
  // A fork needs an account other than the owner and a second repository: that test checks the
  // answer against this same description.
  'POST /repos/:owner/:repo/forks': 'test/actions/fork-pulls.test.ts',
  // GraphQL is no REST operation: its two mutations are tested there.
  'POST /graphql': 'test/actions/ready-for-review.test.ts',
};

let tmp: string;
let server: RunningServer;
let github: GitHubService;
let description: GitHubDescription;
const reached = new Set<Route>();
const saved: Record<string, unknown> = {};

function client(token: string): Octokit {
  return getOctokit(token, { baseUrl: `${server.url}/github` });
}
const as = {
  admin: () => client('sandbox-user-olivia'),
  author: () => client('sandbox-user-alice'),
  reviewer: () => client('sandbox-user-bob'),
  other: () => client('sandbox-user-carol'),
  app: () => client('sandbox-bot-flagops'),
};

interface Answer {
  status: number;
  data: unknown;
}

/**
 * Calls `scope.method` of Octokit's REST methods and checks the answer against the description of
 * the operation Octokit sends it to. Redirects are not followed, so a 302 is seen as GitHub sends it.
 */
async function call(
  who: Octokit,
  operation: string,
  params: Params,
): Promise<Answer & { problems: string[] }> {
  const [scope = '', name = ''] = operation.split('.');
  type Endpoint = ((p: Params) => { url: string }) & { DEFAULTS: { url: string; method: string } };
  const rest = who.rest as unknown as Record<
    string,
    Record<string, ((p: Params) => Promise<Answer>) & { endpoint: Endpoint }>
  >;
  const fn = rest[scope]?.[name];
  if (!fn) throw new Error(`Octokit has no ${operation}`);
  const { url: template, method } = fn.endpoint.DEFAULTS;
  const request = fn.endpoint({ owner, repo, ...params });
  let answer: Answer;
  try {
    const res = await fn({ owner, repo, ...params, request: { redirect: 'manual' } });
    answer = { status: res.status, data: res.data };
  } catch (err) {
    const e = err as { status?: number; response?: { data: unknown } };
    if (typeof e.status !== 'number') throw err;
    answer = { status: e.status, data: e.response?.data };
  }
  const path = new URL(request.url).pathname.replace(/^\/github/, '');
  const problems: string[] = [];
  const match = matchRoute(ROUTES, method, path);
  if (!match) problems.push(`${method} ${path} reached no route`);
  else if (match.route.operation !== operation)
    problems.push(`${method} ${path} reached ${match.route.operation} (${match.route.path})`);
  else reached.add(match.route);
  const check = description.check(method, template, answer.status, answer.data);
  for (const e of check.errors ?? []) problems.push(`${answer.status}: ${e}`);
  return { ...answer, problems };
}

/** One documented call: its name says what it exercises; `expected` is the status it must get. */
function step(
  title: string,
  who: () => Octokit,
  operation: string,
  params: () => Params,
  expected: number,
  keep?: (data: unknown) => void,
) {
  it(`${operation} ${expected}: ${title}`, async () => {
    const answer = await call(who(), operation, params());
    keep?.(answer.data);
    expect(answer.problems).toEqual([]);
    expect(answer.status).toBe(expected);
  });
}

const id = (key: string) => saved[key] as number;
const sha = (key: string) => saved[key] as string;

beforeAll(async () => {
  const started = performance.now();
  description = githubDescription();
  console.info(
    `GitHub's REST description loaded in ${Math.round(description.loadMs)} ms (${Math.round(performance.now() - started)} ms with the modules)`,
  );
  tmp = mkdtempSync(join(tmpdir(), 'flagops-openapi-'));
  const seed = join(tmp, 'seed');
  mkdirSync(join(seed, 'flags', 'app'), { recursive: true });
  mkdirSync(join(seed, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(seed, 'README.md'), '# flags\n');
  writeFileSync(join(seed, 'flags', 'app', 'production.yaml'), 'percentage: 10\n');
  writeFileSync(
    join(seed, '.github', 'workflows', 'ci.yml'),
    'on: workflow_dispatch\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ok\n',
  );
  server = await startServer({
    clock: new SimClock({ start: START, speed: 0 }),
    services: (ctx) => {
      github = createGitHub(ctx, {
        workDir: join(tmp, 'work'),
        seedDir: seed,
        repository: `${owner}/${repo}`,
      });
      return [github];
    },
  });
  const clone = join(tmp, 'clone');
  git(tmp, 'clone', '--quiet', github.gitRemote, clone);
  saved['main'] = git(clone, 'rev-parse', 'HEAD');
  git(clone, 'checkout', '--quiet', '-b', 'feature');
  writeFileSync(join(clone, 'flags', 'app', 'production.yaml'), 'percentage: 25\n');
  git(clone, 'commit', '--quiet', '-am', 'Raise production to 25 %');
  git(clone, 'push', '--quiet', 'origin', 'feature');
  saved['feature'] = git(clone, 'rev-parse', 'HEAD');
  addWorkflowRun(github, sha('main'));
  // Set as the settings page would: the API takes secrets only encrypted with the repository's key.
  const at = github.world.now();
  github.world.state.settings.secrets.push({
    name: 'SLACK_WEBHOOK',
    value: 'x',
    createdAt: at,
    updatedAt: at,
  });
  github.world.state.settings.environments
    .find((e) => e.name === 'production')
    ?.secrets.push({ name: 'DEPLOY_KEY', value: 'x', createdAt: at, updatedAt: at });
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/**
 * A finished run of ci.yml with one job, as the sandbox's workflow runner records it. The runner
 * itself is not started here: these tests are about how runs are rendered, not how they execute.
 */
function addWorkflowRun(service: GitHubService, head: string): void {
  const world = service.world;
  const t = world.now();
  const run: RunRecord = {
    id: world.nextId(),
    runNumber: 1,
    name: 'ci',
    path: '.github/workflows/ci.yml',
    workflowId: 1,
    event: 'workflow_dispatch',
    displayTitle: 'ci',
    status: 'completed',
    conclusion: 'success',
    headSha: head,
    headBranch: 'main',
    sha: head,
    ref: 'refs/heads/main',
    actor: 'olivia',
    pullRequests: [],
    createdAt: t,
    updatedAt: t,
    startedAt: t,
    concurrencyGroup: null,
  };
  const job: JobRecord = {
    id: world.nextId(),
    runId: run.id,
    key: 'ci',
    name: 'ci',
    status: 'completed',
    conclusion: 'success',
    headSha: head,
    headBranch: 'main',
    createdAt: t,
    startedAt: t,
    completedAt: t,
    steps: [
      {
        number: 1,
        name: 'Run echo ok',
        status: 'completed',
        conclusion: 'success',
        startedAt: t,
        completedAt: t,
      },
    ],
    labels: ['ubuntu-latest'],
    checkRunId: null,
    log: ['ok'],
    summary: '',
    annotations: [],
  };
  world.state.workflowRuns.push(run);
  world.state.workflowJobs.push(job);
  saved['run'] = run.id;
  saved['job'] = job.id;
}

describe("the sandbox's GitHub against GitHub's OpenAPI description", () => {
  describe('users and the repository', () => {
    step('a person', as.admin, 'users.getAuthenticated', () => ({}), 200);
    step('the repository', as.admin, 'repos.get', () => ({}), 200);
    step('branches', as.admin, 'repos.listBranches', () => ({}), 200);
    step('main', as.admin, 'repos.getBranch', () => ({ branch: 'main' }), 200);
    step('a missing branch', as.admin, 'repos.getBranch', () => ({ branch: 'nope' }), 404);
    step('a commit', as.admin, 'repos.getCommit', () => ({ ref: sha('feature') }), 200);
    step('history', as.admin, 'repos.listCommits', () => ({ sha: 'feature' }), 200);
    step('a missing commit', as.admin, 'repos.getCommit', () => ({ ref: 'f'.repeat(40) }), 422);
    step('a file', as.admin, 'repos.getContent', () => ({ path: 'flags/app/production.yaml' }), 200);
    step('a directory', as.admin, 'repos.getContent', () => ({ path: 'flags/app' }), 200);
    step('the root', as.admin, 'repos.getContent', () => ({ path: '' }), 200);
    step('a missing file', as.admin, 'repos.getContent', () => ({ path: 'nope.yaml' }), 404);
    step(
      'a comparison',
      as.admin,
      'repos.compareCommitsWithBasehead',
      () => ({ basehead: 'main...feature' }),
      200,
    );
  });

  describe('git refs', () => {
    step('a branch ref', as.admin, 'git.getRef', () => ({ ref: 'heads/main' }), 200);
    step('matching refs', as.admin, 'git.listMatchingRefs', () => ({ ref: 'heads/' }), 200);
    step('a new ref', as.admin, 'git.createRef', () => ({ ref: 'refs/heads/tmp', sha: sha('main') }), 201);
    step(
      'an existing ref',
      as.admin,
      'git.createRef',
      () => ({ ref: 'refs/heads/tmp', sha: sha('main') }),
      422,
    );
    step('moving a ref', as.admin, 'git.updateRef', () => ({ ref: 'heads/tmp', sha: sha('feature') }), 200);
    step('deleting a ref', as.admin, 'git.deleteRef', () => ({ ref: 'heads/tmp' }), 204);
    step('a missing ref', as.admin, 'git.getRef', () => ({ ref: 'heads/tmp' }), 404);
  });

  describe('people and teams', () => {
    step('collaborators', as.admin, 'repos.listCollaborators', () => ({}), 200);
    step(
      'a permission',
      as.admin,
      'repos.getCollaboratorPermissionLevel',
      () => ({ username: 'alice' }),
      200,
    );
    step('a collaborator', as.admin, 'repos.checkCollaborator', () => ({ username: 'alice' }), 204);
    step('a stranger', as.admin, 'repos.checkCollaborator', () => ({ username: 'mallory' }), 404);
    step(
      'adding one',
      as.admin,
      'repos.addCollaborator',
      () => ({ username: 'frank', permission: 'push' }),
      201,
    );
    step('removing one', as.admin, 'repos.removeCollaborator', () => ({ username: 'frank' }), 204);
    step('teams', as.admin, 'repos.listTeams', () => ({}), 200);
    step(
      'team members',
      as.admin,
      'teams.listMembersInOrg',
      () => ({ org: owner, team_slug: 'platform-leads' }),
      200,
    );
    step(
      'a membership',
      as.admin,
      'teams.getMembershipForUserInOrg',
      () => ({ org: owner, team_slug: 'platform-leads', username: 'bob' }),
      200,
    );
  });

  describe('variables, secrets and environments', () => {
    step('repository variables', as.admin, 'actions.listRepoVariables', () => ({}), 200);
    step('a new variable', as.admin, 'actions.createRepoVariable', () => ({ name: 'X', value: '1' }), 201);
    step('a variable', as.admin, 'actions.getRepoVariable', () => ({ name: 'X' }), 200);
    step('changing it', as.admin, 'actions.updateRepoVariable', () => ({ name: 'X', value: '2' }), 204);
    step('deleting it', as.admin, 'actions.deleteRepoVariable', () => ({ name: 'X' }), 204);
    step('repository secrets', as.admin, 'actions.listRepoSecrets', () => ({}), 200);
    step('a secret', as.admin, 'actions.getRepoSecret', () => ({ secret_name: 'SLACK_WEBHOOK' }), 200);
    step('environments', as.admin, 'repos.getAllEnvironments', () => ({}), 200);
    step('an environment', as.admin, 'repos.getEnvironment', () => ({ environment_name: 'production' }), 200);
    step(
      'a new environment',
      as.admin,
      'repos.createOrUpdateEnvironment',
      () => ({ environment_name: 'staging' }),
      200,
    );
    step(
      'branch policies',
      as.admin,
      'repos.listDeploymentBranchPolicies',
      () => ({ environment_name: 'production' }),
      200,
    );
    const env =
      (more: Params = {}) =>
      () => ({ environment_name: 'staging', ...more });
    step('environment variables', as.admin, 'actions.listEnvironmentVariables', env(), 200);
    step('a new one', as.admin, 'actions.createEnvironmentVariable', env({ name: 'Y', value: '1' }), 201);
    step('that one', as.admin, 'actions.getEnvironmentVariable', env({ name: 'Y' }), 200);
    step('changing it', as.admin, 'actions.updateEnvironmentVariable', env({ name: 'Y', value: '2' }), 204);
    step('deleting it', as.admin, 'actions.deleteEnvironmentVariable', env({ name: 'Y' }), 204);
    const production =
      (more: Params = {}) =>
      () => ({ environment_name: 'production', ...more });
    step('environment secrets', as.admin, 'actions.listEnvironmentSecrets', production(), 200);
    step('one', as.admin, 'actions.getEnvironmentSecret', production({ secret_name: 'DEPLOY_KEY' }), 200);
    step('deleting the environment', as.admin, 'repos.deleteAnEnvironment', env(), 204);
  });

  describe('branch protection', () => {
    step('unprotected', as.admin, 'repos.getBranchProtection', () => ({ branch: 'main' }), 404);
    step(
      'protecting main',
      as.admin,
      'repos.updateBranchProtection',
      () => ({
        branch: 'main',
        required_status_checks: { strict: true, contexts: ['validate and plan'] },
        enforce_admins: true,
        required_pull_request_reviews: { required_approving_review_count: 1 },
        restrictions: null,
      }),
      200,
    );
    step('protected', as.admin, 'repos.getBranchProtection', () => ({ branch: 'main' }), 200);
    step('unprotecting', as.admin, 'repos.deleteBranchProtection', () => ({ branch: 'main' }), 204);
  });

  describe('checks, statuses and deployments', () => {
    step(
      'a check run',
      as.app,
      'checks.create',
      () => ({ name: 'validate and plan', head_sha: sha('feature'), status: 'in_progress' }),
      201,
      (d) => {
        saved['check'] = (d as { id: number }).id;
      },
    );
    step(
      'finishing it',
      as.app,
      'checks.update',
      () => ({
        check_run_id: id('check'),
        conclusion: 'success',
        output: { title: 'plan', summary: 'no change' },
      }),
      200,
    );
    step('that check run', as.app, 'checks.get', () => ({ check_run_id: id('check') }), 200);
    step('check runs of a commit', as.app, 'checks.listForRef', () => ({ ref: sha('feature') }), 200);
    step(
      'a status',
      as.app,
      'repos.createCommitStatus',
      () => ({
        sha: sha('feature'),
        state: 'pending',
        context: 'flagops/change-control',
        description: 'waiting',
      }),
      201,
    );
    step('the combined status', as.app, 'repos.getCombinedStatusForRef', () => ({ ref: 'feature' }), 200);
    step('statuses of a ref', as.app, 'repos.listCommitStatusesForRef', () => ({ ref: 'feature' }), 200);
    step(
      'a deployment',
      as.app,
      'repos.createDeployment',
      () => ({ ref: 'main', environment: 'production', required_contexts: [], auto_merge: false }),
      201,
      (d) => {
        saved['deployment'] = (d as { id: number }).id;
      },
    );
    step('deployments', as.app, 'repos.listDeployments', () => ({}), 200);
    step('that deployment', as.app, 'repos.getDeployment', () => ({ deployment_id: id('deployment') }), 200);
    step(
      'its status',
      as.app,
      'repos.createDeploymentStatus',
      () => ({ deployment_id: id('deployment'), state: 'success' }),
      201,
    );
    step(
      'its statuses',
      as.app,
      'repos.listDeploymentStatuses',
      () => ({ deployment_id: id('deployment') }),
      200,
    );
    step(
      'a second deployment',
      as.app,
      'repos.createDeployment',
      () => ({ ref: 'main', environment: 'production', required_contexts: [], auto_merge: false }),
      201,
    );
    // GitHub: with more than one deployment, only an inactive one may be deleted.
    step(
      'deleting the first while it is active',
      as.app,
      'repos.deleteDeployment',
      () => ({ deployment_id: id('deployment') }),
      422,
    );
    step(
      'marking it inactive',
      as.app,
      'repos.createDeploymentStatus',
      () => ({ deployment_id: id('deployment'), state: 'inactive' }),
      201,
    );
    step('deleting it', as.app, 'repos.deleteDeployment', () => ({ deployment_id: id('deployment') }), 204);
    step('it is gone', as.app, 'repos.getDeployment', () => ({ deployment_id: id('deployment') }), 404);
  });

  describe('workflows', () => {
    step('workflows', as.admin, 'actions.listRepoWorkflows', () => ({}), 200);
    step(
      'dispatching one',
      as.admin,
      'actions.createWorkflowDispatch',
      () => ({ workflow_id: 'ci.yml', ref: 'main' }),
      204,
    );
    step('runs', as.admin, 'actions.listWorkflowRunsForRepo', () => ({}), 200);
    step('a run', as.admin, 'actions.getWorkflowRun', () => ({ run_id: id('run') }), 200);
    step('its jobs', as.admin, 'actions.listJobsForWorkflowRun', () => ({ run_id: id('run') }), 200);
    step('a job', as.admin, 'actions.getJobForWorkflowRun', () => ({ job_id: id('job') }), 200);
    step('its log', as.admin, 'actions.downloadJobLogsForWorkflowRun', () => ({ job_id: id('job') }), 302);
  });

  describe('pull requests and reviews', () => {
    const pull =
      (more: Params = {}) =>
      () => ({ pull_number: id('pull'), ...more });
    step(
      'opening one',
      as.author,
      'pulls.create',
      () => ({ title: 'Raise production to 25 %', head: 'feature', base: 'main', body: 'why' }),
      201,
      (d) => {
        saved['pull'] = (d as { number: number }).number;
      },
    );
    step(
      'without a head',
      as.author,
      'pulls.create',
      () => ({ title: 't', head: 'nope', base: 'main' }),
      422,
    );
    step('pull requests', as.author, 'pulls.list', () => ({}), 200);
    step('one', as.author, 'pulls.get', pull(), 200);
    step('editing it', as.author, 'pulls.update', pull({ body: 'because' }), 200);
    step('its files', as.author, 'pulls.listFiles', pull(), 200);
    step('its commits', as.author, 'pulls.listCommits', pull(), 200);
    step('not merged', as.author, 'pulls.checkIfMerged', pull(), 404);
    step(
      'asking for a review',
      as.author,
      'pulls.requestReviewers',
      pull({ reviewers: ['bob', 'carol'] }),
      201,
    );
    step('who was asked', as.author, 'pulls.listRequestedReviewers', pull(), 200);
    step('asking one less', as.author, 'pulls.removeRequestedReviewers', pull({ reviewers: ['carol'] }), 200);
    step('an approval', as.reviewer, 'pulls.createReview', pull({ event: 'APPROVE' }), 200, (d) => {
      saved['review'] = (d as { id: number }).id;
    });
    step('a pending review', as.other, 'pulls.createReview', pull({ body: 'looking' }), 200, (d) => {
      saved['pending'] = (d as { id: number }).id;
    });
    step(
      'submitting it',
      as.other,
      'pulls.submitReview',
      () => ({ pull_number: id('pull'), review_id: id('pending'), event: 'COMMENT', body: 'fine' }),
      200,
    );
    step('reviews', as.author, 'pulls.listReviews', pull(), 200);
    step(
      'a review',
      as.author,
      'pulls.getReview',
      () => ({ pull_number: id('pull'), review_id: id('review') }),
      200,
    );
    step(
      'dismissing it',
      as.admin,
      'pulls.dismissReview',
      () => ({ pull_number: id('pull'), review_id: id('review'), message: 'stale' }),
      200,
    );
    step('an approval again', as.reviewer, 'pulls.createReview', pull({ event: 'APPROVE' }), 200);
    step('merging', as.admin, 'pulls.merge', pull({ merge_method: 'squash' }), 200);
    step('merged', as.author, 'pulls.checkIfMerged', pull(), 204);
  });

  describe('issues, comments and labels', () => {
    const issue =
      (more: Params = {}) =>
      () => ({ issue_number: id('issue'), ...more });
    step('a label', as.admin, 'issues.createLabel', () => ({ name: 'flagops:drift', color: 'd73a4a' }), 201);
    step('labels', as.admin, 'issues.listLabelsForRepo', () => ({}), 200);
    step('that label', as.admin, 'issues.getLabel', () => ({ name: 'flagops:drift' }), 200);
    step(
      'an issue',
      as.admin,
      'issues.create',
      () => ({ title: 'Drift', body: 'production drifted', labels: ['flagops:drift'] }),
      201,
      (d) => {
        saved['issue'] = (d as { number: number }).number;
      },
    );
    step('issues', as.admin, 'issues.listForRepo', () => ({ state: 'all' }), 200);
    step('that issue', as.admin, 'issues.get', issue(), 200);
    step('a pull request as an issue', as.admin, 'issues.get', () => ({ issue_number: id('pull') }), 200);
    step('editing it', as.admin, 'issues.update', issue({ state: 'closed' }), 200);
    step(
      'a comment',
      as.admin,
      'issues.createComment',
      () => ({ issue_number: id('pull'), body: 'plan' }),
      201,
      (d) => {
        saved['comment'] = (d as { id: number }).id;
      },
    );
    step('comments', as.admin, 'issues.listComments', () => ({ issue_number: id('pull') }), 200);
    step('comments of the repository', as.admin, 'issues.listCommentsForRepo', () => ({}), 200);
    step('that comment', as.admin, 'issues.getComment', () => ({ comment_id: id('comment') }), 200);
    step(
      'editing it',
      as.admin,
      'issues.updateComment',
      () => ({ comment_id: id('comment'), body: 'plan v2' }),
      200,
    );
    step('deleting it', as.admin, 'issues.deleteComment', () => ({ comment_id: id('comment') }), 204);
    const onPull =
      (more: Params = {}) =>
      () => ({ issue_number: id('pull'), ...more });
    step('labelling', as.admin, 'issues.addLabels', onPull({ labels: ['flagops:drift'] }), 200);
    step('its labels', as.admin, 'issues.listLabelsOnIssue', onPull(), 200);
    step('replacing them', as.admin, 'issues.setLabels', onPull({ labels: ['flagops:drift'] }), 200);
    step('removing one', as.admin, 'issues.removeLabel', onPull({ name: 'flagops:drift' }), 200);
  });

  it('reached every route of the router, or says why not', () => {
    const missed = ROUTES.filter((r) => !reached.has(r)).map((r) => `${r.method} ${r.path}`);
    expect(missed.filter((r) => !(r in NOT_DRIVEN))).toEqual([]);
    for (const r of Object.keys(NOT_DRIVEN)) expect(missed, `${r} is reached now`).toContain(r);
  });
});

/**
 * The people of the workflow story and what they can see: they clone the sandbox's repository,
 * edit YAML or run `flagops set-percentage --pr` in their clone, review and merge through the
 * GitHub REST API with their own token, and read what the workflows did (runs, jobs, steps, job
 * summaries, logs) and what AppConfig serves (AppConfigData through the SDK). Nothing here calls the
 * pipeline: everything after a person's action is done by the repository's workflows, which the
 * sandbox runs. `npm start` and test/e2e/story-workflows.test.ts drive the same story through this.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AppConfigDataClient,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import { createOctokit, type Octokit } from '../../../src/index.ts';
import type { Sandbox } from '../src/index.ts';

/** One workflow run as the REST API reports it, with its jobs, their steps and summaries. */
export interface RunView {
  id: number;
  workflow: string;
  path: string;
  event: string;
  conclusion: string | null;
  url: string;
  pullRequests: number[];
  jobs: JobView[];
}

export interface JobView {
  id: number;
  name: string;
  conclusion: string | null;
  steps: Array<{ name: string; conclusion: string | null }>;
  /** The job summary (GITHUB_STEP_SUMMARY), from the job's check run output. */
  summary: string;
}

export interface PullView {
  number: number;
  title: string;
  body: string;
  state: string;
  merged: boolean;
  author: string;
  headRef: string;
  headSha: string;
  labels: string[];
  url: string;
}

export type MergeOutcome = { merged: true; sha: string } | { merged: false; status: number; message: string };

export class People {
  private readonly octokits = new Map<string, Octokit>();
  private seenRuns = 0;
  private readonly repo: { owner: string; repo: string };
  readonly clone: string;

  constructor(
    readonly sandbox: Sandbox,
    /** A scratch directory of the caller's (the clone lives in it). */
    workDir: string,
    /** The flagops CLI a person runs (`bin/flagops.mjs` of a checkout with its bundles). */
    private readonly cli: string,
  ) {
    const [owner, repo] = sandbox.env['GITHUB_REPOSITORY']!.split('/') as [string, string];
    this.repo = { owner, repo };
    this.clone = join(workDir, 'clone');
    execFileSync('git', ['clone', '--quiet', sandbox.gitRemote, this.clone], { stdio: 'pipe' });
  }

  /** An Octokit acting as `login` (`sandbox-user-<login>` is that person's token on the sandbox). */
  as(login: string): Octokit {
    let o = this.octokits.get(login);
    if (!o) {
      o = createOctokit({
        token: `sandbox-user-${login}`,
        baseUrl: this.sandbox.env['GITHUB_API_URL']!,
        sleep: async () => {},
      });
      this.octokits.set(login, o);
    }
    return o;
  }

  /** Edits files on a new branch from main, pushes it and opens the pull request, as `author`. */
  async pushChange(
    author: string,
    branch: string,
    title: string,
    edits: Record<string, (text: string) => string>,
  ): Promise<PullView> {
    this.syncMain();
    this.git(author, 'checkout', '--quiet', '-B', branch, 'origin/main');
    for (const [file, edit] of Object.entries(edits)) {
      const path = join(this.clone, file);
      writeFileSync(path, edit(readFileSync(path, 'utf8')));
    }
    this.git(author, 'commit', '--quiet', '-am', title);
    this.git(author, 'push', '--quiet', '--force', 'origin', `HEAD:refs/heads/${branch}`);
    this.git(author, 'checkout', '--quiet', 'main');
    const { data } = await this.as(author).rest.pulls.create({
      ...this.repo,
      head: branch,
      base: 'main',
      title,
    });
    return this.pull(data.number);
  }

  /**
   * Runs the flagops CLI in the clone as `author` (their token; the CLI pushes its own branch and
   * opens the pull request with `--pr`). Resolves with its exit code and output.
   */
  async flagops(author: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    this.syncMain();
    const env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? this.clone,
      ...this.sandbox.env,
      ...gitIdentity(author),
      GITHUB_TOKEN: `sandbox-user-${author}`,
    };
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [this.cli, ...args], { cwd: this.clone, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  }

  async approve(pull: number, ...reviewers: string[]): Promise<void> {
    for (const login of reviewers)
      await this.as(login).rest.pulls.createReview({ ...this.repo, pull_number: pull, event: 'APPROVE' });
  }

  /** PUT /pulls/{n}/merge as `login`; GitHub's refusal (405 with its message) is an outcome, not an error. */
  async merge(pull: number, login: string): Promise<MergeOutcome> {
    try {
      const { data } = await this.as(login).rest.pulls.merge({ ...this.repo, pull_number: pull });
      return { merged: true, sha: data.sha };
    } catch (error) {
      const e = error as { status?: number; message?: string };
      if (typeof e.status === 'number' && e.status < 500)
        return { merged: false, status: e.status, message: e.message ?? '' };
      throw error;
    }
  }

  async dispatch(login: string, workflow: string, inputs: Record<string, string>): Promise<void> {
    await this.as(login).rest.actions.createWorkflowDispatch({
      ...this.repo,
      workflow_id: workflow,
      ref: 'main',
      inputs,
    });
  }

  async pull(number: number): Promise<PullView> {
    const { data } = await this.as('alice').rest.pulls.get({ ...this.repo, pull_number: number });
    return {
      number: data.number,
      title: data.title,
      body: data.body ?? '',
      state: data.state,
      merged: data.merged,
      author: data.user.login,
      headRef: data.head.ref,
      headSha: data.head.sha,
      labels: data.labels.map((l) => l.name),
      url: data.html_url,
    };
  }

  async openPulls(): Promise<PullView[]> {
    const { data } = await this.as('alice').rest.pulls.list({ ...this.repo, state: 'open' });
    return Promise.all(data.map((p) => this.pull(p.number)));
  }

  async comments(pull: number): Promise<Array<{ author: string; body: string }>> {
    const { data } = await this.as('alice').rest.issues.listComments({ ...this.repo, issue_number: pull });
    return data.map((c) => ({ author: c.user?.login ?? '', body: c.body ?? '' }));
  }

  /** The combined commit statuses of a ref, by context (newest first wins). */
  async statuses(
    ref: string,
  ): Promise<Record<string, { state: string; description: string; creator: string }>> {
    const { data } = await this.as('alice').rest.repos.listCommitStatusesForRef({ ...this.repo, ref });
    const out: Record<string, { state: string; description: string; creator: string }> = {};
    for (const s of data)
      out[s.context] ??= {
        state: s.state,
        description: s.description ?? '',
        creator: s.creator?.login ?? '',
      };
    return out;
  }

  /**
   * Waits until no workflow run is queued or in progress (`/_sandbox/workflows/idle`), then returns
   * the runs that started since the last call, oldest first, with their jobs, steps and summaries.
   */
  async settle(timeoutMs = 600_000): Promise<RunView[]> {
    const res = await fetch(`${this.sandbox.url}/_sandbox/workflows/idle?timeout_ms=${timeoutMs}`);
    const { idle } = (await res.json()) as { idle: boolean };
    if (!idle) throw new Error(`the sandbox's workflows were still running after ${timeoutMs} ms`);
    const octokit = this.as('alice');
    const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({ ...this.repo, per_page: 100 });
    const fresh = data.workflow_runs.filter((r) => r.id > this.seenRuns).sort((a, b) => a.id - b.id);
    this.seenRuns = Math.max(this.seenRuns, ...fresh.map((r) => r.id));
    const views: RunView[] = [];
    for (const run of fresh) {
      const { data: jobs } = await octokit.rest.actions.listJobsForWorkflowRun({
        ...this.repo,
        run_id: run.id,
      });
      const jobViews: JobView[] = [];
      for (const job of jobs.jobs) {
        const checkId = Number(job.check_run_url.split('/').at(-1));
        const { data: check } = await octokit.rest.checks.get({ ...this.repo, check_run_id: checkId });
        jobViews.push({
          id: job.id,
          name: job.name,
          conclusion: job.conclusion,
          steps: (job.steps ?? []).map((s) => ({ name: s.name, conclusion: s.conclusion })),
          summary: check.output.summary ?? '',
        });
      }
      views.push({
        id: run.id,
        workflow: run.name ?? run.path,
        path: run.path,
        event: run.event,
        conclusion: run.conclusion,
        url: run.html_url,
        pullRequests: (run.pull_requests ?? []).map((p) => p.number),
        jobs: jobViews,
      });
    }
    return views;
  }

  /** A job's log as text (GitHub answers with a redirect to it). */
  async log(jobId: number): Promise<string> {
    const res = await fetch(
      `${this.sandbox.env['GITHUB_API_URL']}/repos/${this.repo.owner}/${this.repo.repo}/actions/jobs/${jobId}/logs`,
      { headers: { authorization: 'token sandbox-user-alice' } },
    );
    return res.text();
  }

  /** What clients of an environment's profile receive, read as they read it. */
  async served(application: string, environment: string, profile = 'feature-flags'): Promise<unknown> {
    const client = new AppConfigDataClient({
      endpoint: this.sandbox.url,
      region: this.sandbox.env['AWS_REGION']!,
      credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    });
    try {
      const session = await client.send(
        new StartConfigurationSessionCommand({
          ApplicationIdentifier: application,
          EnvironmentIdentifier: environment,
          ConfigurationProfileIdentifier: profile,
        }),
      );
      const out = await client.send(
        new GetLatestConfigurationCommand({ ConfigurationToken: session.InitialConfigurationToken! }),
      );
      const text = Buffer.from(out.Configuration ?? new Uint8Array()).toString('utf8');
      return text === '' ? undefined : (JSON.parse(text) as unknown);
    } finally {
      client.destroy();
    }
  }

  private syncMain(): void {
    this.git('alice', 'fetch', '--quiet', 'origin');
    this.git('alice', 'checkout', '--quiet', '-B', 'main', 'origin/main');
  }

  private git(author: string, ...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.clone,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...gitIdentity(author) },
    });
  }
}

function gitIdentity(login: string): Record<string, string> {
  const email = `${login}@users.noreply.sandbox`;
  return {
    GIT_AUTHOR_NAME: login,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: login,
    GIT_COMMITTER_EMAIL: email,
  };
}

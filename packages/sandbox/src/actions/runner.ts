/**
 * The sandbox's workflow runner: events raised by its GitHub start the workflows in
 * `.github/workflows/` of the commit GitHub would read them from, and runs go through GitHub's
 * semantics — concurrency groups (queued, cancel-in-progress), `needs`, job `if:`, matrices,
 * environments (variables, secrets, deployment branch rules) — with one GITHUB_TOKEN per job that
 * carries exactly the job's `permissions:`. Runs, jobs and check runs are records the REST API serves.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import { mintToken, revokeToken } from '../github/access.ts';
import type { GitHubWorld } from '../github/context.ts';
import type { RaisedEvent } from '../github/events.ts';
import { GITHUB_ACTIONS_APP, type TokenPermissions } from '../github/identity.ts';
import { addCheckRun } from '../github/routes/checks.ts';
import { branchAllowed } from '../github/settings.ts';
import { claimsFor } from '../iam/oidc.ts';
import type { SandboxIam } from '../iam/service.ts';
import { type Cron, parseCron } from './cron.ts';
import { holdAtEnvironment, holdsJobs } from './environment-gate.ts';
import { asString, type Contexts, condition, type Json, stringMap, tokenValue } from './expressions.ts';
import { type JobPlan, runJob } from './job.ts';
import { buildPayload } from './payloads.ts';
import { type Conclusion, type JobRecord, type RunRecord, workflowId } from './records.ts';
import { loadWorkflow, triggers, type Workflow } from './workflows.ts';

export interface RunnerOptions {
  world: GitHubWorld;
  /** The sandbox's base URL (set once the server listens). */
  url: () => string;
  region: string;
  /** The AWS account's IAM, whose roles configure-aws-credentials assumes with the job's OIDC token. */
  iam?: SandboxIam;
  workDir: string;
  speed: () => number;
  /** The clock seam a job's processes get (SimClock.processEnv: speed, origin, retry base delay). */
  clockEnv: () => Record<string, string>;
  /** Workflow files the sandbox does not run (ci.yml runs the project's own test suite). */
  ignore: string[];
  /** Real-time floor for `timeout-minutes`, so process start-up on a busy machine never counts. */
  minTimeoutMs: number;
  /** One line per finished run, for `flagops sandbox`. */
  onRunFinished?: (run: RunRecord, jobs: JobRecord[]) => void;
  /** Fire `on.schedule` crons as simulated time passes (default true; `setSchedules` toggles). */
  schedules?: boolean;
}

/** One `on.schedule` cron of a workflow on the default branch. */
interface ScheduleEntry {
  workflow: Workflow;
  cron: Cron;
  /** GitHub: a scheduled run's actor is whoever last changed the workflow file. */
  actor: string;
}

/** GitHub's default GITHUB_TOKEN permissions for a repository with restricted defaults. */
const DEFAULT_PERMISSIONS: Record<string, string> = { contents: 'read', packages: 'read', metadata: 'read' };
const ALL_SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
];

interface Group {
  running: Set<AbortController>;
  waiting: Array<{ start: () => void; cancel: () => void }>;
}

export class Runner {
  private readonly groups = new Map<string, Group>();
  private active = 0;
  private readonly idleWaiters: Array<() => void> = [];
  private pending: Promise<void> = Promise.resolve();
  private schedulesOn: boolean;
  /** The last simulated minute whose schedules were fired (undefined until time first passes). */
  private lastMinute: number | undefined;
  private scheduleTable: { sha: string; entries: Promise<ScheduleEntry[]> } | undefined;
  /** Every run's and job's controller while it runs or waits, so that `stop` reaches them all. */
  private readonly live = new Set<AbortController>();
  private stopped = false;

  constructor(private readonly o: RunnerOptions) {
    this.schedulesOn = o.schedules ?? true;
  }

  get schedules(): boolean {
    return this.schedulesOn;
  }

  /** Turn `on.schedule` off or on; minutes that pass while off are never fired later. */
  setSchedules(on: boolean): void {
    this.schedulesOn = on;
  }

  /**
   * Simulated time reached `now`: every minute boundary crossed since the last call raises the
   * `schedule` crons due at it, once, from the default branch's workflows of that moment.
   */
  tick(now: number): void {
    const minute = Math.floor(now / 60_000);
    if (this.lastMinute === undefined || !this.schedulesOn || minute <= this.lastMinute) {
      this.lastMinute = Math.max(this.lastMinute ?? minute, minute);
      return;
    }
    while (this.lastMinute < minute) {
      this.lastMinute++;
      const at = this.lastMinute * 60_000;
      const sha = this.o.world.git.branchSha('main');
      if (sha) this.enqueueTask(() => this.fireSchedules(sha, at));
    }
  }
  get world(): GitHubWorld {
    return this.o.world;
  }

  /**
   * The sandbox is closing: nothing new starts (no event, schedule or job, no further step), every
   * run is aborted (its steps' processes get SIGTERM, as a cancelled run's), and this resolves once
   * they have wound down or after `timeoutMs`, so no job outlives the server and its directories.
   */
  stop(timeoutMs: number): Promise<boolean> {
    this.stopped = true;
    this.schedulesOn = false;
    for (const group of this.groups.values()) for (const w of group.waiting.splice(0)) w.cancel();
    for (const c of this.live) c.abort();
    return this.whenIdle(timeoutMs);
  }

  /** Queue the event; events are handled in the order they were raised. */
  raise(event: RaisedEvent): void {
    // One pull request activity is both a pull_request and a pull_request_target event.
    if (event.name === 'pull_request') this.enqueue({ ...event, name: 'pull_request_target' });
    this.enqueue(event);
  }

  private enqueue(event: RaisedEvent): void {
    this.enqueueTask(() => this.handle(event));
  }

  private enqueueTask(task: () => Promise<void>): void {
    if (this.stopped) return;
    this.active++;
    this.pending = this.pending
      .then(task)
      .catch((err: unknown) => {
        process.stderr.write(`sandbox runner: ${(err as Error).stack ?? String(err)}\n`);
      })
      .finally(() => this.settle());
  }

  idle(): boolean {
    return this.active === 0;
  }

  /** Resolves true once nothing is queued or running, false after `timeoutMs`. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.idle()) return Promise.resolve(true);
    return new Promise((done) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        done(true);
      });
    });
  }

  private settle(): void {
    this.active--;
    if (this.active === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  private async handle(event: RaisedEvent): Promise<void> {
    // Events caused by a workflow's GITHUB_TOKEN start no workflows, except workflow_dispatch.
    if (event.actor.tokenKind === 'workflow' && event.name !== 'workflow_dispatch') return;
    const world = this.o.world;
    const built = buildPayload(world, this.o.url(), event);
    if (!built) return;
    // Schedules are fired per cron by fireSchedules, never as a raised event.
    if (event.name === 'schedule') return;
    for (const file of this.workflowFiles(built.sha)) {
      const path = `.github/workflows/${file}`;
      const content = world.git.tryGit(['show', `${built.sha}:${path}`]).stdout;
      const workflow = await loadWorkflow(path, content);
      const dispatched = event.name === 'workflow_dispatch' ? { dispatchedPath: event.workflowPath } : {};
      if (!triggers(workflow, { ...built.trigger, ...dispatched })) continue;
      this.start(workflow, event, built);
    }
  }

  private async fireSchedules(sha: string, at: number): Promise<void> {
    if (this.scheduleTable?.sha !== sha) this.scheduleTable = { sha, entries: this.readSchedules(sha) };
    for (const entry of await this.scheduleTable.entries) {
      if (!entry.cron.matches(at)) continue;
      const event: RaisedEvent = {
        name: 'schedule',
        cron: entry.cron.source,
        workflowPath: entry.workflow.path,
        actor: { login: entry.actor, type: 'User', tokenKind: 'user' },
      };
      const built = buildPayload(this.o.world, this.o.url(), event, sha);
      if (built) this.start(entry.workflow, event, built);
    }
  }

  /** The crons of the default branch's workflows at `sha`; a cron GitHub would reject never fires. */
  private async readSchedules(sha: string): Promise<ScheduleEntry[]> {
    const world = this.o.world;
    const entries: ScheduleEntry[] = [];
    for (const file of this.workflowFiles(sha)) {
      const path = `.github/workflows/${file}`;
      const workflow = await loadWorkflow(path, world.git.tryGit(['show', `${sha}:${path}`]).stdout);
      const schedule = (workflow.template.events as { schedule?: Array<{ cron?: string }> }).schedule;
      if (workflow.errors.length > 0 || !Array.isArray(schedule)) continue;
      const actor =
        world.git.tryGit(['log', '-1', '--format=%an', sha, '--', path]).stdout.trim() || world.owner;
      for (const { cron } of schedule) {
        try {
          if (cron) entries.push({ workflow, cron: parseCron(cron), actor });
        } catch (err) {
          process.stderr.write(`sandbox runner: ${path}: ${(err as Error).message}\n`);
        }
      }
    }
    return entries;
  }

  private workflowFiles(sha: string): string[] {
    return this.o.world.git
      .tryGit(['ls-tree', '--name-only', `${sha}:.github/workflows`])
      .stdout.split('\n')
      .filter((f) => /\.ya?ml$/.test(f) && !this.o.ignore.includes(f));
  }

  private start(
    workflow: Workflow,
    event: RaisedEvent,
    built: NonNullable<ReturnType<typeof buildPayload>>,
  ): void {
    if (this.stopped) return;
    const world = this.o.world;
    const now = world.now();
    const runNumber = world.state.workflowRuns.filter((r) => r.path === workflow.path).length + 1;
    const run: RunRecord = {
      id: world.nextId(),
      runNumber,
      name: workflow.name,
      path: workflow.path,
      workflowId: workflowId(workflow.path),
      event: event.name,
      displayTitle: built.title,
      status: 'queued',
      conclusion: null,
      headSha: built.headSha,
      headBranch: built.headBranch,
      sha: built.sha,
      ref: built.ref,
      actor: event.actor.login,
      pullRequests: built.pullNumber !== undefined ? [built.pullNumber] : [],
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      concurrencyGroup: null,
    };
    world.state.workflowRuns.push(run);
    world.changed();
    const github = this.githubContext(run, event, built);
    const contexts: Contexts = {
      github,
      inputs: built.inputs,
      vars: built.fromFork ? {} : this.variables(null),
    };
    const concurrency = this.concurrency(workflow.root.find('concurrency'), contexts);
    run.concurrencyGroup = concurrency?.group ?? null;
    this.active++;
    // The run's own signal: a newer run of a cancel-in-progress group aborts it, which cancels
    // the jobs running then (their steps stop) and the jobs not yet started.
    const go = (controller: AbortController) => {
      run.status = 'in_progress';
      run.startedAt = world.now();
      world.changed();
      return this.execute(workflow, run, event, built, contexts, controller.signal);
    };
    this.enter(concurrency, run, go).finally(() => this.settle());
  }

  /** Runs `body` when the concurrency group allows it; a newer waiter replaces an older one. */
  private enter(
    concurrency: { group: string; cancelInProgress: boolean } | undefined,
    target: { status: string; conclusion: Conclusion | null },
    body: (controller: AbortController) => Promise<void>,
  ): Promise<void> {
    const controller = new AbortController();
    this.live.add(controller);
    return this.enterGroup(concurrency, target, body, controller).finally(() => this.live.delete(controller));
  }

  private enterGroup(
    concurrency: { group: string; cancelInProgress: boolean } | undefined,
    target: { status: string; conclusion: Conclusion | null },
    body: (controller: AbortController) => Promise<void>,
    controller: AbortController,
  ): Promise<void> {
    if (!concurrency) return body(controller);
    const group = this.groups.get(concurrency.group) ?? { running: new Set(), waiting: [] };
    this.groups.set(concurrency.group, group);
    const release = () => {
      group.running.delete(controller);
      const next = group.waiting.shift();
      next?.start();
    };
    if (concurrency.cancelInProgress) for (const c of group.running) c.abort();
    for (const w of group.waiting.splice(0)) w.cancel();
    if (group.running.size === 0 || concurrency.cancelInProgress) {
      group.running.add(controller);
      return body(controller).finally(release);
    }
    target.status = 'pending';
    this.o.world.changed();
    return new Promise<void>((done) => {
      group.waiting.push({
        start: () => {
          group.running.add(controller);
          body(controller).finally(() => {
            release();
            done();
          });
        },
        cancel: () => {
          target.status = 'completed';
          target.conclusion = 'cancelled';
          this.o.world.changed();
          done();
        },
      });
    });
  }

  private concurrency(token: ReturnType<MappingToken['find']>, contexts: Contexts) {
    if (!token) return undefined;
    const value = tokenValue(token, contexts);
    if (typeof value === 'string') return { group: value, cancelInProgress: false };
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, Json>;
      return {
        group: asString(v['group'] ?? ''),
        cancelInProgress: v['cancel-in-progress'] === true || v['cancel-in-progress'] === 'true',
      };
    }
    return undefined;
  }

  private variables(environment: string | null): Record<string, string> {
    const settings = this.o.world.state.settings;
    const out = Object.fromEntries(settings.variables.map((v) => [v.name, v.value]));
    const env = findEnvironment(settings.environments, environment);
    for (const v of env?.variables ?? []) out[v.name] = v.value;
    return out;
  }

  private githubContext(
    run: RunRecord,
    event: RaisedEvent,
    built: NonNullable<ReturnType<typeof buildPayload>>,
  ): Record<string, Json> {
    const world = this.o.world;
    const url = this.o.url();
    return {
      event_name: event.name,
      event: built.payload as Json,
      sha: built.sha,
      ref: built.ref,
      ref_name: built.ref.replace(/^refs\/(heads|tags)\//, ''),
      ref_type: built.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      head_ref: built.headRef ?? '',
      base_ref: built.baseRef ?? '',
      repository: `${world.owner}/${world.name}`,
      repository_owner: world.owner,
      run_id: String(run.id),
      run_number: String(run.runNumber),
      run_attempt: '1',
      actor: event.actor.login,
      triggering_actor: event.actor.login,
      workflow: run.name,
      workflow_ref: `${world.owner}/${world.name}/${run.path}@${built.ref}`,
      api_url: `${url}/github`,
      server_url: `${url}/github-web`,
      graphql_url: `${url}/github/graphql`,
      event_path: '',
      workspace: '',
      action: '',
      job: '',
      token: '',
    };
  }

  private async execute(
    workflow: Workflow,
    run: RunRecord,
    event: RaisedEvent,
    built: NonNullable<ReturnType<typeof buildPayload>>,
    contexts: Contexts,
    runSignal: AbortSignal = new AbortController().signal,
  ): Promise<void> {
    const world = this.o.world;
    const jobsToken = workflow.root.find('jobs') as MappingToken | undefined;
    const results = new Map<string, { result: Conclusion; outputs: Record<string, string> }>();
    const records: JobRecord[] = [];
    const remaining = [...workflow.template.jobs];
    const workflowEnv = stringMap(workflow.root.find('env'), contexts);
    const workflowPermissions = permissionsOf(workflow.root.find('permissions'), contexts);
    const workflowDefaults =
      ((tokenValue(workflow.root.find('defaults'), contexts) ?? {}) as { run?: Record<string, string> })
        .run ?? {};

    const runOne = async (job: (typeof remaining)[number]): Promise<void> => {
      const key = job.id.value;
      const token = jobsToken?.find(key) as MappingToken;
      const needsKeys = (job.needs ?? []).map((n) => n.value);
      const needs: Record<string, Json> = Object.fromEntries(
        needsKeys.map((k) => [
          k,
          { result: results.get(k)?.result ?? 'skipped', outputs: results.get(k)?.outputs ?? {} },
        ]),
      );
      // GitHub: a job's failure() is true when any ancestor failed, not only a direct need.
      const failedNeeds = ancestorsOf(key).some((k) =>
        ['failure', 'cancelled'].includes(results.get(k)?.result ?? ''),
      );
      const skippedNeeds = needsKeys.some((k) => results.get(k)?.result === 'skipped');
      const jobContexts: Contexts = { ...contexts, needs, env: workflowEnv };
      const status = { failed: failedNeeds, cancelled: runSignal.aborted };
      const ifExpr = job.if?.expression;
      // A skipped needed job skips this one unless its `if:` asks for always() or failure().
      const explicitStatus = /\b(always|failure|cancelled)\s*\(/.test(ifExpr ?? '');
      const run_ =
        !this.stopped && (skippedNeeds && !explicitStatus ? false : condition(ifExpr, jobContexts, status));
      const matrix = run_ ? expandMatrix(tokenValue(token.find('strategy'), jobContexts)) : [undefined];
      const outputs: Record<string, string> = {};
      const conclusions: Conclusion[] = [];
      await Promise.all(
        matrix.map(async (combination) => {
          const mContexts: Contexts = {
            ...jobContexts,
            matrix: (combination ?? {}) as Json,
            strategy: { 'fail-fast': false, 'job-index': 0, 'job-total': matrix.length },
          };
          const name = job.name
            ? asString(tokenValue(job.name, mContexts))
            : key + (combination ? ` (${Object.values(combination).map(asString).join(', ')})` : '');
          const record = this.newJob(run, key, name);
          records.push(record);
          if (!run_) {
            // Jobs a cancelled run never started end cancelled, not skipped.
            const conclusion = runSignal.aborted ? 'cancelled' : 'skipped';
            Object.assign(record, { status: 'completed', conclusion, completedAt: world.now() });
            conclusions.push(conclusion);
            this.finishCheck(record);
            return;
          }
          const concurrency = this.concurrency(token.find('concurrency'), mContexts);
          await this.enter(concurrency, record, async (controller) => {
            // A job already running when the run is cancelled is cancelled with it; one that starts
            // after (its if: asks for always() or cancelled()) runs to its end.
            const cancel = () => controller.abort();
            if (!runSignal.aborted) runSignal.addEventListener('abort', cancel, { once: true });
            const result = await this.runJobRecord({
              record,
              token,
              job,
              workflow,
              run,
              event,
              built,
              contexts: mContexts,
              workflowEnv,
              workflowPermissions,
              workflowDefaults,
              controller,
            }).finally(() => runSignal.removeEventListener('abort', cancel));
            Object.assign(outputs, result.outputs);
            conclusions.push(result.conclusion);
          });
          if (
            record.conclusion === 'cancelled' &&
            !conclusions.includes('cancelled') &&
            record.startedAt === null
          )
            conclusions.push('cancelled');
        }),
      );
      const result: Conclusion = conclusions.includes('failure')
        ? 'failure'
        : conclusions.includes('cancelled')
          ? 'cancelled'
          : conclusions.every((c) => c === 'skipped')
            ? 'skipped'
            : 'success';
      results.set(key, { result, outputs });
    };

    /** Every job `key` needs, directly or through the jobs it needs. */
    function ancestorsOf(key: string, seen = new Set<string>()): string[] {
      const job = remaining.find((j) => j.id.value === key);
      for (const n of job?.needs ?? [])
        if (!seen.has(n.value)) {
          seen.add(n.value);
          ancestorsOf(n.value, seen);
        }
      return [...seen];
    }

    // Jobs start as soon as everything they need has finished.
    const started = new Map<string, Promise<void>>();
    const launch = (job: (typeof remaining)[number]): Promise<void> => {
      const key = job.id.value;
      let p = started.get(key);
      if (!p) {
        const deps = (job.needs ?? [])
          .map((n) => remaining.find((j) => j.id.value === n.value))
          .filter((j) => j !== undefined);
        p = Promise.all(deps.map(launch)).then(() => runOne(job));
        started.set(key, p);
      }
      return p;
    };
    await Promise.all(remaining.map(launch));

    const conclusions = [...results.values()].map((r) => r.result);
    run.status = 'completed';
    run.conclusion = runSignal.aborted
      ? 'cancelled'
      : conclusions.includes('failure')
        ? 'failure'
        : conclusions.includes('cancelled')
          ? 'cancelled'
          : conclusions.length > 0 && conclusions.every((c) => c === 'skipped')
            ? 'skipped'
            : 'success';
    run.updatedAt = world.now();
    world.changed();
    this.o.onRunFinished?.(run, records);
    if (run.event !== 'workflow_run')
      this.raise({ name: 'workflow_run', action: 'completed', runId: run.id, actor: event.actor });
  }

  private newJob(run: RunRecord, key: string, name: string): JobRecord {
    const world = this.o.world;
    const record: JobRecord = {
      id: world.nextId(),
      runId: run.id,
      key,
      name,
      status: 'queued',
      conclusion: null,
      headSha: run.headSha,
      headBranch: run.headBranch,
      createdAt: world.now(),
      startedAt: null,
      completedAt: null,
      steps: [],
      labels: ['ubuntu-24.04'],
      checkRunId: null,
      log: [],
      summary: '',
      annotations: [],
    };
    // Each job is a check run of the github-actions app on the run's head commit.
    record.checkRunId = addCheckRun(world, {
      headSha: run.headSha,
      name,
      app: GITHUB_ACTIONS_APP,
      status: 'queued',
      externalId: String(record.id),
    }).id;
    world.state.workflowJobs.push(record);
    world.changed();
    return record;
  }

  private finishCheck(record: JobRecord): void {
    const check = this.o.world.state.checkRuns.find((c) => c.id === record.checkRunId);
    if (!check) return;
    check.status =
      record.status === 'completed'
        ? 'completed'
        : record.status === 'in_progress'
          ? 'in_progress'
          : 'queued';
    check.conclusion = record.conclusion === 'timed_out' ? 'timed_out' : record.conclusion;
    if (record.status === 'completed') check.completedAt = this.o.world.now();
    if (record.summary) check.summary = record.summary;
    this.o.world.changed();
  }

  private async runJobRecord(a: {
    record: JobRecord;
    token: MappingToken;
    job: Workflow['template']['jobs'][number];
    workflow: Workflow;
    run: RunRecord;
    event: RaisedEvent;
    built: NonNullable<ReturnType<typeof buildPayload>>;
    contexts: Contexts;
    workflowEnv: Record<string, string>;
    workflowPermissions: Record<string, string> | undefined;
    workflowDefaults: Record<string, string>;
    controller: AbortController;
  }): Promise<{ conclusion: Conclusion; outputs: Record<string, string> }> {
    const world = this.o.world;
    const { record } = a;
    const environment = environmentName(tokenValue(a.token.find('environment'), a.contexts));
    const held = await this.holdForEnvironment(a, environment);
    if (held) return held;
    record.status = 'in_progress';
    record.startedAt = world.now();
    this.finishCheck(record);
    const fromFork = a.built.fromFork === true;
    const asked =
      permissionsOf(a.token.find('permissions'), a.contexts) ?? a.workflowPermissions ?? DEFAULT_PERMISSIONS;
    const permissions = fromFork ? readOnly(asked) : asked;
    const dir = mkdtempSync(join(this.o.workDir, `job-${record.id}-`));
    const tokenPermissions: TokenPermissions = {};
    for (const [scope, access] of Object.entries(permissions))
      if ((access === 'read' || access === 'write') && scope !== 'id-token')
        tokenPermissions[scope.replaceAll('-', '_')] = access;
    const githubToken = mintToken(world, {
      kind: 'workflow',
      login: 'github-actions[bot]',
      app: GITHUB_ACTIONS_APP,
      permissions: tokenPermissions,
      runId: a.run.id,
      // GitHub: a job's GITHUB_TOKEN expires when the job ends (revoked below) or after 24 h, so a
      // long bake on the simulated clock keeps its token.
      lifetimeMs: 24 * 3_600_000,
    }).token;
    let conclusion: Conclusion = 'failure';
    let outputs: Record<string, string> = {};
    try {
      const branch = a.built.ref.replace(/^refs\/heads\//, '');
      const env = findEnvironment(world.state.settings.environments, environment);
      if (environment && env && !branchAllowed(env.deploymentBranches, branch)) {
        record.log.push(
          `##[error]Branch "${branch}" is not allowed to deploy to ${environment} due to environment protection rules.`,
        );
        record.annotations.push({
          level: 'error',
          message: `Branch "${branch}" is not allowed to deploy to ${environment} due to environment protection rules.`,
        });
      } else {
        // GitHub passes no secret but GITHUB_TOKEN to a fork pull request's workflows.
        const secrets: Record<string, string> = fromFork
          ? {}
          : Object.fromEntries(world.state.settings.secrets.map((s) => [s.name, s.value]));
        if (!fromFork) for (const s of env?.secrets ?? []) secrets[s.name] = s.value;
        secrets['GITHUB_TOKEN'] = githubToken;
        const eventPath = join(dir, 'event.json');
        writeFileSync(eventPath, JSON.stringify(a.built.payload, null, 2));
        const github: Record<string, Json> = {
          ...(a.contexts['github'] as Record<string, Json>),
          token: githubToken,
          job: a.record.key,
          event_path: eventPath,
          workspace: join(dir, 'workspace'),
        };
        const vars = fromFork ? {} : this.variables(environment);
        const contexts: Contexts = { ...a.contexts, github, secrets, vars };
        const minutes = Number(tokenValue(a.token.find('timeout-minutes'), contexts) ?? 360) || 360;
        const timer = setTimeout(() => {
          record.log.push(`##[error]The job has exceeded the maximum execution time of ${minutes}m0s`);
          timedOut = true;
          a.controller.abort();
        }, this.realMs(minutes));
        let timedOut = false;
        const url = this.o.url();
        const baseEnv: Record<string, string> = {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: join(dir, 'home'),
          LANG: 'C.UTF-8',
          CI: 'true',
          GITHUB_ACTIONS: 'true',
          RUNNER_OS: 'Linux',
          RUNNER_ARCH: 'X64',
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_EVENT_NAME: a.event.name,
          GITHUB_SHA: a.built.sha,
          GITHUB_REF: a.built.ref,
          GITHUB_REF_NAME: String(github['ref_name']),
          GITHUB_HEAD_REF: a.built.headRef ?? '',
          GITHUB_BASE_REF: a.built.baseRef ?? '',
          GITHUB_REPOSITORY: `${world.owner}/${world.name}`,
          GITHUB_REPOSITORY_OWNER: world.owner,
          GITHUB_RUN_ID: String(a.run.id),
          GITHUB_RUN_NUMBER: String(a.run.runNumber),
          GITHUB_RUN_ATTEMPT: '1',
          GITHUB_JOB: a.record.key,
          GITHUB_ACTOR: a.event.actor.login,
          GITHUB_TRIGGERING_ACTOR: a.event.actor.login,
          GITHUB_WORKFLOW: a.run.name,
          GITHUB_WORKFLOW_REF: String(github['workflow_ref']),
          GITHUB_API_URL: `${url}/github`,
          GITHUB_SERVER_URL: `${url}/github-web`,
          GITHUB_GRAPHQL_URL: `${url}/github/graphql`,
          // node24 actions run on the machine's node (see README): the AWS SDK's warning about a
          // Node older than 22 would be about the sandbox's machine, not about the action.
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          // The sandbox machine's own clock: actions follow the simulated time (see README).
          ...this.o.clockEnv(),
        };
        const stepIfs = (a.job.type === 'job' ? a.job.steps : []).map((s) =>
          'if' in s && s.if ? s.if.expression : 'success()',
        );
        const result = await runJob({
          record,
          token: a.token,
          stepIfs,
          contexts,
          permissions,
          githubToken,
          ...this.oidcFor(a, permissions, environment),
          baseEnv,
          workflowDefaults: a.workflowDefaults,
          workflowEnv: a.workflowEnv,
          world,
          sandboxUrl: url,
          region: this.o.region,
          workDir: dir,
          now: () => world.now(),
          realMs: (m) => this.realMs(m),
          appTokenLifetimeMs: Math.max(3_600_000, this.o.minTimeoutMs * this.o.speed()),
          signal: a.controller.signal,
          halted: () => this.stopped,
          changed: () => world.changed(),
        });
        clearTimeout(timer);
        conclusion = timedOut ? 'timed_out' : result.conclusion;
        outputs = result.outputs;
        const continueOnError = asString(tokenValue(a.token.find('continue-on-error'), contexts)) === 'true';
        record.status = 'completed';
        record.conclusion = conclusion === 'timed_out' ? 'failure' : conclusion;
        record.completedAt = world.now();
        this.finishCheck(record);
        if (continueOnError && record.conclusion === 'failure') return { conclusion: 'success', outputs };
        return { conclusion: record.conclusion, outputs };
      }
    } catch (err) {
      record.log.push(`##[error]${(err as Error).message}`);
    } finally {
      revokeToken(world, githubToken);
      rmSync(dir, { recursive: true, force: true });
    }
    record.status = 'completed';
    record.conclusion = conclusion;
    record.completedAt = world.now();
    this.finishCheck(record);
    return { conclusion, outputs };
  }

  /**
   * An environment's required reviewers and wait timer hold the job before it starts (a branch the
   * environment refuses fails at once, below); undefined when the job may start, else how it ended.
   */
  private async holdForEnvironment(
    a: {
      record: JobRecord;
      run: RunRecord;
      built: NonNullable<ReturnType<typeof buildPayload>>;
      controller: AbortController;
    },
    environment: string | null,
  ): Promise<{ conclusion: Conclusion; outputs: Record<string, string> } | undefined> {
    const world = this.o.world;
    const env = findEnvironment(world.state.settings.environments, environment);
    const branch = a.built.ref.replace(/^refs\/heads\//, '');
    if (!env || !branchAllowed(env.deploymentBranches, branch) || !holdsJobs(env)) return undefined;
    const { outcome, pending } = await holdAtEnvironment({
      world,
      run: a.run,
      job: a.record,
      env,
      signal: a.controller.signal,
    });
    if (outcome === 'approved') return undefined;
    if (outcome === 'rejected') {
      const message = `The deployment to ${env.name} was rejected by ${pending.reviewedBy}.`;
      a.record.log.push(`##[error]${message}`);
      a.record.annotations.push({ level: 'error', message });
    }
    const conclusion: Conclusion = outcome === 'rejected' ? 'failure' : 'cancelled';
    Object.assign(a.record, { status: 'completed', conclusion, completedAt: world.now() });
    this.finishCheck(a.record);
    return { conclusion, outputs: {} };
  }

  /**
   * The job's OIDC token source and the AWS account to exchange it in. GitHub hands a job a token
   * (ACTIONS_ID_TOKEN_REQUEST_URL) only when its permissions grant `id-token: write`
   * (docs.github.com, "OpenID Connect": "Adding permissions settings").
   */
  private oidcFor(
    a: { run: RunRecord; event: RaisedEvent; built: NonNullable<ReturnType<typeof buildPayload>> },
    permissions: Record<string, string>,
    environment: string | null,
  ): Pick<JobPlan, 'idToken' | 'iam'> {
    const iam = this.o.iam;
    if (!iam) return {};
    if (permissions['id-token'] !== 'write') return { iam };
    const world = this.o.world;
    const identity = {
      repository: `${world.owner}/${world.name}`,
      repositoryOwner: world.owner,
      environment,
      eventName: a.event.name,
      ref: a.built.ref,
      sha: a.built.sha,
      workflowPath: a.run.path,
      actor: a.event.actor.login,
      runId: a.run.id,
      headRef: a.built.headRef ?? '',
      baseRef: a.built.baseRef ?? '',
    };
    return { iam, idToken: (audience) => iam.oidc.sign(claimsFor(identity, audience, world.now())) };
  }

  private realMs(minutes: number): number {
    // A stopped clock (speed 0) never times out; setTimeout fires at once past 2^31 - 1 ms.
    const ms = Math.max(this.o.minTimeoutMs, (minutes * 60_000) / Math.max(this.o.speed(), 1e-9));
    return Math.min(ms, 2 ** 31 - 1);
  }
}

/**
 * A fork pull request's token: GitHub grants "read access only for pull requests from public
 * forks" whatever the workflow asks, and no `id-token`
 * (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token).
 */
function readOnly(permissions: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [scope, access] of Object.entries(permissions))
    if (scope !== 'id-token') out[scope] = access === 'write' ? 'read' : access;
  return out;
}

function environmentName(value: Json): string | null {
  if (typeof value === 'string') return value || null;
  if (value && typeof value === 'object' && !Array.isArray(value))
    return asString((value as Record<string, Json>)['name'] ?? '') || null;
  return null;
}

/** `permissions:` as a map of GitHub's scope names; `read-all`/`write-all`/`{}` as GitHub reads them. */
export function permissionsOf(
  token: ReturnType<MappingToken['find']>,
  contexts: Contexts,
): Record<string, string> | undefined {
  if (!token) return undefined;
  const value = tokenValue(token, contexts);
  if (value === 'read-all' || value === 'write-all') {
    const access = value === 'read-all' ? 'read' : 'write';
    return Object.fromEntries(
      ALL_SCOPES.map((s) => [s, s === 'id-token' && access === 'read' ? 'none' : access]),
    );
  }
  if (value && typeof value === 'object' && !Array.isArray(value))
    return {
      metadata: 'read',
      ...Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asString(v)])),
    };
  return { metadata: 'read' };
}

/** `strategy.matrix` as combinations: the product of its lists, then `exclude`, then `include`. */
export function expandMatrix(strategy: Json): Array<Record<string, Json> | undefined> {
  const matrix =
    strategy && typeof strategy === 'object' && !Array.isArray(strategy)
      ? (strategy as Record<string, Json>)['matrix']
      : undefined;
  if (!matrix || typeof matrix !== 'object' || Array.isArray(matrix)) return [undefined];
  const m = matrix as Record<string, Json>;
  const keys = Object.keys(m).filter((k) => k !== 'include' && k !== 'exclude');
  let combos: Array<Record<string, Json>> = [{}];
  for (const k of keys) {
    const values = Array.isArray(m[k]) ? (m[k] as Json[]) : [m[k] ?? null];
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
  }
  if (keys.length === 0) combos = [];
  const same = (c: Record<string, Json>, partial: Record<string, Json>) =>
    Object.entries(partial).every(([k, v]) => JSON.stringify(c[k]) === JSON.stringify(v));
  for (const ex of (Array.isArray(m['exclude']) ? m['exclude'] : []) as Array<Record<string, Json>>)
    combos = combos.filter((c) => !same(c, ex));
  for (const inc of (Array.isArray(m['include']) ? m['include'] : []) as Array<Record<string, Json>>) {
    const original = Object.fromEntries(Object.entries(inc).filter(([k]) => keys.includes(k)));
    const matching = combos.filter((c) => same(c, original));
    if (matching.length > 0 && Object.keys(original).length > 0)
      for (const c of matching) Object.assign(c, inc);
    else combos.push({ ...inc });
  }
  return combos.length > 0 ? combos : [];
}

/** GitHub compares environment names without case: `Production` is the environment `production`. */
function findEnvironment<E extends { name: string }>(
  environments: readonly E[],
  name: string | null,
): E | undefined {
  if (name === null) return undefined;
  return environments.find((e) => e.name.toLowerCase() === name.toLowerCase());
}

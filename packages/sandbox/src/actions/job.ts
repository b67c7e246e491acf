/**
 * One job on the sandbox's runner: a fresh workspace, the job's GITHUB_TOKEN, and its steps in
 * order — `run:` scripts in bash, `uses: ./…` node actions from their action.yml (with post steps),
 * and the stand-ins for third-party actions — with GitHub's env files, workflow commands, masks,
 * `if:`, `continue-on-error`, `timeout-minutes` and step outputs.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import { parse as parseYaml } from 'yaml';
import type { GitHubWorld } from '../github/context.ts';
import type { SandboxIam } from '../iam/service.ts';
import { CommandProcessor, Masker, parseEnvFile } from './commands.ts';
import {
  asString,
  type Contexts,
  condition,
  evaluate,
  type Json,
  type Status,
  stringMap,
  tokenValue,
} from './expressions.ts';
import type { Conclusion, JobRecord } from './records.ts';
import { StepFailure, standIn } from './standins.ts';

export interface JobPlan {
  record: JobRecord;
  /** The job's mapping in the parsed workflow file. */
  token: MappingToken;
  /** `if:` expressions of the steps, as the parser normalised them. */
  stepIfs: string[];
  contexts: Contexts;
  permissions: Record<string, string>;
  githubToken: string;
  /** The job's OIDC token for an audience; absent without `id-token: write`. */
  idToken?: (audience: string) => string;
  /** The AWS account whose roles the job may assume. */
  iam?: SandboxIam;
  /** GITHUB_* variables of the run (ref, sha, event path, …). */
  baseEnv: Record<string, string>;
  /** Workflow-level `defaults.run`. */
  workflowDefaults: { shell?: string; 'working-directory'?: string };
  workflowEnv: Record<string, string>;
  world: GitHubWorld;
  sandboxUrl: string;
  region: string;
  workDir: string;
  now(): number;
  /** Real milliseconds for simulated minutes (the sandbox's clock speed). */
  realMs(minutes: number): number;
  /** Simulated ms an App installation token lives (standins.ts). */
  appTokenLifetimeMs: number;
  signal: AbortSignal;
  /** The sandbox is shutting down: no further step (not even an always() one) starts. */
  halted?: () => boolean;
  changed(): void;
}

export interface JobResult {
  conclusion: Conclusion;
  outputs: Record<string, string>;
}

interface StepState {
  outputs: Record<string, string>;
  outcome: Conclusion;
  conclusion: Conclusion;
}

function field(token: MappingToken | undefined, key: string) {
  return token?.find(key);
}

export async function runJob(plan: JobPlan): Promise<JobResult> {
  const job = plan.record;
  const masker = new Masker();
  masker.add(plan.githubToken);
  for (const v of Object.values((plan.contexts['secrets'] ?? {}) as Record<string, Json>))
    masker.add(asString(v));
  const log = (line: string) => {
    job.log.push(masker.mask(line));
  };
  const commands = new CommandProcessor(masker, log);
  const workspace = join(plan.workDir, 'workspace');
  const temp = join(plan.workDir, 'temp');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(temp, { recursive: true });

  const contexts: Contexts = {
    ...plan.contexts,
    steps: {},
    job: { status: 'success' },
    runner: { os: 'Linux', arch: 'X64', temp, name: 'sandbox' },
  };
  const steps = contexts['steps'] as unknown as Record<string, StepState>;
  const status: Status = { failed: false, cancelled: false };
  const jobEnv = { ...plan.workflowEnv, ...stringMap(field(plan.token, 'env'), contexts) };
  const addedEnv: Record<string, string> = {};
  const addedPath: string[] = [];
  const posts: Array<{ name: string; run: () => Promise<void> | void }> = [];
  const defaults = (tokenValue(field(plan.token, 'defaults'), contexts) ?? {}) as {
    run?: Record<string, string>;
  };
  const runDefaults = { ...plan.workflowDefaults, ...(defaults.run ?? {}) };

  const stepTokens = [...((field(plan.token, 'steps') as unknown as Iterable<MappingToken>) ?? [])];
  job.steps = [
    {
      number: 1,
      name: 'Set up job',
      status: 'completed',
      conclusion: 'success',
      startedAt: plan.now(),
      completedAt: plan.now(),
    },
    ...stepTokens.map((t, i) => ({
      number: i + 2,
      name: stepName(t, contexts),
      status: 'queued' as const,
      conclusion: null,
      startedAt: null,
      completedAt: null,
    })),
  ];
  plan.changed();

  for (const [i, token] of stepTokens.entries()) {
    const record = job.steps[i + 1]!;
    const id = asString(tokenValue(token.find('id'), contexts)) || `__step${i + 1}`;
    if (plan.signal.aborted) status.cancelled = true;
    contexts['job'] = { status: status.cancelled ? 'cancelled' : status.failed ? 'failure' : 'success' };
    let run: boolean;
    try {
      run = condition(plan.stepIfs[i], { ...contexts, env: { ...jobEnv, ...addedEnv } }, status);
    } catch (err) {
      log(`##[error]${(err as Error).message}`);
      run = false;
      status.failed = true;
    }
    record.name = stepName(token, contexts);
    if (plan.halted?.()) run = false;
    if (!run) {
      Object.assign(record, {
        status: 'completed',
        conclusion: 'skipped',
        startedAt: plan.now(),
        completedAt: plan.now(),
      });
      steps[id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
      continue;
    }
    Object.assign(record, { status: 'in_progress', startedAt: plan.now() });
    plan.changed();
    log(`##[group]${record.name.startsWith('Run ') ? record.name : `Run ${record.name}`}`);
    const files = {
      GITHUB_OUTPUT: join(temp, `output_${i}`),
      GITHUB_ENV: join(temp, `env_${i}`),
      GITHUB_PATH: join(temp, `path_${i}`),
      GITHUB_STEP_SUMMARY: join(temp, `summary_${i}`),
      GITHUB_STATE: join(temp, `state_${i}`),
    };
    for (const f of Object.values(files)) writeFileSync(f, '');
    const outputs: Record<string, string> = {};
    let outcome: Conclusion = 'success';
    try {
      const ctxEnv = { ...jobEnv, ...addedEnv };
      const stepEnv = { ...ctxEnv, ...stringMap(token.find('env'), { ...contexts, env: ctxEnv }, status) };
      const exprContexts = { ...contexts, env: stepEnv };
      const env: Record<string, string> = {
        ...plan.baseEnv,
        ...stepEnv,
        ...files,
        GITHUB_ACTION: id,
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: temp,
        PATH: [...addedPath]
          .reverse()
          .concat(plan.baseEnv['PATH'] ?? '')
          .join(':'),
      };
      const minutes = Number(tokenValue(token.find('timeout-minutes'), exprContexts) ?? 0);
      const runToken = token.find('run');
      const uses = asString(tokenValue(token.find('uses'), exprContexts));
      if (runToken) {
        const script = asString(tokenValue(runToken, exprContexts, status));
        const shell = asString(tokenValue(token.find('shell'), exprContexts)) || runDefaults.shell || '';
        const wd =
          asString(tokenValue(token.find('working-directory'), exprContexts)) ||
          runDefaults['working-directory'] ||
          '';
        const file = join(temp, `step_${i}.sh`);
        writeFileSync(file, script);
        // GitHub: no shell given → `bash -e {0}`; `shell: bash` → `bash --noprofile --norc -eo pipefail {0}`.
        const args = shell === 'bash' ? ['--noprofile', '--norc', '-eo', 'pipefail', file] : ['-e', file];
        if (shell !== '' && shell !== 'bash')
          throw new StepFailure(`the sandbox runs shell: bash only, not "${shell}"`);
        const code = await execute('bash', args, {
          cwd: resolve(workspace, wd),
          env,
          commands,
          signal: plan.signal,
          timeoutMs: minutes > 0 ? plan.realMs(minutes) : undefined,
        });
        if (code !== 0) throw new StepFailure(`Process completed with exit code ${code}.`);
      } else if (uses.startsWith('./')) {
        const inputs = stringMap(token.find('with'), exprContexts, status);
        await runLocalAction({
          uses,
          inputs,
          env,
          workspace,
          contexts: exprContexts,
          commands,
          plan,
          log,
          posts,
          minutes,
        });
      } else if (uses.startsWith('docker://')) {
        throw new StepFailure(`the sandbox has no stand-in for ${uses}`);
      } else {
        const action = standIn(uses);
        const inputs = stringMap(token.find('with'), exprContexts, status);
        await action({
          inputs,
          workspace,
          permissions: plan.permissions,
          githubToken: plan.githubToken,
          ...(plan.idToken ? { idToken: plan.idToken } : {}),
          ...(plan.iam ? { iam: plan.iam } : {}),
          now: plan.now,
          ref: plan.baseEnv['GITHUB_REF'] ?? '',
          sha: plan.baseEnv['GITHUB_SHA'] ?? '',
          world: plan.world,
          sandboxUrl: plan.sandboxUrl,
          region: plan.region,
          appTokenLifetimeMs: plan.appTokenLifetimeMs,
          log: (line) => commands.line(line),
          mask: (v) => masker.add(v),
          setOutput: (k, v) => {
            outputs[k] = v;
          },
          exportVariable: (k, v) => {
            addedEnv[k] = v;
          },
          post: (name, run) => posts.push({ name, run }),
        });
      }
    } catch (err) {
      outcome = plan.signal.aborted ? 'cancelled' : 'failure';
      const message = err instanceof StepFailure || err instanceof Error ? err.message : String(err);
      commands.line(`::error::${message}`);
    }
    // GitHub's runner processes the file commands after every step, whatever its outcome: a failed
    // step's outputs (deploy's `result: rolled-back`, its evidence) are what `if: always()` steps read.
    try {
      Object.assign(outputs, parseEnvFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')));
      Object.assign(addedEnv, parseEnvFile(readFileSync(files.GITHUB_ENV, 'utf8')));
      addedPath.push(
        ...readFileSync(files.GITHUB_PATH, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== ''),
      );
      const summary = readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8');
      if (summary) job.summary += masker.mask(summary);
    } catch (err) {
      outcome = 'failure';
      commands.line(`::error::${(err as Error).message}`);
    }
    log('##[endgroup]');
    const continueOnError = asString(tokenValue(token.find('continue-on-error'), contexts)) === 'true';
    const conclusion: Conclusion = outcome === 'failure' && continueOnError ? 'success' : outcome;
    if (conclusion === 'failure') status.failed = true;
    if (conclusion === 'cancelled') status.cancelled = true;
    steps[id] = { outputs, outcome, conclusion };
    Object.assign(record, { status: 'completed', conclusion, completedAt: plan.now() });
    plan.changed();
  }

  for (const post of posts.reverse()) {
    if (plan.halted?.()) break;
    const number = job.steps.length + 1;
    job.steps.push({
      number,
      name: post.name,
      status: 'completed',
      conclusion: 'success',
      startedAt: plan.now(),
      completedAt: plan.now(),
    });
    try {
      await post.run();
    } catch (err) {
      log(`##[warning]${post.name}: ${(err as Error).message}`);
    }
  }
  job.steps.push({
    number: job.steps.length + 1,
    name: 'Complete job',
    status: 'completed',
    conclusion: 'success',
    startedAt: plan.now(),
    completedAt: plan.now(),
  });
  job.annotations.push(...commands.annotations);

  const outputs: Record<string, string> = {};
  const declared = stringMap(field(plan.token, 'outputs'), contexts, { failed: false, cancelled: false });
  for (const [k, v] of Object.entries(declared)) {
    // GitHub drops job outputs that contain a secret.
    if (masker.mask(v) === v) outputs[k] = v;
    else log(`##[warning]Skip output '${k}' since it may contain secret.`);
  }
  const conclusion: Conclusion =
    status.cancelled || plan.signal.aborted ? 'cancelled' : status.failed ? 'failure' : 'success';
  return { conclusion, outputs };
}

function stepName(token: MappingToken, contexts: Contexts): string {
  const name = token.find('name');
  if (name) {
    try {
      return asString(tokenValue(name, contexts));
    } catch {
      // fall back below
    }
  }
  const uses = token.find('uses');
  if (uses) return `Run ${asString(tokenValue(uses, {}))}`;
  const run = token.find('run') as { value?: unknown; source?: unknown } | undefined;
  const text = String(run?.source ?? run?.value ?? 'run');
  return `Run ${text.split('\n')[0]}`;
}

interface ActionRun {
  uses: string;
  inputs: Record<string, string>;
  env: Record<string, string>;
  workspace: string;
  contexts: Contexts;
  commands: CommandProcessor;
  plan: JobPlan;
  log(line: string): void;
  posts: Array<{ name: string; run: () => Promise<void> | void }>;
  minutes: number;
}

interface ActionMetadata {
  inputs?: Record<string, { default?: unknown; required?: boolean }>;
  runs?: { using?: string; main?: string; post?: string; 'post-if'?: string };
}

/** `${{ }}` inside action.yml defaults, evaluated against the step's contexts. */
function interpolate(text: string, contexts: Contexts): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, expr: string) => asString(evaluate(expr.trim(), contexts)));
}

async function runLocalAction(a: ActionRun): Promise<void> {
  const dir = resolve(a.workspace, a.uses);
  let meta: ActionMetadata;
  try {
    const file = ['action.yml', 'action.yaml']
      .map((f) => join(dir, f))
      .find((f) => {
        try {
          readFileSync(f);
          return true;
        } catch {
          return false;
        }
      });
    if (!file)
      throw new Error(
        `Can't find 'action.yml' or 'action.yaml' under '${dir}'. Did you forget to run actions/checkout before running your local action?`,
      );
    meta = parseYaml(readFileSync(file, 'utf8')) as ActionMetadata;
  } catch (err) {
    throw new StepFailure((err as Error).message);
  }
  const using = meta.runs?.using ?? '';
  if (using !== 'node20' && using !== 'node24')
    throw new StepFailure(`the sandbox runs node20/node24 actions only; ${a.uses} uses "${using}"`);
  const inputEnv: Record<string, string> = {};
  const declared = meta.inputs ?? {};
  for (const name of Object.keys(a.inputs))
    if (!(name in declared))
      a.log(
        `##[warning]Unexpected input(s) '${name}', valid inputs are [${Object.keys(declared).join(', ')}]`,
      );
  for (const [name, spec] of Object.entries(declared)) {
    const value =
      a.inputs[name] ??
      (spec.default === undefined ? undefined : interpolate(String(spec.default), a.contexts));
    if (value !== undefined) inputEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const env = { ...a.env, ...inputEnv };
  const main = resolve(dir, meta.runs?.main ?? '');
  // GitHub's runner would fail with node's ERR_MODULE_NOT_FOUND stack; say what to do instead.
  if (!existsSync(main))
    throw new StepFailure(
      `${a.uses}: its bundle ${relative(a.workspace, main)} is not in the checkout; run \`npm run build\` and commit dist/`,
    );
  const timeoutMs = a.minutes > 0 ? a.plan.realMs(a.minutes) : undefined;
  const code = await execute(process.execPath, [main], {
    cwd: a.workspace,
    env,
    commands: a.commands,
    signal: a.plan.signal,
    timeoutMs,
  });
  const state = parseEnvFile(readFileSync(env['GITHUB_STATE']!, 'utf8'));
  const post = meta.runs?.post;
  if (post)
    a.posts.push({
      name: `Post ${a.uses}`,
      run: async () => {
        const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
        await execute(process.execPath, [resolve(dir, post)], {
          cwd: a.workspace,
          env: { ...env, ...stateEnv },
          commands: a.commands,
          signal: new AbortController().signal,
        });
      },
    });
  if (code !== 0) throw new StepFailure(`${a.uses} failed (exit code ${code})`);
}

interface ExecuteOptions {
  cwd: string;
  env: Record<string, string>;
  commands: CommandProcessor;
  signal: AbortSignal;
  timeoutMs?: number | undefined;
}

/** Spawn, feed every output line through the workflow-command processor, resolve the exit code. */
function execute(command: string, args: string[], o: ExecuteOptions): Promise<number> {
  return new Promise((done, fail) => {
    mkdirSync(o.cwd, { recursive: true });
    // Its own process group, so cancelling stops the whole step (a shell's `sleep` too, which
    // would otherwise hold the output open until it ends), as GitHub's runner stops a step's tree.
    const child = spawn(command, args, {
      cwd: o.cwd,
      env: o.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stop = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    };
    let timedOut = false;
    const timer =
      o.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            stop();
          }, o.timeoutMs)
        : undefined;
    const abort = stop;
    o.signal.addEventListener('abort', abort, { once: true });
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const l of lines) o.commands.line(l.replace(/\r$/, ''));
      });
      stream.on('end', () => {
        if (pending) o.commands.line(pending);
        pending = '';
      });
    }
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(new StepFailure(`${command}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      o.signal.removeEventListener('abort', abort);
      if (timedOut) fail(new StepFailure('The action has timed out.'));
      else done(code ?? (signal ? 143 : 1));
    });
  });
}

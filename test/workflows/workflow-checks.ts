/**
 * Our own workflow rules, beyond what actionlint checks (GitHub's "Security hardening for GitHub
 * Actions" guide):
 * `pull_request_target` / `workflow_run` (which hold secrets and write tokens) only when they run
 * no pull request code — no `run:` steps and no checkout of a pull request ref — no untrusted expressions inside `run:`, read-only top-level
 * permissions, third-party actions pinned by commit SHA with a version comment, checkouts that do
 * not persist credentials, deploy jobs serialised per environment without cancelling, and no
 * credential on a command line (every process on the runner can read another's arguments).
 */
import { LineCounter, parseDocument, type Node as YamlNode } from 'yaml';

export interface WorkflowFinding {
  rule:
    | 'yaml'
    | 'pull-request-target'
    | 'run-injection'
    | 'top-level-permissions'
    | 'unpinned-action'
    | 'pin-comment'
    | 'persist-credentials'
    | 'deploy-concurrency'
    | 'token-on-command-line';
  message: string;
  line: number;
}

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const SHA_PIN = /^[\w.-]+\/[\w.-]+(\/[^@\s]+)?@[0-9a-f]{40}$/;
const VERSION_COMMENT = /#\s*v\d+(\.\d+){0,2}\b/;
// `${{ … github.event.… }}` or anything reading head_ref: attacker-controlled text in a shell.
const UNTRUSTED_IN_RUN = /\$\{\{[^}]*\b(github\.event\b|github\.head_ref\b|head_ref\b)[^}]*\}\}/;

export function checkWorkflow(text: string): WorkflowFinding[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0)
    return [{ rule: 'yaml', message: doc.errors[0]?.message ?? 'invalid YAML', line: 1 }];
  const lines = text.split('\n');
  const lineOf = (path: Array<string | number>): number => {
    const node = doc.getIn(path, true) as YamlNode | undefined;
    const offset = node?.range?.[0];
    return offset === undefined ? 1 : lineCounter.linePos(offset).line;
  };
  const workflow = doc.toJS() as Json;
  if (!isObj(workflow)) return [{ rule: 'yaml', message: 'a workflow must be a mapping', line: 1 }];
  const findings: WorkflowFinding[] = [];

  const on = workflow['on'];
  const triggers = typeof on === 'string' ? [on] : Array.isArray(on) ? on : isObj(on) ? Object.keys(on) : [];
  const privileged = triggers.includes('pull_request_target') || triggers.includes('workflow_run');
  if (privileged && runsPullRequestCode(workflow))
    findings.push({
      rule: 'pull-request-target',
      message:
        'pull_request_target / workflow_run hold secrets and write tokens: run no pull request code (no run: steps, no checkout of a pull request ref)',
      line: lineOf(['on']),
    });

  const permissions = workflow['permissions'];
  if (!readOnly(permissions))
    findings.push({
      rule: 'top-level-permissions',
      message: 'top-level permissions must be read-only (e.g. contents: read); grant writes per job',
      line: permissions === undefined ? 1 : lineOf(['permissions']),
    });

  const topConcurrency = workflow['concurrency'];
  const jobs = isObj(workflow['jobs']) ? workflow['jobs'] : {};
  for (const [jobId, job] of Object.entries(jobs)) {
    if (!isObj(job)) continue;
    const steps = Array.isArray(job['steps']) ? job['steps'] : [];
    let deploys = false;
    steps.forEach((step, i) => {
      if (!isObj(step)) return;
      const at = ['jobs', jobId, 'steps', i];
      const run = step['run'];
      if (typeof run === 'string' && UNTRUSTED_IN_RUN.test(run))
        findings.push({
          rule: 'run-injection',
          message: `jobs.${jobId} step ${i + 1}: pass github.event.* / head_ref through env: and use "$VAR" in run:`,
          line: lineOf([...at, 'run']),
        });
      if (typeof run === 'string') {
        const env = isObj(step['env']) ? step['env'] : {};
        for (const problem of credentialArguments(run, env))
          findings.push({
            rule: 'token-on-command-line',
            message: `jobs.${jobId} step ${i + 1}: ${problem}; hand it to git as GIT_CONFIG_* in the environment`,
            line: lineOf([...at, 'run']),
          });
      }
      const uses = step['uses'];
      if (typeof uses !== 'string') return;
      if (uses === './actions/deploy') deploys = true;
      if (uses.startsWith('./') || uses.startsWith('docker://')) return;
      const line = lineOf([...at, 'uses']);
      if (!SHA_PIN.test(uses))
        findings.push({
          rule: 'unpinned-action',
          message: `${uses}: pin third-party actions by full 40-character commit SHA`,
          line,
        });
      else if (!VERSION_COMMENT.test(lines[line - 1] ?? ''))
        findings.push({
          rule: 'pin-comment',
          message: `${uses}: add the version as a comment, e.g. # v1.2.3`,
          line,
        });
      if (/^actions\/checkout@/.test(uses)) {
        const w = isObj(step['with']) ? step['with'] : {};
        if (w['persist-credentials'] !== false)
          findings.push({
            rule: 'persist-credentials',
            message: `jobs.${jobId}: actions/checkout must set persist-credentials: false`,
            line,
          });
      }
    });
    if (deploys) findings.push(...checkDeployConcurrency(jobId, job, topConcurrency, lineOf));
  }
  return findings;
}

/** A `run:` step, or a checkout whose `ref` names anything from the event (the head, a merge ref). */
function runsPullRequestCode(workflow: Obj): boolean {
  const jobs = isObj(workflow['jobs']) ? Object.values(workflow['jobs']) : [];
  return jobs.some((job) => {
    const steps = isObj(job) && Array.isArray(job['steps']) ? job['steps'] : [];
    return steps.some((step) => {
      if (!isObj(step)) return false;
      if (step['run'] !== undefined) return true;
      const uses = typeof step['uses'] === 'string' ? step['uses'] : '';
      const ref = isObj(step['with']) ? step['with']['ref'] : undefined;
      return uses.startsWith('actions/checkout@') && ref !== undefined;
    });
  });
}

function readOnly(permissions: Json): boolean {
  if (permissions === 'read-all' || permissions === '{}') return true;
  if (isObj(permissions) && Object.keys(permissions).length === 0) return true;
  if (!isObj(permissions)) return false;
  return Object.values(permissions).every((v) => v === 'read' || v === 'none');
}

function checkDeployConcurrency(
  jobId: string,
  job: Obj,
  topConcurrency: Json,
  lineOf: (path: Array<string | number>) => number,
): WorkflowFinding[] {
  const c = job['concurrency'];
  const line = lineOf(['jobs', jobId]);
  const findings: WorkflowFinding[] = [];
  if (!isObj(c) || typeof c['group'] !== 'string' || !/environment/.test(c['group']))
    findings.push({
      rule: 'deploy-concurrency',
      message: `jobs.${jobId} deploys: set concurrency with a group per application and environment`,
      line,
    });
  else if (c['cancel-in-progress'] !== false)
    findings.push({
      rule: 'deploy-concurrency',
      message: `jobs.${jobId} deploys: set cancel-in-progress: false so a baking deploy is never cancelled`,
      line,
    });
  if (isObj(topConcurrency) && topConcurrency['cancel-in-progress'] !== false)
    findings.push({
      rule: 'deploy-concurrency',
      message: 'a workflow that deploys must not cancel runs in progress at the top level',
      line: lineOf(['concurrency']),
    });
  return findings;
}

const SECRET_EXPRESSION = /\$\{\{[^}]*\b(secrets\.|github\.token\b|[\w-]+\.outputs\.token\b)[^}]*\}\}/;
/** A line that only assigns shell variables (`A=…`, `export A=… B`): it runs no program with them. */
const ASSIGNMENT = /^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Where a `run:` script would put a credential among a program's arguments: a secret expression
 * written into the script, or a line that runs a program with a variable holding one (lines that
 * only assign variables are fine: shell builtins and assignments start no process).
 */
function credentialArguments(run: string, env: Obj): string[] {
  const problems: string[] = [];
  if (SECRET_EXPRESSION.test(run)) problems.push('a secret or token expression is written into the script');
  const secretVars = Object.entries(env)
    .filter(([, v]) => typeof v === 'string' && SECRET_EXPRESSION.test(v))
    .map(([k]) => k);
  for (const name of secretVars) {
    const use = new RegExp(`\\$\\{?${name}\\b`);
    const line = run.split('\n').find((l) => use.test(l) && !ASSIGNMENT.test(l));
    if (line) problems.push(`$${name} holds a credential and is an argument of: ${line.trim()}`);
  }
  return problems;
}

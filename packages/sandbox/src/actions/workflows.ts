/**
 * Workflow files read with GitHub's parser, and which of them an event triggers: the event's
 * `types`, `branches`/`branches-ignore` and `paths`/`paths-ignore` filters, with GitHub's filter
 * pattern syntax (https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#filter-pattern-cheat-sheet).
 */
import { createHash } from 'node:crypto';
import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
  type WorkflowTemplate,
} from '@actions/workflow-parser';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';

export interface Workflow {
  /** `.github/workflows/deploy.yml` */
  path: string;
  name: string;
  template: WorkflowTemplate;
  /** The parsed document, for the keys the converted template leaves out (permissions, with, …). */
  root: MappingToken;
  errors: string[];
}

const cache = new Map<string, Workflow>();

export async function loadWorkflow(path: string, content: string): Promise<Workflow> {
  const key = createHash('sha1').update(path).update('\0').update(content).digest('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  const parsed = parseWorkflow({ name: path, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
  errors.push(...(template.errors ?? []).map((e) => e.Message).filter((m) => !errors.includes(m)));
  const root = parsed.value as MappingToken;
  const nameToken = root?.find?.('name');
  const name = nameToken && 'value' in nameToken ? String((nameToken as { value: unknown }).value) : path;
  const workflow: Workflow = { path, name, template, root, errors };
  cache.set(key, workflow);
  return workflow;
}

/** GitHub's filter patterns: `*` within a path segment, `**` across, `?`, `+`, `[...]`, leading `!` negates. */
export function patternRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '.?';
    else if (c === '+') re += '+';
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      re += end > i ? pattern.slice(i, end + 1) : '\\[';
      if (end > i) i = end;
    } else re += c.replace(/[.^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Patterns in order, later ones overriding earlier ones; `!` excludes. */
export function matchesPatterns(patterns: readonly string[], value: string): boolean {
  let matched = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    if (patternRegExp(negated ? p.slice(1) : p).test(value)) matched = !negated;
  }
  return matched;
}

export interface TriggerEvent {
  name: string;
  action?: string;
  /** Branch the filters are about: the pushed branch, or a pull request's base branch. */
  branch?: string;
  /** Changed files, for `paths` filters (undefined = unknown, which GitHub treats as matching). */
  changedFiles?: () => string[];
  /** For workflow_run: the name of the workflow that ran. */
  workflowName?: string;
  /** For workflow_dispatch: the file that was asked for. */
  dispatchedPath?: string;
}

/** Default activity types, as GitHub documents them per event. */
const DEFAULT_TYPES: Record<string, string[]> = {
  pull_request: ['opened', 'synchronize', 'reopened'],
  pull_request_target: ['opened', 'synchronize', 'reopened'],
  workflow_run: ['completed', 'requested'],
};

interface Filters {
  types?: string[];
  branches?: string[];
  'branches-ignore'?: string[];
  paths?: string[];
  'paths-ignore'?: string[];
  workflows?: string[];
}

export function triggers(workflow: Workflow, event: TriggerEvent): boolean {
  if (workflow.errors.length > 0) return false;
  const events = workflow.template.events as Record<string, Filters | undefined>;
  if (!(event.name in events)) return false;
  if (event.name === 'workflow_dispatch') return event.dispatchedPath === workflow.path;
  const f = events[event.name] ?? {};
  const types = f.types ?? DEFAULT_TYPES[event.name];
  if (types && event.action && !types.includes(event.action)) return false;
  if (event.branch !== undefined) {
    if (f.branches && !matchesPatterns(f.branches, event.branch)) return false;
    if (f['branches-ignore'] && matchesPatterns(f['branches-ignore'], event.branch)) return false;
  }
  if (f.workflows && !(event.workflowName && f.workflows.includes(event.workflowName))) return false;
  if ((f.paths || f['paths-ignore']) && event.changedFiles) {
    const files = event.changedFiles();
    if (f.paths && !files.some((file) => matchesPatterns(f.paths!, file))) return false;
    if (f['paths-ignore'] && files.every((file) => matchesPatterns(f['paths-ignore']!, file))) return false;
  }
  return true;
}

/**
 * The bake record: what a bake concluded about one AppConfig deployment (its number, the content
 * hash it served, the bake window and the verdict), kept where the next change can read it.
 *
 * Where: a GitHub deployment of task `flagops:bake` to the environment, its payload the facts and
 * the release record (schemas/release-record.schema.json), its status the verdict (`success`
 * healthy, `failure` breached, `error` unverified or no data), created with `auto_inactive: false`
 * so it never marks real deployments inactive (GitHub REST: "Create a deployment status"). Each
 * later write of the release is a new such deployment, one per revision, written conditionally
 * (./release-store.ts says why and how); older records kept their verdict and soak progress in the
 * newest status, and migrate on read. Why there and not in AppConfig: a deployment's description
 * and tags are set when it starts, before any bake could judge it, and the plan and change control
 * of a pull request run with a GitHub token but no AWS credentials — a GitHub deployment is the one
 * place every reader (plan, change control, the advancer, the soak watch) can find from a re-run.
 *
 * Why a pull request cannot forge it: only the jobs that run from `main` in the deployment
 * environment hold `deployments: write`; the plan and change control never run pull-request code
 * with a token. And readers never take a record on its word alone: a record counts only for the
 * content it names (its hash must equal what the base of the change compiles to), and readers with
 * AWS access (`flagops advance`, `flagops watch`) also check it against AppConfig's own deployment —
 * same number, same content hash in the version label, COMPLETE — so a record for content that never
 * ran, or for another deployment, is ignored.
 */
import { BAKE_TASK } from '../core/names.ts';
import type { TargetRef } from '../core/target.ts';
import { targetId } from '../core/target.ts';
import type { RepoRef } from '../github/api.ts';
import { gitHubFromEnv } from '../github/from-env.ts';
import type { Octokit } from '../github/octokit.ts';
import { compileTarget } from '../model/compile.ts';
import type { Repository } from '../model/types.ts';
import type { ReleaseResult } from '../pipeline/release.ts';
import { labelContentHash } from '../pipeline/versions.ts';
import type { CurrentStep, DwellProvider } from '../policy/finding.ts';
import { nextRevision, RECORD_VERSION, type ReleaseRecord } from '../release/record.ts';
import { labelCommit } from '../revert/restore.ts';
import {
  factsVerdict,
  machineLine,
  type RevisionStore,
  releaseIn,
  revisionOf,
  type WriteOutcome,
  winnerOf,
} from './release-store.ts';

export type BakeVerdict = 'healthy' | 'breached' | 'unverified' | 'no-data';

/** What is written once per baked deployment. */
export interface BakeFacts {
  target: string;
  environment: string;
  deploymentNumber: number;
  /** The first 16 hex digits of the content's SHA-256, as in the version label. */
  contentHash: string;
  /** The bake's window (epoch ms): the deployment's start to the bake's end. */
  window: { from: number; to: number };
  /** When AppConfig completed the deployment: the step serves everyone since. */
  completedAt: number;
  verdict: BakeVerdict;
  /**
   * The release record (schemas/release-record.schema.json) as `decide` left it at the bake's end,
   * stored in the same payload. Readers without it migrate the facts on read (`fromBakeRecord`).
   */
  release?: ReleaseRecord;
}

export interface BakeRecord extends BakeFacts {
  /** The GitHub deployment holding the record (one per revision: ./release-store.ts). */
  id: number;
  url?: string;
  /** The commit the deployment was created for: later revisions are created for it too. */
  sha?: string;
  /** An old record's newest status description: the prose `fromBakeRecord` migrates. */
  note?: string;
}

export interface BakeRecordStore extends RevisionStore<BakeRecord> {
  /** Write the record; a second call for the same deployment returns the first record unchanged. */
  record(facts: BakeFacts, ref: string): Promise<BakeRecord>;
  /** The newest record of a target (any verdict): its release's winning revision. */
  latest(target: TargetRef): Promise<BakeRecord | undefined>;
  /** Every release of a target, newest deployment first, each as its winning revision. */
  history(target: TargetRef): Promise<BakeRecord[]>;
}

const STATE: Record<BakeVerdict, 'success' | 'failure' | 'error'> = {
  healthy: 'success',
  breached: 'failure',
  unverified: 'error',
  'no-data': 'error',
};

export function gitHubBakeStore(octokit: Octokit, repo: RepoRef): BakeRecordStore {
  const base = { owner: repo.owner, repo: repo.repo };

  const list = async (environment: string): Promise<BakeRecord[]> => {
    const { data } = await octokit.rest.repos.listDeployments({
      ...base,
      task: BAKE_TASK,
      environment,
      per_page: 100,
    });
    return data.flatMap((d) => {
      const facts = parseFacts(d.payload);
      if (!facts) return [];
      const release = releaseIn(payloadObject(d.payload)?.['release'], facts);
      return [{ ...facts, ...(release ? { release } : {}), id: d.id, url: d.url, sha: d.sha }];
    });
  };

  /** Every stored revision of one release. */
  const revisions = async (r: Pick<BakeFacts, 'environment' | 'target' | 'deploymentNumber'>) =>
    (await list(r.environment)).filter(
      (x) => x.target === r.target && x.deploymentNumber === r.deploymentNumber,
    );

  /** An old record (no release data) keeps its verdict and prose in the newest status. */
  const withStatus = async (r: BakeRecord): Promise<BakeRecord> => {
    if (r.release) return r;
    const { data } = await octokit.rest.repos.listDeploymentStatuses({
      ...base,
      deployment_id: r.id,
      per_page: 1,
    });
    const newest = data[0];
    if (!newest) return r;
    const verdict: BakeVerdict =
      newest.state === 'success'
        ? 'healthy'
        : newest.state === 'failure'
          ? 'breached'
          : r.verdict === 'no-data'
            ? 'no-data'
            : 'unverified';
    return { ...r, verdict, ...(newest.description ? { note: newest.description } : {}) };
  };

  const create = async (facts: BakeFacts, ref: string, description: string): Promise<BakeRecord> => {
    const deployment = (at: string) =>
      octokit.rest.repos.createDeployment({
        ...base,
        ref: at,
        task: BAKE_TASK,
        environment: facts.environment,
        auto_merge: false,
        required_contexts: [],
        description,
        payload: { ...facts },
      });
    // The ref only says where the record was written from. A commit GitHub does not have (a
    // rollback run from an unpushed or uncommitted checkout) must not lose the record: the
    // repository's default branch holds it instead.
    const { data } = await deployment(ref).catch(async (error: unknown) => {
      if (!isUnknownRef(error)) throw error;
      const { data: repository } = await octokit.rest.repos.get(base);
      return deployment(repository.default_branch);
    });
    if (!('id' in data)) throw new Error(`GitHub did not create the bake record: ${data.message}`);
    await octokit.rest.repos.createDeploymentStatus({
      ...base,
      deployment_id: data.id,
      state: STATE[facts.verdict],
      description,
      auto_inactive: false,
    });
    return { ...facts, id: data.id, url: data.url, sha: data.sha };
  };

  /** A superseded or losing revision: marked inactive, then deleted (gone already is fine). */
  const retire = async (id: number) => {
    try {
      await octokit.rest.repos.createDeploymentStatus({
        ...base,
        deployment_id: id,
        state: 'inactive',
        auto_inactive: false,
      });
      await octokit.rest.repos.deleteDeployment({ ...base, deployment_id: id });
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status !== 404 && status !== 422) throw error;
    }
  };

  /** After creating `mine`: won when readers take it; the loser retires its own. */
  const settle = async (mine: BakeRecord): Promise<WriteOutcome<BakeRecord>> => {
    const all = await revisions(mine);
    const winner = winnerOf(all);
    if (winner?.id === mine.id) {
      for (const other of all) if (other.id !== mine.id) await retire(other.id);
      return { won: true, record: mine };
    }
    await retire(mine.id);
    return { won: false, current: winner ? await withStatus(winner) : undefined };
  };

  return {
    async record(facts, ref) {
      const existing = winnerOf((await revisions(facts)).filter((r) => r.contentHash === facts.contentHash));
      if (existing) return withStatus(existing);
      const description = facts.release
        ? machineLine(facts.release, `bake of deployment ${facts.deploymentNumber}`)
        : `bake of deployment ${facts.deploymentNumber}: ${facts.verdict}`;
      // Two first writers (a bake's job and a watch adopting it): the first created stays.
      const outcome = await settle(await create(facts, ref, description));
      if (outcome.won) return outcome.record;
      if (outcome.current) return outcome.current;
      throw new Error(
        `the bake record of deployment ${facts.deploymentNumber} vanished while it was written`,
      );
    },
    async latest(target) {
      const id = targetId(target);
      const mine = (await list(target.environment)).filter((r) => r.target === id);
      const newest = Math.max(...mine.map((r) => r.deploymentNumber));
      const winner = winnerOf(mine.filter((r) => r.deploymentNumber === newest));
      return winner ? withStatus(winner) : undefined;
    },
    async history(target) {
      const id = targetId(target);
      const mine = (await list(target.environment)).filter((r) => r.target === id);
      const numbers = [...new Set(mine.map((r) => r.deploymentNumber))].sort((a, b) => b - a);
      const winners = numbers.flatMap((n) => winnerOf(mine.filter((r) => r.deploymentNumber === n)) ?? []);
      return Promise.all(winners.map(withStatus));
    },
    async write(read, next, note) {
      // Cheap first check: the release still holds what was read (`nextRevision`); the decisive
      // one is after the create (settle), since another writer may create in between.
      const held = winnerOf(await revisions(read));
      if (!held || held.id !== read.id || nextRevision(revisionOf(read), revisionOf(held)) === undefined)
        return { won: false, current: held ? await withStatus(held) : undefined };
      const record: ReleaseRecord = { ...next, revision: revisionOf(read) + 1 };
      const facts: BakeFacts = {
        target: read.target,
        environment: read.environment,
        deploymentNumber: read.deploymentNumber,
        contentHash: read.contentHash,
        window: record.bake,
        completedAt: record.completedAt ?? read.completedAt,
        verdict: factsVerdict(record),
        release: record,
      };
      const ref =
        read.sha ?? (await octokit.rest.repos.getDeployment({ ...base, deployment_id: read.id })).data.sha;
      return settle(await create(facts, ref, machineLine(record, note)));
    },
  };
}

/** GitHub's 422 for a deployment whose ref it cannot resolve ("No ref found for: …"). */
function isUnknownRef(error: unknown): boolean {
  const e = error as { status?: number; message?: string } | null;
  return e?.status === 422 && /No ref found/i.test(e.message ?? '');
}

/** A payload as an object (GitHub may hand it back as a JSON string). */
function payloadObject(payload: unknown): Record<string, unknown> | undefined {
  let p: unknown = payload;
  if (typeof p === 'string') {
    try {
      p = JSON.parse(p);
    } catch {
      return undefined;
    }
  }
  return p && typeof p === 'object' ? (p as Record<string, unknown>) : undefined;
}

/** A payload is data from GitHub: take it only when every field has the expected type. */
export function parseFacts(payload: unknown): BakeFacts | undefined {
  const o = payloadObject(payload);
  if (!o) return undefined;
  const w = o['window'] as Record<string, unknown> | undefined;
  const verdicts: readonly string[] = ['healthy', 'breached', 'unverified', 'no-data'];
  if (
    typeof o['target'] !== 'string' ||
    typeof o['environment'] !== 'string' ||
    typeof o['deploymentNumber'] !== 'number' ||
    typeof o['contentHash'] !== 'string' ||
    !/^[0-9a-f]{16}$/.test(o['contentHash']) ||
    typeof o['completedAt'] !== 'number' ||
    !w ||
    typeof w['from'] !== 'number' ||
    typeof w['to'] !== 'number' ||
    typeof o['verdict'] !== 'string' ||
    !verdicts.includes(o['verdict'])
  )
    return undefined;
  return {
    target: o['target'],
    environment: o['environment'],
    deploymentNumber: o['deploymentNumber'],
    contentHash: o['contentHash'],
    window: { from: w['from'], to: w['to'] },
    completedAt: o['completedAt'],
    verdict: o['verdict'] as BakeVerdict,
  };
}

/**
 * The dwell rule's evidence from bake records: the newest record of each target counts only when
 * it is of the content the change's base compiles to (the step that runs now).
 */
export function dwellFromRecords(
  histories: ReadonlyMap<string, readonly BakeRecord[]>,
  expectedHash: (target: TargetRef) => string | undefined,
): DwellProvider {
  return {
    currentStep(target): CurrentStep {
      const history = histories.get(targetId(target)) ?? [];
      const newest = history[0];
      if (!newest) return { recorded: false, why: 'no bake of the current step is recorded' };
      const expected = expectedHash(target);
      const at = expected === undefined ? 0 : history.findIndex((r) => r.contentHash === expected);
      const own = history[at];
      if (!own || !history.slice(0, at).every(undone))
        return {
          recorded: false,
          why: `the newest recorded bake (deployment ${newest.deploymentNumber}) is of other content than the current step`,
        };
      return {
        recorded: true,
        verdict: own.verdict,
        since: new Date(Math.max(own.completedAt, ...history.slice(0, at).map(undoneAt))),
        deployment: own.deploymentNumber,
      };
    },
  };
}

/**
 * A later release that was rolled back (a breach, or someone's rollback) hands the service back to
 * the content before it: that content's bake still counts, from when it served again.
 */
function undone(r: BakeRecord): boolean {
  return r.verdict === 'breached';
}

function undoneAt(r: BakeRecord): number {
  return r.release?.rollback?.at ?? r.window.to;
}

/** The content hash (label form) a target of `repo` compiles to, or undefined when it does not. */
export function compiledHash(repo: Repository, target: TargetRef): string | undefined {
  const app = repo.applications[target.application];
  const t = repo.targets.find((x) => targetId(x) === targetId(target));
  if (!app || !t) return undefined;
  const compiled = compileTarget(app, t);
  return compiled.ok ? compiled.document.sha256.slice(0, 16) : undefined;
}

/**
 * The dwell evidence for every target of `base`, read from GitHub. Undefined without a token and repository: the rule then says it could not check.
 */
export async function dwellFromEnv(
  env: NodeJS.ProcessEnv,
  base: Repository,
): Promise<DwellProvider | undefined> {
  // Every target: the dwell applies where `dwell_minutes` says, the soak after enabling everywhere.
  const targets = base.targets;
  if (targets.length === 0) return undefined;
  if (!(env['GITHUB_TOKEN'] || env['GH_TOKEN']) || !env['GITHUB_REPOSITORY']) return undefined;
  const { octokit, api } = gitHubFromEnv(env);
  const store = gitHubBakeStore(octokit, api.repo);
  const histories = new Map<string, BakeRecord[]>();
  for (const t of targets) histories.set(targetId(t), await store.history(t));
  return dwellFromRecords(histories, (t) => compiledHash(base, t));
}

/**
 * The facts of a bake that ran to its end (healthy, unverified or no data), or that breached and
 * was rolled back, from its result; undefined when there is nothing to record (no bake, a breach
 * left serving, content flagops did not label).
 */
export function bakeFactsOf(result: ReleaseResult, target: TargetRef): BakeFacts | undefined {
  if (result.status === 'rolled-back') return breachFactsOf(result, target);
  const hash = labelContentHash(result.version?.label);
  if (
    !result.bake ||
    result.deploymentNumber === undefined ||
    !hash ||
    (result.status !== 'healthy' && result.status !== 'unverified' && result.status !== 'no-data')
  )
    return undefined;
  const completedAt = result.completedAt ?? result.bake.from;
  return {
    target: targetId(target),
    environment: target.environment,
    deploymentNumber: result.deploymentNumber,
    contentHash: hash,
    window: result.bake,
    completedAt,
    verdict: result.status,
    ...(result.release
      ? {
          release: {
            ...result.release,
            revision: result.release.revision + 1,
            deployed: { ...result.release.deployed, contentHash: hash, ...commitOf(result.version?.label) },
            completedAt,
            bake: result.bake,
          },
        }
      : {}),
  };
}

/**
 * A bake that breached and rolled back: recorded by the job that did it, with the rollback and
 * AppConfig's time for it, so readers (the dwell, the soak watch, status) need not wait for a
 * watch to adopt it. The window runs from the deployment's start to the rollback.
 */
function breachFactsOf(result: ReleaseResult, target: TargetRef): BakeFacts | undefined {
  const hash = labelContentHash(result.version?.label);
  const undone = result.rollback;
  if (!undone || result.deploymentNumber === undefined || !hash) return undefined;
  const window = { from: result.deployedAt ?? undone.at, to: Math.max(undone.at, result.deployedAt ?? 0) };
  const completedAt = result.completedAt ?? window.from;
  const release: ReleaseRecord = {
    version: RECORD_VERSION,
    target: targetId(target),
    deploymentNumber: result.deploymentNumber,
    revision: 1,
    deployed: { contentHash: hash, ...commitOf(result.version?.label) },
    completedAt,
    bake: window,
    guards: {},
    verdict: 'breached',
    rollback: {
      action: undone.action,
      at: undone.at,
      by: undone.adopted?.by ?? 'flagops (the bake)',
      ...(undone.serving ? { serving: undone.serving.number } : {}),
    },
  };
  return {
    target: release.target,
    environment: target.environment,
    deploymentNumber: result.deploymentNumber,
    contentHash: hash,
    window,
    completedAt,
    verdict: 'breached',
    release,
  };
}

/** The commit a flagops version label names, when it is one (the schema's hex digits). */
function commitOf(label: string | undefined): { commit?: string } {
  const commit = labelCommit(label);
  return commit && /^[0-9a-f]{7,40}$/.test(commit) ? { commit } : {};
}

/** The release records' store where the environment has GitHub (GITHUB_TOKEN, GITHUB_REPOSITORY). */
export function bakeStoreFromEnv(env: NodeJS.ProcessEnv): BakeRecordStore | undefined {
  if (!(env['GITHUB_TOKEN'] || env['GH_TOKEN']) || !env['GITHUB_REPOSITORY']) return undefined;
  const { octokit, api } = gitHubFromEnv(env);
  return gitHubBakeStore(octokit, api.repo);
}

/**
 * Record a finished bake where the environment allows (GITHUB_TOKEN and GITHUB_REPOSITORY set);
 * undefined when there is nothing to record or no GitHub to record it in.
 */
export async function recordBakeFromEnv(
  env: NodeJS.ProcessEnv,
  result: ReleaseResult,
  target: TargetRef,
  ref: string,
): Promise<BakeRecord | undefined> {
  const facts = bakeFactsOf(result, target);
  if (!facts) return undefined;
  if (!(env['GITHUB_TOKEN'] || env['GH_TOKEN']) || !env['GITHUB_REPOSITORY']) return undefined;
  const { octokit, api } = gitHubFromEnv(env);
  return gitHubBakeStore(octokit, api.repo).record(facts, ref);
}

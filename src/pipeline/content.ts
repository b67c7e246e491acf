/**
 * The content to deploy: a loaded repository at a commit, compiled for one target. The pipeline
 * asks a `ContentProvider` again right before StartDeployment, so a deploy that waited behind
 * another one deploys what `main` says *now*, never what it said when the run began.
 */

import { type TargetRef, targetId } from '../core/target.ts';
import { type CompiledDocument, compileTarget } from '../model/compile.ts';
import type { Application, Repository, Target } from '../model/types.ts';
import { PipelineError } from './context.ts';
import type { CommitInfo } from './versions.ts';

export interface Snapshot {
  repo: Repository;
  commit: CommitInfo;
}

export type ContentProvider = () => Promise<Snapshot>;

export interface TargetContent {
  app: Application;
  target: Target;
  document: CompiledDocument;
  commit: CommitInfo;
}

export function fixedContent(snapshot: Snapshot): ContentProvider {
  return async () => snapshot;
}

export function findTarget(repo: Repository, ref: TargetRef): { app: Application; target: Target } {
  const app = repo.applications[ref.application];
  if (!app) {
    const known = Object.keys(repo.applications).join(', ') || 'none';
    throw new PipelineError(`no application ${ref.application} under flags/ (found: ${known})`, 2);
  }
  const target = repo.targets.find(
    (t) =>
      t.application === ref.application && t.environment === ref.environment && t.profile === ref.profile,
  );
  if (!target) {
    const known = repo.targets
      .filter((t) => t.application === ref.application)
      .map((t) => `${t.environment}/${t.profile}`)
      .join(', ');
    throw new PipelineError(`no values file for ${targetId(ref)} (targets: ${known || 'none'})`, 2);
  }
  return { app, target };
}

/** Compile one target of a snapshot; any error diagnostic stops the deploy (README promise 2). */
export function compileSnapshot(snapshot: Snapshot, ref: TargetRef): TargetContent {
  const errors = snapshot.repo.diagnostics.filter((d) => d.severity === 'error');
  const { app, target } = findTarget(snapshot.repo, ref);
  const relevant = errors.filter(
    (d) => d.position.file === target.file || d.position.file.startsWith(`${app.dir}/app.yaml`),
  );
  if (relevant.length > 0) throw invalid(relevant);
  const result = compileTarget(app, target);
  if (!result.ok) throw invalid(result.diagnostics.filter((d) => d.severity === 'error'));
  return { app, target, document: result.document, commit: snapshot.commit };
}

function invalid(
  diagnostics: Array<{ message: string; position: { file: string; line: number; column: number } }>,
) {
  const lines = diagnostics.map(
    (d) => `${d.position.file}:${d.position.line}:${d.position.column}: error: ${d.message}`,
  );
  return new PipelineError(`refusing to deploy content that does not compile:\n${lines.join('\n')}`, 1);
}

/**
 * What a commit says about itself: sha, author, and the pull request it came from.
 */
import type { CommitInfo } from '../core/commit.ts';
import { gitOutput } from './run.ts';

/**
 * The commit a revision names: sha, author, and the pull request when the subject says so
 * (`Merge pull request #12 …` or a squash merge's `… (#12)`). `local` outside git.
 */
export function commitFromGit(root: string, rev = 'HEAD', overrides: Partial<CommitInfo> = {}): CommitInfo {
  const line = gitOutput(root, ['log', '-1', '--format=%H%x00%an%x00%s', rev]);
  const [sha, author, subject] = line ? line.split('\0') : [];
  const pr = /Merge pull request #(\d+)|\(#(\d+)\)\s*$/.exec(subject ?? '');
  const prNumber = pr ? Number(pr[1] ?? pr[2]) : undefined;
  return {
    sha: sha || 'local',
    ...(author ? { author } : {}),
    ...(prNumber !== undefined ? { pullRequest: prNumber } : {}),
    ...overrides,
  };
}

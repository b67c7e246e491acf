/** The commit a deployed version came from, as version descriptions and revert pull requests name it. */
export interface CommitInfo {
  /** Full or abbreviated commit id, or `local` for an uncommitted working tree. */
  sha: string;
  pullRequest?: number;
  author?: string;
}

/**
 * A repository source with some files replaced in memory: the loader and policy judge an edit
 * before it is written, so a refused change leaves the file untouched.
 */
import type { IrregularEntry, RepoSource } from '../model/source.ts';

export class OverlaySource implements RepoSource {
  readonly label: string;
  readonly root: string;
  constructor(
    private readonly base: RepoSource,
    private readonly files: Readonly<Record<string, string>>,
  ) {
    this.label = `${base.label} with edits`;
    this.root = base.root;
  }

  list(dir: string): string[] {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    const added = Object.keys(this.files).filter((p) => p.startsWith(prefix));
    return [...new Set([...this.base.list(dir), ...added])].sort();
  }

  irregular(dir: string): IrregularEntry[] {
    return this.base.irregular(dir).filter((e) => this.files[e.path] === undefined);
  }

  read(path: string): Buffer | undefined {
    const text = this.files[path];
    return text === undefined ? this.base.read(path) : Buffer.from(text, 'utf8');
  }
}

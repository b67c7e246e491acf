/**
 * A repository source with some files replaced (or, as null, removed) in memory: the loader and
 * policy judge an edit before it is written, so a refused change leaves the file untouched, and
 * change control judges a pull request's files over its base's.
 */
import type { IrregularEntry, RepoSource } from '../model/source.ts';

export class OverlaySource implements RepoSource {
  readonly label: string;
  readonly root: string;
  constructor(
    private readonly base: RepoSource,
    private readonly files: Readonly<Record<string, string | null>>,
  ) {
    this.label = `${base.label} with edits`;
    this.root = base.root;
  }

  list(dir: string): string[] {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    const listed = new Set(this.base.list(dir));
    for (const [path, text] of Object.entries(this.files)) {
      if (!path.startsWith(prefix)) continue;
      else if (text === null) listed.delete(path);
      else listed.add(path);
    }
    return [...listed].sort();
  }

  irregular(dir: string): IrregularEntry[] {
    return this.base.irregular(dir).filter((e) => !Object.hasOwn(this.files, e.path));
  }

  read(path: string): Buffer | undefined {
    if (!Object.hasOwn(this.files, path)) return this.base.read(path);
    const text = this.files[path];
    return text === null || text === undefined ? undefined : Buffer.from(text, 'utf8');
  }
}

// Types for build-lib.mjs, which stays plain JavaScript so `npm run build` needs no TypeScript loader.
export interface BuiltFile {
  /** Relative to the repository root, forward slashes, e.g. `dist/cli/index.mjs`. */
  path: string;
  contents: Buffer;
}
export declare const ROOT: string;
export declare const DIST: string;
export declare function entryPoints(root?: string): Record<string, string>;
export declare function buildAll(options: { write: boolean }): Promise<BuiltFile[]>;
export declare function listFiles(dir: string): string[];
export declare const LICENCES: string;
export declare const CLI_ENTRIES: Record<string, string>;
export declare function actionEntryPoints(root?: string): Record<string, string>;
export declare function buildBundles(options: {
  write: boolean;
}): Promise<{ files: BuiltFile[]; licences: string; modules: Record<string, string[]> }>;

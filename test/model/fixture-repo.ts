/**
 * Small repositories for loader tests: the real ONS application copied into a temp directory, with
 * files replaced, added or removed per test.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRepository } from '../../src/model/index.ts';
import { WorkingTreeSource } from '../../src/model/source.ts';
import type { Diagnostic, Repository } from '../../src/model/types.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const APP_DIR = 'flags/ons-data-platform-app';
export const APP_FILE = `${APP_DIR}/app.yaml`;
export const PROD_FLAGS = `${APP_DIR}/production/feature-flags.yaml`;
export const PROD_SETTINGS = `${APP_DIR}/production/app-settings.yaml`;

const created: string[] = [];

/** Copies flags/ and schemas/ of this repository, then writes (or, for null, deletes) the given files. */
export function makeRepo(files: Record<string, string | Uint8Array | null> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'flagops-model-'));
  created.push(root);
  cpSync(join(REPO_ROOT, 'flags'), join(root, 'flags'), { recursive: true });
  cpSync(join(REPO_ROOT, 'schemas'), join(root, 'schemas'), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const abs = join(root, path);
    if (content === null) {
      rmSync(abs, { recursive: true, force: true });
      continue;
    }
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return root;
}

export function removeRepos(): void {
  for (const root of created.splice(0)) rmSync(root, { recursive: true, force: true });
}

export function load(files: Record<string, string | Uint8Array | null> = {}): Repository {
  return loadRepository(new WorkingTreeSource(makeRepo(files)));
}

/** The one diagnostic with this code, failing loudly (with all diagnostics) when there is not exactly one. */
export function only(repo: Repository, code: string): Diagnostic {
  const found = repo.diagnostics.filter((d) => d.code === code);
  if (found.length !== 1) {
    throw new Error(
      `expected one ${code} diagnostic, got ${found.length}: ${JSON.stringify(repo.diagnostics, null, 2)}`,
    );
  }
  return found[0]!;
}

export const PROD_FLAGS_TEXT = `# yaml-language-server: $schema=../../../schemas/feature-flags.schema.json
use_influxdb_for_data_ingestion: { enabled: true }
use_influxdb_for_api_queries: { enabled: false }
influxdb_traffic_percentage:
  enabled: true
  percentage: 0
enable_query_performance_monitoring: { enabled: true }
`;

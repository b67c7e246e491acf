/**
 * A working copy for tests that release through the pipeline harness: a clone of the sandbox's
 * repository holding this project's flags/ and schemas/, with production soaking `soakMinutes`
 * after each change (written, not committed: each test commits its own first change).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../packages/sandbox/src/index.ts';
import type { PipelineHarness } from './pipeline-harness.ts';

const APP_YAML = 'flags/ons-data-platform-app/app.yaml';
const PRODUCTION_BAKE = '    bake_minutes: 15\n';

export function soakingCheckout(
  h: PipelineHarness,
  prefix: string,
  soakMinutes: number,
  env = process.env,
): string {
  const work = mkdtempSync(join(tmpdir(), prefix));
  execFileSync('git', ['clone', '--quiet', h.sandbox.gitRemote, '.'], { cwd: work, env, stdio: 'ignore' });
  for (const dir of ['flags', 'schemas'])
    cpSync(join(PROJECT_ROOT, dir), join(work, dir), { recursive: true });
  const appYaml = join(work, APP_YAML);
  const text = readFileSync(appYaml, 'utf8');
  if (!text.includes(PRODUCTION_BAKE)) throw new Error(`${APP_YAML} no longer has production's bake line`);
  writeFileSync(
    appYaml,
    text.replace(PRODUCTION_BAKE, `${PRODUCTION_BAKE}    soak_minutes: { default: ${soakMinutes} }\n`),
  );
  return work;
}

/**
 * `flagops protect`: what a real repository must set so change control holds, derived from
 * app.yaml — printed exactly as the README's "Setting up a real repository" shows it, the
 * committed CODEOWNERS is its output, and --apply sets the branch protection on the sandbox.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { command } from '../../src/cli/commands/protect.ts';
import { loadWorkingTree } from '../../src/model/revision.ts';
import { APP_KEY_SECRET, protectionFor } from '../../src/protect/settings.ts';
import { APP_DIR, type Harness, REPO, startHarness } from '../github/harness.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const ARGS = { owners: '@ons/platform-leads', 'app-id': 123456 };

async function run(
  options: Record<string, string | number | boolean | undefined>,
  env: NodeJS.ProcessEnv,
  cwd = ROOT,
) {
  const out: string[] = [];
  const io = {
    stdout: (t: string) => out.push(t),
    stderr: (t: string) => out.push(t),
    env,
    cwd,
    isTTY: false,
  };
  const code = await command.run({ options, positionals: [] }, io);
  return { code, out: out.join('') };
}

describe('flagops protect --print', () => {
  it('prints what the README says, line for line, and the committed CODEOWNERS', async () => {
    const { code, out } = await run({ ...ARGS, print: true }, { FLAGOPS_ROOT: ROOT });
    expect(code).toBe(0);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /app-id 123456` prints:\n {3}```\n([\s\S]*?)\n {3}```/.exec(readme)?.[1];
    expect(block?.split('\n').map((l) => l.replace(/^ {3}/, ''))).toEqual(out.trimEnd().split('\n'));
    expect(out).toContain(readFileSync(join(ROOT, '.github', 'CODEOWNERS'), 'utf8').trimEnd());
  });

  it('requires the status from the App and code-owner reviews on the latest push', async () => {
    const { out } = await run({ ...ARGS, print: true }, { FLAGOPS_ROOT: ROOT });
    const body = JSON.parse(out.slice(out.indexOf('\n{') + 1, out.indexOf('\n}\n') + 2));
    expect(body.required_status_checks.checks).toContainEqual({
      context: 'flagops/change-control',
      app_id: 123456,
    });
    expect(body.required_pull_request_reviews).toMatchObject({
      require_code_owner_reviews: true,
      dismiss_stale_reviews: true,
      require_last_push_approval: true,
    });
    expect(out).toContain('change-control: secrets FLAGOPS_APP_PRIVATE_KEY');
    // watch.yml's and advance.yml's jobs run in them: the App's key for runs on main only.
    expect(out).toContain('flagops-watch: secrets FLAGOPS_APP_PRIVATE_KEY');
    expect(out).toContain('flagops-advance: secrets FLAGOPS_APP_PRIVATE_KEY');
  });

  it("gives the App's key to every environment a workflow job reads it in, and no job reads it outside one", () => {
    const repo = loadWorkingTree(ROOT);
    const { environments } = protectionFor(repo, { owners: ARGS.owners, appId: ARGS['app-id'] });
    const holding = new Set(
      environments
        .filter((e) => e.secrets.includes(APP_KEY_SECRET) && e.branches.join() === 'main')
        .map((e) => e.name),
    );
    const deployEnvironments = Object.values(repo.applications).flatMap((a) =>
      a.environments.map((e) => e.name),
    );
    const dir = join(ROOT, '.github', 'workflows');
    const readers: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
      const workflow = parseYaml(readFileSync(join(dir, file), 'utf8')) as {
        jobs: Record<string, { environment?: string | { name: string }; steps?: unknown[] }>;
      };
      for (const [id, job] of Object.entries(workflow.jobs)) {
        if (!JSON.stringify(job.steps ?? []).includes(`secrets.${APP_KEY_SECRET}`)) continue;
        readers.push(`${file}#${id}`);
        const env = typeof job.environment === 'object' ? job.environment.name : job.environment;
        // deploy.yml's job runs in `${{ matrix.environment }}`: each application environment.
        const names = env === '${{ matrix.environment }}' ? deployEnvironments : env ? [env] : [];
        expect(names, `${file} job ${id} reads the App's key outside a main-only environment`).not.toEqual(
          [],
        );
        for (const name of names) expect(holding, `${file} job ${id}: environment ${name}`).toContain(name);
      }
    }
    // The four workflows that act as the App; a new one joins this test by reading the key.
    expect(readers.length).toBeGreaterThanOrEqual(4);
  });

  it('refuses bad usage with a message', async () => {
    await expect(run({ ...ARGS }, { FLAGOPS_ROOT: ROOT })).rejects.toMatchObject({ exitCode: 2 });
    await expect(run({ ...ARGS, print: true, owners: 'ons' }, { FLAGOPS_ROOT: ROOT })).rejects.toMatchObject({
      message: expect.stringContaining('--owners must be'),
    });
  });
});

describe('flagops protect --apply on the sandbox', () => {
  let h: Harness;
  let work: string;
  beforeAll(async () => {
    h = await startHarness();
    work = h.clone();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sets the branch protection of main and writes CODEOWNERS into the checkout', async () => {
    const env = { ...h.sandbox.env, GITHUB_TOKEN: 'sandbox-user-olivia', FLAGOPS_ROOT: work };
    const { code, out } = await run({ ...ARGS, apply: true }, env, work);
    expect(code).toBe(0);
    expect(out).toContain('branch protection of main set');
    const { data } = await h.octokit('olivia').rest.repos.getBranchProtection({ ...REPO, branch: 'main' });
    expect(data.required_pull_request_reviews).toMatchObject({
      require_code_owner_reviews: true,
      dismiss_stale_reviews: true,
    });
    expect(data.required_status_checks?.contexts).toContain('flagops/change-control');
    expect(readFileSync(join(work, '.github', 'CODEOWNERS'), 'utf8')).toContain(`/${APP_DIR}/production/`);
  });
});

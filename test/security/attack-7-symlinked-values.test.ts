/**
 * Attack 7: a values file committed as a symbolic link (`feature-flags.yaml -> /proc/self/environ`)
 * was followed by the loader, and the error quoted the content — the runner's secrets appeared in
 * the plan comment. Now links and special files under flags/ and schemas/ are refused unread, in
 * the working tree and in git revisions alike, and messages quote at most a short excerpt.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/actions/plan.ts';
import { markerFor } from '../../src/github/sticky-comment.ts';
import {
  GitRevisionSource,
  loadRepository,
  parseYamlFile,
  WorkingTreeSource,
} from '../../src/model/index.ts';
import { APP_DIR, type Harness, startHarness } from '../github/harness.ts';
import { git } from '../helpers/git.ts';
import { makeRepo, PROD_FLAGS, removeRepos } from '../model/fixture-repo.ts';

const SECRET = 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
let secretDir: string;
let secretFile: string;

beforeAll(() => {
  secretDir = mkdtempSync(join(tmpdir(), 'flagops-secret-'));
  secretFile = join(secretDir, 'environ');
  writeFileSync(secretFile, `HOME=/root\0${SECRET}\0PATH=/usr/bin`);
});

afterAll(() => {
  removeRepos();
  rmSync(secretDir, { recursive: true, force: true });
});

function linkedRepo(target: string, path = PROD_FLAGS): string {
  const root = makeRepo();
  unlinkSync(join(root, path));
  symlinkSync(target, join(root, path));
  return root;
}

describe('attack 7: the loader never follows links', () => {
  it.each([
    ['a secrets file', () => secretFile],
    ['/proc/self/environ', () => '/proc/self/environ'],
  ])('a values file linked to %s is refused by name, its content never read', (_label, target) => {
    const repo = loadRepository(new WorkingTreeSource(linkedRepo(target())));
    const refused = repo.diagnostics.find((d) => d.code === 'not-a-regular-file');
    expect(refused?.position.file).toBe(PROD_FLAGS);
    expect(refused?.message).toContain('is a symbolic link');
    expect(refused?.message).toContain('Commit the file');
    const all = JSON.stringify(repo);
    expect(all).not.toContain('wJalrXUtnFEMI');
    expect(all).not.toContain('PATH=');
  });

  it('a linked directory is refused too (flags/<app>/production -> elsewhere)', () => {
    const root = makeRepo();
    const dir = join(root, APP_DIR, 'production');
    rmSync(dir, { recursive: true });
    const outside = mkdtempSync(join(secretDir, 'dir-'));
    writeFileSync(join(outside, 'feature-flags.yaml'), `${SECRET}\n`);
    symlinkSync(outside, dir);
    const source = new WorkingTreeSource(root);
    expect(source.read(`${APP_DIR}/production/feature-flags.yaml`)).toBeUndefined();
    const repo = loadRepository(source);
    expect(repo.diagnostics.map((d) => d.code)).toContain('not-a-regular-file');
    expect(JSON.stringify(repo)).not.toContain('wJalrXUtnFEMI');
  });

  it('a FIFO under schemas/ is refused without blocking on it', () => {
    const root = makeRepo();
    const fifo = join(root, 'schemas', 'pipe.json');
    // mkfifo is POSIX; node has no API for it.
    execFileSync('mkfifo', [fifo]);
    const repo = loadRepository(new WorkingTreeSource(root));
    const d = repo.diagnostics.find((x) => x.position.file === 'schemas/pipe.json');
    expect(d?.message).toContain('is a FIFO');
  });

  it('a symbolic link committed to git is refused when reading the revision', () => {
    const root = linkedRepo(secretFile);
    git(root, 'init', '--quiet');
    git(root, 'add', '--all');
    git(root, 'commit', '--quiet', '-m', 'link');
    const repo = loadRepository(new GitRevisionSource(root, 'HEAD'));
    expect(repo.diagnostics.find((d) => d.code === 'not-a-regular-file')?.position.file).toBe(PROD_FLAGS);
  });

  it('a scalar file is quoted as a short excerpt, control characters replaced', () => {
    const parsed = parseYamlFile('f.yaml', Buffer.from(`"${SECRET}\\u0007 and much more text after it"`));
    const message = parsed.diagnostics[0]?.message ?? '';
    expect(message).toContain('the single value');
    expect(message).not.toContain('EXAMPLEKEY');
    expect(message.length).toBeLessThan(160);
  });
});

describe('attack 7 on the sandbox: the plan comment of such a pull request', () => {
  let h: Harness;
  const saved = { ...process.env };
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    process.env = { ...saved };
    await h?.close();
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('names the link, fails the plan and quotes no secret', async () => {
    const clone = h.clone();
    const base = git(clone, 'rev-parse', 'HEAD');
    git(clone, 'checkout', '--quiet', '-b', 'link-environ');
    const file = join(clone, APP_DIR, 'production', 'feature-flags.yaml');
    unlinkSync(file);
    symlinkSync(secretFile, file);
    git(clone, 'add', '--all');
    git(clone, 'commit', '--quiet', '-m', 'link');
    git(clone, 'push', '--quiet', 'origin', 'link-environ');
    const pr = await h
      .api('alice')
      .pulls.create({ head: 'link-environ', base: 'main', title: 'x', body: '' });
    const event = join(h.tmp, 'event-7.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: pr.number, base: { sha: base } } }));
    const summary = join(h.tmp, 'summary-7');
    writeFileSync(summary, '');
    process.env = {
      ...saved,
      ...h.sandbox.env,
      GITHUB_EVENT_PATH: event,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: join(h.tmp, 'out-7'),
      INPUT_TOKEN: 'sandbox-bot-flagops',
      'INPUT_WORKING-DIRECTORY': clone,
      FLAGOPS_NOW: '2026-06-02T09:00:00Z',
    };
    delete process.env['AWS_ACCESS_KEY_ID'];
    writeFileSync(join(h.tmp, 'out-7'), '');
    await run();
    expect(process.exitCode).toBe(1);
    const comments = (await h.api('flagops[bot]').comments.list(pr.number)).filter((c) =>
      c.body.includes(markerFor('plan')),
    );
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    expect(body).toContain('is a symbolic link');
    expect(body).not.toContain('wJalrXUtnFEMI');
  });
});

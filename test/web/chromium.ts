/**
 * Headless Chromium for the page tests: Debian's `chromium` (installed by .ci/run), driven by
 * playwright-core through `executablePath` — no browser download. Each launch gets a fresh profile
 * directory, removed on close, and no background traffic (the only network is the sandbox).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
];

export function chromiumPath(): string {
  const path = process.env['CHROMIUM_PATH'] ?? CANDIDATES.find((p) => existsSync(p));
  if (!path || !existsSync(path))
    throw new Error(
      "Chromium not found: install Debian's package (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH",
    );
  return path;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(viewport = { width: 1100, height: 900 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'flagops-chromium-'));
  // A persistent context is how Playwright takes a --user-data-dir (it refuses one in `args`).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

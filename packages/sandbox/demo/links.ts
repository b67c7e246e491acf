/**
 * The demo's last lines: the pages worth opening on the sandbox's GitHub (the rolled-back pull
 * request, its automatic revert, the deploy run), and — with `--browse` — keeping them up until the
 * person presses Ctrl-C.
 */
export interface DemoLink {
  label: string;
  /** Absent when this run did not produce it (nothing is printed for it). */
  url: string | undefined;
}

export function printLinks(out: (line?: string) => void, links: DemoLink[], browse: boolean): void {
  const shown = links.filter((l): l is { label: string; url: string } => l.url !== undefined);
  if (shown.length === 0) return;
  out();
  out('── See it (the sandbox serves GitHub-like pages at the html_urls its API returns)');
  const width = Math.max(...shown.map((l) => l.label.length));
  for (const link of shown) out(`  ${link.label.padEnd(width)}  ${link.url}`);
  out(
    browse
      ? '  The pages stay up until you press Ctrl-C.'
      : '  These pages close with the demo: `npm start -- --browse` keeps them up until Ctrl-C.',
  );
}

/** Resolves on the first SIGINT or SIGTERM, so the caller can close the sandbox cleanly. */
export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/**
 * The pages' HTML building blocks. Everything that comes from data goes through `esc` (or through
 * the Markdown sanitiser); page code only ever concatenates escaped text and its own markup.
 */

/** Escape text for an HTML text node or a double-quoted attribute value. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A link only for http(s) URLs and paths of this site; anything else (`javascript:`) stays text. */
export function link(url: string | null | undefined, text: string, attrs = ''): string {
  if (!isSafeUrl(url)) return esc(text);
  return `<a href="${esc(url)}"${attrs}>${esc(text)}</a>`;
}

export function isSafeUrl(url: string | null | undefined): url is string {
  return !!url && /^(https?:\/\/|\/)/i.test(url) && !url.startsWith('//');
}

/** Simulated epoch ms as GitHub's pages show a moment, in UTC so every run reads the same. */
export function when(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  const iso = new Date(ms).toISOString();
  return `<time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC</time>`;
}

export type Tone = 'success' | 'failure' | 'pending' | 'neutral' | 'merged' | 'open' | 'closed';

const MARKS: Record<Tone, string> = {
  success: '✓',
  failure: '✗',
  pending: '●',
  neutral: '–',
  merged: '⇄',
  open: '○',
  closed: '⊘',
};

/** A small coloured state mark with its words beside it (readable without colour too). */
export function badge(tone: Tone, words: string): string {
  return `<span class="badge ${tone}"><span aria-hidden="true">${MARKS[tone]}</span> ${esc(words)}</span>`;
}

export function mark(tone: Tone, title: string): string {
  return `<span class="mark ${tone}" title="${esc(title)}" aria-label="${esc(title)}">${MARKS[tone]}</span>`;
}

/** A label chip in its own colour; the colour is used only when it is a 6-digit hex value. */
export function label(name: string, color: string): string {
  const hex = /^[0-9a-f]{6}$/i.test(color) ? color : 'dddddd';
  const r = Number.parseInt(hex.slice(0, 2), 16);
  const g = Number.parseInt(hex.slice(2, 4), 16);
  const b = Number.parseInt(hex.slice(4, 6), 16);
  const dark = 0.299 * r + 0.587 * g + 0.114 * b < 140;
  return `<span class="label${dark ? ' dark' : ''}" style="background:#${hex}">${esc(name)}</span>`;
}

export interface PageOptions {
  title: string;
  /** `/github-web` */
  web: string;
  owner: string;
  repo: string;
  body: string;
  /** Which tab of the repository is current. */
  tab?: 'pulls' | 'actions' | 'code';
  /** Load mermaid and draw `pre.mermaid` blocks. */
  diagrams?: boolean;
}

export function page(options: PageOptions): string {
  const repoWeb = `${options.web}/${encodeURIComponent(options.owner)}/${encodeURIComponent(options.repo)}`;
  const tab = (name: PageOptions['tab'], href: string, text: string) =>
    `<a href="${esc(href)}"${options.tab === name ? ' aria-current="page"' : ''}>${text}</a>`;
  const scripts = options.diagrams
    ? `<script src="${esc(options.web)}/_assets/mermaid.min.js" defer></script>\n<script src="${esc(options.web)}/_assets/diagrams.js" defer></script>\n`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(options.title)} · ${esc(options.owner)}/${esc(options.repo)}</title>
<link rel="stylesheet" href="${esc(options.web)}/_assets/style.css">
${scripts}</head>
<body>
<header class="top">
<div class="wrap">
<a class="repo" href="${esc(repoWeb)}">${esc(options.owner)} / <strong>${esc(options.repo)}</strong></a>
<span class="sandbox">flagops sandbox</span>
<nav>${tab('code', `${repoWeb}`, 'Code')}${tab('pulls', `${repoWeb}/pulls`, 'Pull requests')}${tab('actions', `${repoWeb}/actions`, 'Actions')}</nav>
</div>
</header>
<main class="wrap">
${options.body}
</main>
</body>
</html>
`;
}

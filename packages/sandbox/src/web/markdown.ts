/**
 * Markdown as GitHub shows it in pull requests and comments: GitHub-flavoured (tables, task lists,
 * strikethrough, autolinks, raw `<details>`), then sanitised against an allowlist modelled on the one
 * GitHub documents for user content ("GitHub Flavored Markdown Spec" and github/markup's
 * "Sanitization filter"): no scripts, no event handlers, no `style`, only listed tags, attributes and
 * URL schemes, `id`s prefixed with `user-content-`. Only then are trusted additions made: ```mermaid
 * blocks become diagram containers the page's script draws, and `#N` becomes a link.
 *
 * marked parses (GFM built in, maintained, no plugins needed for task lists); sanitize-html cleans on
 * the server without a DOM (htmlparser2), so pages are safe before any script runs.
 */
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** Tags GitHub keeps in user content. `input` only for task-list checkboxes (forced disabled). */
const ALLOWED_TAGS = [
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'br',
  'b',
  'i',
  'strong',
  'em',
  'a',
  'pre',
  'code',
  'img',
  'tt',
  'div',
  'ins',
  'del',
  'sup',
  'sub',
  'p',
  'ol',
  'ul',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'blockquote',
  'dl',
  'dt',
  'dd',
  'kbd',
  'q',
  'samp',
  'var',
  'hr',
  'ruby',
  'rt',
  'rp',
  'li',
  'tr',
  'td',
  'th',
  's',
  'strike',
  'summary',
  'details',
  'caption',
  'figure',
  'figcaption',
  'abbr',
  'bdo',
  'cite',
  'dfn',
  'mark',
  'small',
  'span',
  'time',
  'wbr',
  'input',
];

/** Attributes allowed on every allowed tag (GitHub's list, minus form-only ones nothing here uses). */
const COMMON_ATTRIBUTES = [
  'abbr',
  'align',
  'alt',
  'aria-describedby',
  'aria-hidden',
  'aria-label',
  'aria-labelledby',
  'border',
  'cellpadding',
  'cellspacing',
  'colspan',
  'datetime',
  'dir',
  'headers',
  'height',
  'hreflang',
  'id',
  'lang',
  'name',
  'open',
  'rel',
  'role',
  'rowspan',
  'scope',
  'span',
  'start',
  'summary',
  'title',
  'valign',
  'width',
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    '*': COMMON_ATTRIBUTES,
    a: ['href'],
    img: ['src', 'longdesc'],
    blockquote: ['cite'],
    del: ['cite'],
    ins: ['cite'],
    q: ['cite'],
    input: ['type', 'checked', 'disabled'],
  },
  // Only a code block's language survives (it selects the mermaid drawing below); no other class.
  allowedClasses: { code: ['language-*'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'longdesc'],
  allowProtocolRelative: false,
  // Dropped with their content, as GitHub does; comments (`<!-- … -->`) are always dropped.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'iframe', 'template'],
  disallowedTagsMode: 'discard',
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs['type'] !== 'checkbox',
  transformTags: { '*': adjustTag },
};

/**
 * Task-list checkboxes cannot be ticked, links carry `rel="nofollow"`, and user-supplied `id`s and
 * `name`s get GitHub's `user-content-` prefix so they cannot clobber the page's own anchors.
 */
function adjustTag(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const out: sanitizeHtml.Attributes = { ...attribs };
  for (const key of ['id', 'name']) {
    const value = out[key];
    if (value !== undefined && !value.startsWith('user-content-')) out[key] = `user-content-${value}`;
  }
  if (tagName === 'input') out['disabled'] = '';
  if (tagName === 'a') out['rel'] = 'nofollow';
  return { tagName, attribs: out };
}

const marked = new Marked({ gfm: true, breaks: true, async: false });

export interface RenderOptions {
  /** Base of this repository's pages, for `#N` links (e.g. `/github-web/ons/flags`). */
  repoWeb?: string;
}

/** GitHub-flavoured Markdown → sanitised HTML (a fragment, safe to embed). */
export function renderMarkdown(text: string, options: RenderOptions = {}): string {
  const raw = marked.parse(text) as string;
  const clean = sanitizeHtml(raw, {
    ...SANITIZE,
    textFilter: (escaped, tag) => {
      if (tag === 'code' || tag === 'pre') return escaped;
      const text = emoji(escaped);
      return options.repoWeb === undefined || tag === 'a' ? text : linkReferences(text, options.repoWeb);
    },
  });
  return drawMermaid(clean);
}

/**
 * After sanitising, a code block whose language is mermaid becomes `<pre class="mermaid">` holding the
 * same escaped text: the diagram script reads its text and draws it (mermaid's strict security level
 * encodes labels); without JavaScript the source stays readable.
 */
function drawMermaid(html: string): string {
  return html.replace(
    /<pre><code class="language-mermaid">([^<]*)<\/code><\/pre>/g,
    (_, source: string) => `<pre class="mermaid">${source}</pre>`,
  );
}

/** The shortcodes flagops and its users write; GitHub leaves unknown ones as they are, so do we. */
const EMOJI: Record<string, string> = {
  '+1': '👍',
  '-1': '👎',
  arrow_down: '⬇️',
  arrow_up: '⬆️',
  eyes: '👀',
  heavy_check_mark: '✔️',
  hourglass: '⌛',
  information_source: 'ℹ️',
  lock: '🔒',
  no_entry: '⛔',
  rewind: '⏪',
  rocket: '🚀',
  stop_sign: '🛑',
  tada: '🎉',
  warning: '⚠️',
  white_check_mark: '✅',
  x: '❌',
};

function emoji(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);
}

/** `#12` in prose links to pull request 12, as on GitHub (never inside links or code). */
function linkReferences(escaped: string, repoWeb: string): string {
  return escaped.replace(
    /(^|[\s(])#(\d{1,9})\b/g,
    (_, before: string, n: string) => `${before}<a href="${repoWeb}/pull/${n}">#${n}</a>`,
  );
}

/**
 * Text from data (flag names, guard descriptions, alarm reasons, messages quoting values) as
 * GitHub-flavoured Markdown that stays text: no HTML (a `<!--` would hide the rest of a comment),
 * no @-mentions or team pings, no issue references, no emphasis, links, images, autolinked URLs or
 * table breaks, and code spans the text cannot close. This is the one place that escapes for
 * GitHub: every comment, pull request body, check and job summary flagops writes goes through here
 * (`mdText` for text, `mdCode`/`mdTableCode` for quoted values, `mdProse` for flagops' own messages
 * that quote data in backticks, `htmlText` for the HTML a job summary's tables are made of).
 *
 * GitHub renders comments as CommonMark plus tables, then sanitises the HTML and links
 * `@user`/`@org/team` in text nodes (not inside code). A zero-width space after `@` keeps the text
 * readable and breaks the mention, as GitHub's own Dependabot does in its pull request bodies.
 */

const ZERO_WIDTH_SPACE = '&#8203;';

/**
 * `&`, `<`, `>`, quotes as entities, mentions, autolinks and issue references broken: for HTML
 * contexts (job summary tables) and Markdown text. `references: false` keeps `#N` a link, for a
 * heading flagops writes around its own pull request number.
 */
export function htmlText(text: string, options: { references?: boolean } = {}): string {
  const escaped = neutraliseLinks(
    text
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
      .replaceAll("'", '&#39;'),
  );
  return options.references === false ? escaped : neutraliseReferences(escaped);
}

/**
 * What GitHub turns into a link or a notification by itself, broken by a zero-width space so it
 * shows the same and does neither: `@name` and `@org/team` (mentions) and GFM's extended autolinks
 * (`https://…`, `www.…`): an escaped `[text](url)` would otherwise still show a live URL. Input must
 * already be HTML-escaped, so the entity is not escaped again.
 */
function neutraliseLinks(escaped: string): string {
  return escaped
    .replaceAll('@', `@${ZERO_WIDTH_SPACE}`)
    .replaceAll('://', `:${ZERO_WIDTH_SPACE}//`)
    .replace(/\b(www)\./gi, `$1${ZERO_WIDTH_SPACE}.`);
}

/**
 * Punctuation that means something inline in GFM: code, emphasis, strikethrough, links and images,
 * table cells, backslashes. `_` only at a word's edge (GFM ignores it inside words, so
 * `snake_case` stays readable); HTML is escaped separately.
 */
const INLINE_MARKUP = /[\\`*~[\]|]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g;
/** What turns the start of a line into a heading, list, quote or setext underline. */
const LINE_START_MARKUP = /^(\s*)(?:([#=+-])|(\d+)([.)]))/;

/**
 * Inline Markdown text that renders exactly as given: one line, HTML-escaped, markup
 * backslash-escaped, mentions neutralised. Safe inside table cells and list items.
 */
export function mdText(text: string): string {
  return inlineText(text, true);
}

function inlineText(text: string, atLineStart: boolean): string {
  const oneLine = text.replace(/\r\n?|\n/g, ' ');
  const escaped = oneLine.replace(INLINE_MARKUP, (c) => `\\${c}`);
  const safe = atLineStart
    ? escaped.replace(LINE_START_MARKUP, (_m, space: string, sign?: string, digits?: string, dot?: string) =>
        sign ? `${space}\\${sign}` : `${space}${digits}\\${dot}`,
      )
    : escaped;
  return htmlText(safe);
}

/**
 * `#123` and `GH-123` in Markdown text: GitHub links them and a comment or pull request body that
 * names an issue puts a cross-reference on that timeline, so data never does.
 */
function neutraliseReferences(escaped: string): string {
  return escaped
    .replace(/(?<!&)#(?=\d)/g, `#${ZERO_WIDTH_SPACE}`) // not an entity's own `&#`
    .replace(/\b(gh)-(?=\d)/gi, `$1-${ZERO_WIDTH_SPACE}`);
}

/**
 * An inline code span the text cannot break out of: a fence longer than any backtick run inside
 * (CommonMark), on one line. Mentions and HTML are not interpreted inside code spans.
 */
export function mdCode(text: string): string {
  const clean = text.replace(/\r\n?|\n/g, ' ');
  if (clean === '') return '` `';
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  // Padding keeps a backtick at either end from joining the fence; CommonMark strips one space
  // from each side when both are present, so text that starts or ends with a space is padded too.
  const pad = longest > 0 || /^ | $/.test(clean) ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** A code span inside a table cell: GitHub splits cells at `|` even inside code unless escaped. */
export function mdTableCode(text: string): string {
  return mdCode(text.replaceAll('|', '\\|'));
}

/**
 * Prose written by flagops that quotes data in backticks (diagnostics, policy findings):
 * the backtick-quoted parts become unbreakable code spans, everything else escaped text. An
 * unmatched backtick is escaped as text, so no input can open a span that swallows the rest.
 * Spans escape `|`, so the result is safe in table cells too.
 */
export function mdProse(text: string): string {
  const parts = text.replace(/\r\n?|\n/g, ' ').split('`');
  const closed = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (i % 2 === 1 && i < closed) out += mdTableCode(part);
    else out += (i % 2 === 1 ? '\\`' : '') + inlineText(part, i === 0);
  }
  return out;
}

/**
 * A fenced code block (multi-line text such as a timeline): the fence is longer than any backtick
 * run in the text, so nothing inside ends it; nothing inside a code block is interpreted.
 */
export function mdCodeBlock(text: string, info = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text.replace(/\r\n?/g, '\n')}\n${fence}`;
}

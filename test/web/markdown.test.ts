/**
 * Markdown as GitHub renders and sanitises it: GFM features survive, hostile markup does not.
 * Pure: strings in, HTML out.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../packages/sandbox/src/web/markdown.ts';

describe('renderMarkdown: GitHub-flavoured', () => {
  it('renders tables, task lists, details, code and strikethrough', () => {
    const html = renderMarkdown(
      [
        '| Guard | Value |',
        '|---|---:|',
        '| error-rate | 7.5 |',
        '',
        '- [x] merged',
        '- [ ] deployed',
        '',
        '<details><summary>Evidence</summary>',
        '',
        '**bold** ~~gone~~ `code`',
        '</details>',
        '',
        '```yaml',
        'percentage: 25',
        '```',
      ].join('\n'),
    );
    expect(html).toContain('<th>Guard</th>');
    expect(html).toMatch(/<td align="right">7\.5<\/td>/);
    expect(html).toContain('<input checked disabled type="checkbox" /> merged');
    expect(html).toContain('<input disabled type="checkbox" /> deployed');
    expect(html).toContain('<details><summary>Evidence</summary>');
    expect(html).toContain('<strong>bold</strong> <del>gone</del> <code>code</code>');
    expect(html).toContain('<pre><code class="language-yaml">percentage: 25');
  });

  it('turns a mermaid block into a diagram container holding the escaped source', () => {
    const html = renderMarkdown('```mermaid\nxychart-beta\n  title "a <b> & c"\n  line [0, 25]\n```');
    expect(html).toBe(
      '<pre class="mermaid">xychart-beta\n  title "a &lt;b&gt; &amp; c"\n  line [0, 25]\n</pre>\n',
    );
  });

  it('links #N to the pull request page, but not inside code or links', () => {
    const html = renderMarkdown('Reverts #12. See `#13` and [#14](https://example.com/x)', {
      repoWeb: '/github-web/ons/flags',
    });
    expect(html).toContain('<a href="/github-web/ons/flags/pull/12">#12</a>');
    expect(html).toContain('<code>#13</code>');
    expect(html).toContain('<a href="https://example.com/x" rel="nofollow">#14</a>');
    expect(html).not.toContain('pull/13');
    expect(html).not.toContain('pull/14');
  });

  it('shows the emoji shortcodes flagops writes, outside code', () => {
    expect(renderMarkdown(':rewind: rolled back :unknown: `:x:`')).toBe(
      '<p>⏪ rolled back :unknown: <code>:x:</code></p>\n',
    );
  });
});

describe('renderMarkdown: sanitised as GitHub sanitises', () => {
  const hostile = [
    '<img src="x" onerror="document.title=\'pwned\'">',
    '<script>window.pwned = true</script>',
    '<style>body { display: none }</style>',
    '<p style="color:red" onclick="alert(1)" class="x">styled</p>',
    '<a href="javascript:alert(1)">js link</a> <a href="//evil.example/">protocol-relative</a>',
    '<iframe src="https://evil.example/"></iframe><form action="/x"><input type="text" name="q"></form>',
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    '<div id="checks">shadow</div>',
    '<!-- a hidden note -->visible',
  ].join('\n\n');
  const html = renderMarkdown(hostile);

  it('drops scripts, styles, frames, forms and SVG with their content', () => {
    expect(html).not.toMatch(/<script|<style|<iframe|<form|<svg|<circle/i);
    expect(html).not.toContain('window.pwned');
    expect(html).not.toContain('display: none');
  });

  it('drops every event handler, style and class attribute, and unsafe URLs', () => {
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).not.toMatch(/\sstyle=|\sclass=/i);
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('evil.example');
    expect(html).toContain('<img src="x" />');
    expect(html).toContain('<p>styled</p>');
    expect(html).toContain('<a rel="nofollow">js link</a>');
  });

  it('keeps only checkbox inputs, drops HTML comments, prefixes user ids', () => {
    expect(html).not.toContain('type="text"');
    expect(html).not.toContain('hidden note');
    expect(html).toContain('visible');
    expect(html).toContain('<div id="user-content-checks">shadow</div>');
  });

  it('an unclosed comment hides the rest, as on GitHub, without leaking markup', () => {
    const out = renderMarkdown('before\n\n<!-- never closed\n<script>x()</script>');
    expect(out).toContain('before');
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<!--');
  });

  it('a mermaid block cannot smuggle markup out of its text', () => {
    const out = renderMarkdown('```mermaid\n</pre><script>alert(1)</script>\n```');
    expect(out).toBe('<pre class="mermaid">&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;\n</pre>\n');
  });
});

import { describe, expect, it } from 'vitest';
import { htmlText, mdCode, mdCodeBlock, mdProse, mdTableCode, mdText } from '../../src/escape/markdown.ts';

/** What survives as markup: raw `<`, an un-neutralised mention, a line break. */
function markupLeaks(md: string): string[] {
  const leaks: string[] = [];
  if (/</.test(md)) leaks.push('raw <');
  if (/@(?!&#8203;)\w/.test(md)) leaks.push('live @-mention');
  if (/[\r\n]/.test(md)) leaks.push('line break');
  return leaks;
}

describe('mdText', () => {
  it.each([
    ['an HTML comment that would hide the rest', 'a <!-- b'],
    ['a team ping', 'ask @ons/platform-leads'],
    ['a user ping', '@alice'],
    ['a line break that would end a table row', 'a\n| x |'],
    ['an image', '![x](https://evil.example/x.png)'],
    ['a script tag', '<script>alert(1)</script>'],
    ['a CR', 'a\rb'],
  ])('leaves no markup in %s', (_label, input) => {
    expect(markupLeaks(mdText(input))).toEqual([]);
  });

  it('escapes the characters that would make emphasis, links or cells', () => {
    expect(mdText('*a* _b_ [c](d) |e| `f` ~g~')).toBe('\\*a\\* \\_b\\_ \\[c\\](d) \\|e\\| \\`f\\` \\~g\\~');
    expect(mdText('snake_case stays')).toBe('snake_case stays');
  });

  it.each([
    ['# heading', '\\# heading'],
    ['- item', '\\- item'],
    ['1. item', '1\\. item'],
    ['== setext', '\\== setext'],
  ])('escapes %s at the start, where it would make a block', (input, out) => {
    expect(mdText(input)).toBe(out);
  });

  it.each([
    ['a written link', '[x](https://evil.example)', '\\[x\\](https:&#8203;//evil.example)'],
    ['a bare URL GitHub would autolink', 'go https://evil.example', 'go https:&#8203;//evil.example'],
    ['a www autolink', 'www.evil.example', 'www&#8203;.evil.example'],
    ['an issue reference', 'fixes #12', 'fixes #&#8203;12'],
    ['a GH- reference', 'GH-12', 'GH-&#8203;12'],
  ])('breaks %s with a zero-width space, so it shows the same and links nowhere', (_l, input, out) => {
    expect(mdText(input)).toBe(out);
  });

  it('leaves entities it wrote itself intact when breaking references', () => {
    expect(mdText("it's @a #1")).toBe('it&#39;s @&#8203;a #&#8203;1');
  });

  it('keeps the text readable: a mention shows the same with a zero-width space', () => {
    expect(mdText('@alice')).toBe('@&#8203;alice');
    expect(mdText('a & b < c')).toBe('a &amp; b &lt; c');
  });
});

describe('mdCode', () => {
  it('fences longer than any backtick run, so the text cannot close the span', () => {
    expect(mdCode('a`b')).toBe('`` a`b ``');
    expect(mdCode('x``` <b>')).toBe('```` x``` <b> ````');
  });

  it('pads text that starts or ends with a backtick or space and keeps it on one line', () => {
    expect(mdCode('`a')).toBe('`` `a ``');
    expect(mdCode(' a ')).toBe('`  a  `');
    expect(mdCode('a\nb')).toBe('`a b`');
    expect(mdCode('')).toBe('` `');
  });

  it('escapes pipes only in table cells', () => {
    expect(mdTableCode('a|b')).toBe('`a\\|b`');
    expect(mdCode('a|b')).toBe('`a|b`');
  });
});

describe('mdProse', () => {
  it('keeps our backtick quotes as code spans and escapes the text around them', () => {
    expect(mdProse('flag `a<b` is <bad> @x')).toBe('flag `a<b` is &lt;bad&gt; @&#8203;x');
  });

  it('an unmatched backtick is escaped, so it cannot open a span over the rest', () => {
    expect(mdProse('a `b <!-- c')).toBe('a \\`b &lt;!-- c');
  });

  it('data with backticks inside a quoted part stays inert', () => {
    const md = mdProse('value `x` <img src=x>` y`');
    expect(markupLeaks(md.replace(/`[^`]*`/g, ''))).toEqual([]);
  });
});

describe('mdCodeBlock and htmlText', () => {
  it('a code block cannot be closed by the text', () => {
    expect(mdCodeBlock('a\n```\nb')).toBe('````\na\n```\nb\n````');
  });

  it('htmlText escapes quotes too (attribute contexts) and neutralises mentions', () => {
    expect(htmlText(`"'<>& @a`)).toBe('&quot;&#39;&lt;&gt;&amp; @&#8203;a');
  });
});

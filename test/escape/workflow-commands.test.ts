import { describe, expect, it } from 'vitest';
import { escapeCommandData, escapeCommandProperty, logLine } from '../../src/escape/workflow-commands.ts';

describe('workflow command escaping', () => {
  it('command data keeps %, CR and LF from ending the command', () => {
    expect(escapeCommandData('50% a\r\nb')).toBe('50%25 a%0D%0Ab');
  });

  it('properties escape : and , as well', () => {
    expect(escapeCommandProperty('a:b,c')).toBe('a%3Ab%2Cc');
  });

  it.each([
    ['a command on its own', '::add-mask::ons'],
    ['a command after whitespace (the runner trims it)', '   ::warning::x'],
    ['a command on a second line', 'reason\n::error::pwned'],
    ['a command after CR', 'reason\r::stop-commands::t'],
  ])('a log line never starts a command: %s', (_label, text) => {
    const out = logLine(text);
    expect(out.split(/\r?\n|\r/)).toHaveLength(1);
    expect(out.trimStart().startsWith('::')).toBe(false);
  });

  it('ordinary text is unchanged', () => {
    expect(logLine('production: bake 3 min left')).toBe('production: bake 3 min left');
  });
});

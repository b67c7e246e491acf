import { describe, expect, it } from 'vitest';
import { compileLinear } from '../../src/model/linear-regexp.ts';

const regexp = (pattern: string) => {
  const compiled = compileLinear(pattern);
  if (!compiled.ok) throw new Error(compiled.reason);
  return compiled.regexp;
};

describe('linear-time patterns', () => {
  it('answers as RegExp does, the same text asked again included', () => {
    const name = regexp('^[a-z][a-zA-Z\\d_-]{0,63}$');
    for (const round of [1, 2]) {
      expect(name.test('use_influxdb'), `round ${round}`).toBe(true);
      expect(name.test('Use_influxdb'), `round ${round}`).toBe(false);
      expect(name.test(''), `round ${round}`).toBe(false);
    }
  });

  it('stays right past the remembered texts (the cache starts over, answers do not change)', () => {
    const even = regexp('^\\d*[02468]$');
    for (let round = 0; round < 2; round += 1)
      for (let n = 0; n < 10_000; n += 1) {
        if (even.test(String(n)) !== (n % 2 === 0)) throw new Error(`wrong answer for ${n}`);
      }
  });

  it('refuses a backreference, saying how to rewrite it', () => {
    const refused = compileLinear('^(a)\\1$');
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toMatch(/backreference.*rewrite it without them/);
  });

  it('is linear where a backtracking engine is not: (a+)+$ on 5,000 a and a !', () => {
    expect(regexp('^(a+)+$').test(`${'a'.repeat(5000)}!`)).toBe(false);
  });
});

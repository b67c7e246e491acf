import { describe, expect, it } from 'vitest';
import { formatDiagnostic, formatGithubAnnotation } from '../../src/model/index.ts';
import type { Diagnostic } from '../../src/model/types.ts';

const base: Diagnostic = {
  severity: 'error',
  code: 'unknown-flag',
  message: 'unknown flag `x`.',
  position: { file: 'flags/app/production/feature-flags.yaml', line: 7, column: 3 },
};

describe('formatDiagnostic', () => {
  it('prints path:line:col: severity: message', () => {
    expect(formatDiagnostic(base)).toBe(
      'flags/app/production/feature-flags.yaml:7:3: error: unknown flag `x`.',
    );
    expect(formatDiagnostic({ ...base, severity: 'warning' })).toContain(':7:3: warning: ');
  });
});

describe('formatGithubAnnotation', () => {
  it('prints a workflow command GitHub turns into an annotation', () => {
    expect(formatGithubAnnotation(base)).toBe(
      '::error file=flags/app/production/feature-flags.yaml,line=7,col=3,title=flagops unknown-flag::unknown flag `x`.',
    );
  });

  it('escapes %, CR and LF in the message so it stays one command', () => {
    const line = formatGithubAnnotation({ ...base, message: '100% wrong\r\nsecond line' });
    expect(line).toMatch(/::100%25 wrong%0D%0Asecond line$/);
    expect(line.split('\n')).toHaveLength(1);
  });

  it('escapes , and : in properties so a path cannot end the property list', () => {
    const line = formatGithubAnnotation({
      ...base,
      position: { file: 'flags/a,b:c.yaml', line: 1, column: 1 },
    });
    expect(line).toContain('file=flags/a%2Cb%3Ac.yaml,line=1,');
  });

  it('uses ::warning for warnings', () => {
    expect(formatGithubAnnotation({ ...base, severity: 'warning' })).toMatch(/^::warning file=/);
  });
});

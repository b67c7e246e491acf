import { describe, expect, it } from 'vitest';
import { checkState, findingToDiagnostic } from '../../src/policy/index.ts';
import { onsRepo } from './builders.ts';

describe('findingToDiagnostic', () => {
  it('keeps the message and position and names the rule in the code', () => {
    const [finding] = checkState(onsRepo({ percentage: 50 }, { percentage: 25 }));
    expect(finding).toBeDefined();
    expect(findingToDiagnostic(finding!)).toEqual({
      severity: 'error',
      message: finding!.message,
      position: { file: 'flags/ons-data-platform-app/production/feature-flags.yaml', line: 6, column: 15 },
      code: 'policy/promotion-order',
    });
  });

  it('falls back to the document position when the value has no location', () => {
    const repo = onsRepo({ percentage: 50 }, { percentage: 25 });
    const production = repo.targets[1]!;
    production.locations = { '': { file: production.file, line: 1, column: 1 } };
    const [finding] = checkState(repo);
    expect(finding?.position).toEqual({ file: production.file, line: 1, column: 1 });
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allEnvironments, deployMatrix, touchedEnvironments } from '../../src/approvals/touched.ts';
import { loadRepository } from '../../src/model/index.ts';
import { WorkingTreeSource } from '../../src/model/source.ts';

const repo = loadRepository(new WorkingTreeSource(join(import.meta.dirname, '..', '..')));
const APP = 'ons-data-platform-app';
const touched = (...paths: string[]) => Object.fromEntries(touchedEnvironments(repo, paths));

describe('touchedEnvironments', () => {
  it('maps a values file to its environment', () => {
    expect(touched(`flags/${APP}/production/feature-flags.yaml`)).toEqual({ [APP]: ['production'] });
  });

  it('treats app.yaml and schemas/ as touching every environment, in promotion order', () => {
    expect(touched(`flags/${APP}/app.yaml`)).toEqual({ [APP]: ['development', 'production'] });
    expect(touched('schemas/app.schema.json')).toEqual({ [APP]: ['development', 'production'] });
  });

  it('ignores files outside flags/ and schemas/', () => {
    expect(touched('README.md', 'src/cli/main.ts')).toEqual({});
  });
});

describe('deployMatrix', () => {
  it('has one entry per application and environment', () => {
    expect(deployMatrix(touchedEnvironments(repo, [`flags/${APP}/development/app-settings.yaml`]))).toEqual({
      include: [{ application: APP, environment: 'development' }],
    });
    expect(deployMatrix(allEnvironments(repo)).include).toHaveLength(2);
    expect(deployMatrix(allEnvironments(repo, 'other')).include).toEqual([]);
  });
});

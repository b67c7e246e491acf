/**
 * The evidence record between the deploy/bake step and the revert step: what the CLI builds in
 * memory and what a workflow passes through a step output give the revert pull request the same
 * facts. Pure: a release result made by hand.
 */
import { describe, expect, it } from 'vitest';
import { releaseOutputs } from '../../src/actions/release-report.ts';
import type { ReleaseResult } from '../../src/pipeline/release.ts';
import {
  EVIDENCE_VERSION,
  evidenceFromJson,
  evidenceFromRelease,
  parseEvidenceRecord,
} from '../../src/revert/evidence.ts';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const rolledBack: ReleaseResult = {
  target: 'ons-data-platform-app/production/feature-flags',
  status: 'rolled-back',
  changed: true,
  deploymentNumber: 7,
  deployedAt: T0,
  version: { number: 12, label: 'abc1234' },
  previousVersion: { number: 11, label: 'def5678' },
  breaches: [
    {
      kind: 'appconfig-rollback',
      deploymentNumber: 7,
      triggeredBy: 'APPCONFIG',
      description: 'alarm',
      at: T0 + 60_000,
    },
  ],
  rollback: {
    action: 'stopped',
    deploymentNumber: 7,
    serving: { number: 11, label: 'def5678' },
    verified: true,
    at: T0 + 90_000,
  },
  exitCode: 1,
  // The timeline is for people; the record never reads it.
  timeline: [],
};

describe('evidence record', () => {
  it('carries a version, and the workflow path gives the same evidence as the CLI path', () => {
    const json = JSON.stringify(releaseOutputs(rolledBack).evidence);
    expect(JSON.parse(json).version).toBe(EVIDENCE_VERSION);
    const fromWorkflow = evidenceFromJson(json, { runUrl: 'https://ci/runs/1' });
    expect(fromWorkflow).toEqual([evidenceFromRelease(rolledBack, { runUrl: 'https://ci/runs/1' })]);
    expect(fromWorkflow[0]).toMatchObject({
      deploymentNumber: 7,
      badVersion: { number: 12, label: 'abc1234' },
      serving: { number: 11, label: 'def5678' },
      deployedAt: T0,
      rolledBackAt: T0 + 90_000,
      rollbackAction: 'stopped',
    });
  });

  it('needs no revert for a healthy release, and filters by target', () => {
    const healthy = { ...rolledBack, status: 'healthy' as const, breaches: [] };
    const { rollback: _, ...noRollback } = healthy;
    expect(evidenceFromJson(JSON.stringify(releaseOutputs(noRollback).evidence))).toEqual([]);
    const json = JSON.stringify(releaseOutputs(rolledBack).evidence);
    expect(evidenceFromJson(json, { only: (t) => t.profile === 'app-settings' })).toEqual([]);
  });

  it('refuses what is not a record of this version, saying what to pass', () => {
    expect(() => parseEvidenceRecord('ts=1 rolled back deployment 7')).toThrow(/not JSON.*"evidence" output/);
    expect(() => parseEvidenceRecord('[]')).toThrow(/not an evidence record/);
    expect(() => parseEvidenceRecord(JSON.stringify({ target: 'a/b/c', breaches: [] }))).toThrow(
      /version null, this revert action reads version 1/,
    );
    expect(() => parseEvidenceRecord(JSON.stringify({ version: 1, target: 'a/b/c' }))).toThrow(
      /lacks its target, status or breaches/,
    );
  });
});

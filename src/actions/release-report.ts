/**
 * A release result as an action hands it back: outputs, the job summary (a table and the bake
 * timeline), and an error annotation per breach. Shared by the deploy and bake actions.
 */
import { mdProse } from '../escape/markdown.ts';
import { describeBreach } from '../guards/verdict.ts';
import { formatTimeline } from '../pipeline/events.ts';
import type { ReleaseResult } from '../pipeline/release.ts';
import { evidenceRecord } from '../revert/evidence.ts';
import { log, setOutputs, writeSummary } from './kit.ts';

export function releaseOutputs(r: ReleaseResult) {
  return {
    changed: r.changed,
    'deployment-number': r.deploymentNumber,
    version: r.version?.number,
    'previous-version': r.previousVersion?.number,
    result: r.status,
    // One versioned record (src/revert/evidence.ts) that the revert action reads back whole.
    evidence: evidenceRecord(r),
  };
}

export async function reportRelease(r: ReleaseResult): Promise<void> {
  setOutputs(releaseOutputs(r));
  for (const b of r.breaches) log.error(describeBreach(b), `flagops: breach in ${r.target}`);
  const v = (x: ReleaseResult['version']) => (x ? `${x.number}${x.label ? ` (${x.label})` : ''}` : '—');
  await writeSummary([
    {
      heading: `flagops ${r.target}: ${r.status}`,
      table: [
        ['target', 'result', 'deployment', 'version', 'previous version', 'rollback'],
        [
          r.target,
          r.status,
          r.deploymentNumber ?? '—',
          v(r.version),
          v(r.previousVersion),
          r.rollback ? `${r.rollback.action}${r.rollback.verified ? ', verified' : ', NOT verified'}` : '—',
        ],
      ],
      lines: [
        ...r.breaches.map((b) => `**Breach:** ${mdProse(describeBreach(b))}`),
        ...(r.message ? [`**Note:** ${mdProse(r.message)}`] : []),
      ],
      code: formatTimeline(r.timeline),
    },
  ]);
}

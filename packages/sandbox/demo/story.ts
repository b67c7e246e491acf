/**
 * `flagops demo` (`npm start`): the GitOps story on the embedded sandbox, told by this repository's
 * own workflows. The people of the story push branches, run `flagops set-percentage --pr`, review
 * and merge through the API (src/demo/workflow-story.ts); the sandbox runs `.github/workflows/` on
 * what they do, and the demo prints what those runs did — run, job and step conclusions and the job
 * summaries — and what AppConfig serves. The pipeline is never called from here.
 */
import { printLinks, untilInterrupted } from './links.ts';
import type { JobView, RunView } from './people.ts';
import { SCENARIO, type StoryEvent, startStorySandbox, tellStory } from './workflow-story.ts';

export interface DemoOptions {
  /** Simulated seconds per real second. */
  speed: number;
  /** Keep the sandbox (and its pages) up after the story until Ctrl-C. */
  browse?: boolean;
}

/** Where the story is told (the CLI passes its own IO; the demo needs nothing else from it). */
export interface DemoOutput {
  stdout(text: string): void;
}

export async function runDemo(io: DemoOutput, options: DemoOptions): Promise<number> {
  const out = (line = ''): void => io.stdout(`${line}\n`);
  out('flagops demo — GitOps for AppConfig feature flags, told by this repository’s own workflows');
  out();
  out(`  A local AppConfig + CloudWatch + GitHub runs on a simulated clock (${options.speed}× real time),`);
  out('  seeded with this repository; it runs .github/workflows/ on what people do, as GitHub would.');
  out(`  Its traffic scenario "${SCENARIO}" makes InfluxDB fail once it serves more than`);
  out('  40 % of API queries. People only push, review and merge; the workflows do everything else.');

  const sandbox = await startStorySandbox({ speed: options.speed });
  try {
    const stamp = (): string => new Date(sandbox.clock.now()).toISOString().slice(11, 19);
    const story = await tellStory(sandbox, (e) => tell(out, stamp, e));

    const revert = story.raise.revert;
    const ok = revert !== undefined && story.release.served === 10 && story.guard.backtest !== undefined;
    out();
    out('── What happened');
    const held = story.hold.dispatch?.conclusion === 'failure' && story.hold.served === 25;
    out(
      revert
        ? `  #${story.raise.pull.number} raised production to 50 %; deploy.yml rolled it back on the breach and opened #${revert.number}.`
        : `  #${story.raise.pull.number} raised production to 50 %, but no automatic revert pull request was opened.`,
    );
    if (held)
      out(`  While #${revert?.number} was open, production was held: the dispatched deploy was refused.`);
    if (story.revert.merge.merged)
      out(`  Merging #${revert?.number} made main say what runs; its deploy changed nothing.`);
    if (story.release.pull)
      out(
        `  The hold released, #${story.release.pull.number} deployed: production serves ${story.release.served ?? '?'} % InfluxDB.`,
      );
    const backtest = story.guard.backtest;
    out(
      backtest
        ? `  #${story.guard.pull.number} loosens a guard; its plan comment says how often the old and the new rule would have fired over two weeks.`
        : `  #${story.guard.pull.number} loosens a guard, but its plan comment has no backtest.`,
    );
    printLinks(
      out,
      [
        { label: `Rolled-back pull request #${story.raise.pull.number}`, url: story.raise.pull.url },
        { label: `Automatic revert #${revert?.number}`, url: revert?.url },
        { label: 'The deploy run that rolled back', url: story.raise.deploy?.url },
        { label: `Guard change #${story.guard.pull.number} and its backtest`, url: story.guard.pull.url },
        {
          label: 'Pull requests',
          url: `${sandbox.env['GITHUB_SERVER_URL']}/${sandbox.env['GITHUB_REPOSITORY']}/pulls`,
        },
      ],
      options.browse === true,
    );
    if (options.browse) await untilInterrupted();
    return ok ? 0 : 1;
  } finally {
    await sandbox.close();
  }
}

function tell(out: (line?: string) => void, stamp: () => string, e: StoryEvent): void {
  switch (e.kind) {
    case 'chapter':
      out();
      out(`── ${e.title}`);
      return;
    case 'person':
      out(`[${stamp()}] ${e.who}: ${e.what}`);
      return;
    case 'served':
      out(
        `[${stamp()}] AppConfig serves ${e.environment}: ${e.percentage ?? 'nothing'}${e.percentage === undefined ? '' : ' % InfluxDB'}`,
      );
      return;
    case 'runs':
      for (const run of e.runs) describeRun(out, run);
      return;
    case 'comment':
      out(`[${stamp()}] the plan comment on #${e.pull} — ${e.title}:`);
      for (const line of plainLines(e.text)) out(`    ${line}`);
  }
}

/** A comment section as terminal text: no heading marks, emphasis, code fences or backticks. */
function plainLines(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((l) => !/^(#+\s|```)/.test(l) && l.trim() !== '')
    .map((l) =>
      l
        .replace(/\*\*|`/g, '')
        .replace(/^_(.*)_$/, '$1')
        .replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1')
        .replace(/&gt;/g, '>')
        .replace(/&lt;/g, '<')
        .replace(/&amp;/g, '&'),
    );
}

/** One run: its conclusion, each job's, the steps that ran, and the job summary's headline lines. */
function describeRun(out: (line?: string) => void, run: RunView): void {
  const on = run.pullRequests.length > 0 ? ` on #${run.pullRequests.join(', #')}` : '';
  out(`    ${mark(run.conclusion)} workflow "${run.workflow}" (${run.event}${on}): ${run.conclusion}`);
  for (const job of run.jobs) describeJob(out, job);
}

function describeJob(out: (line?: string) => void, job: JobView): void {
  if (job.conclusion === 'skipped') {
    out(`        job ${job.name}: skipped`);
    return;
  }
  const steps = job.steps
    .filter((s) => !/^(Set up job|Complete job|Post )/.test(s.name) && s.conclusion !== 'skipped')
    .map((s) => `${mark(s.conclusion)} ${s.name.replace(/^Run (\S+?)@[0-9a-f]{40}$/, '$1')}`);
  out(`        job ${job.name}: ${job.conclusion} — ${steps.join(', ')}`);
  for (const line of summaryLines(job.summary)) out(`          ${line}`);
}

/** The summary's headings and first table rows, as plain text (at most four lines). */
function summaryLines(summary: string): string[] {
  const lines: string[] = [];
  for (const raw of summary.split('\n')) {
    const line = raw.trim();
    if (/^#+\s/.test(line)) lines.push(line.replace(/^#+\s*/, ''));
    else if (/^\|/.test(line) && !/^\|[\s|:-]+\|$/.test(line) && lines.length > 0)
      lines.push(
        line
          .split('|')
          .map((c) => c.trim())
          .filter((c) => c !== '')
          .join(' · '),
      );
    if (lines.length >= 4) break;
  }
  return lines.map((l) => l.replace(/\*\*|`/g, ''));
}

function mark(conclusion: string | null): string {
  if (conclusion === 'success') return '✓';
  if (conclusion === 'failure' || conclusion === 'timed_out') return '✗';
  if (conclusion === 'skipped' || conclusion === 'cancelled') return '–';
  return '·';
}

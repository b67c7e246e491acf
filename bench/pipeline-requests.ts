/**
 * What the sandbox receives, request by request: every request's operation (as the sandbox's own
 * services name it, so faults and this log agree), on the simulated and the real clock. Observed
 * with an extra `request` listener on the sandbox's HTTP server — nothing is mocked or wrapped.
 * And the poll accounting the pipeline benchmark derives from it.
 */
import type { IncomingMessage } from 'node:http';
import type { Sandbox } from '../packages/sandbox/src/index.ts';
import type { ReleaseEvent, Reporter } from '../src/pipeline/events.ts';

export interface LoggedRequest {
  operation: string;
  /** Simulated epoch ms when the request arrived. */
  sim: number;
  /** performance.now() when the request arrived. */
  real: number;
}

export function recordRequests(sandbox: Sandbox): LoggedRequest[] {
  const log: LoggedRequest[] = [];
  sandbox.server.server.on('request', (req: IncomingMessage) => {
    log.push({ operation: operationOf(sandbox, req), sim: sandbox.clock.now(), real: performance.now() });
  });
  return log;
}

function operationOf(sandbox: Sandbox, req: IncomingMessage): string {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  if (url.pathname.startsWith('/_sandbox/')) return `control ${url.pathname}`;
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const request = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers,
    body: Buffer.alloc(0),
    baseUrl: sandbox.url,
  };
  for (const service of sandbox.server.services) {
    const op = service.resolve(request);
    if (op) return op.operation;
  }
  return `${request.method} ${url.pathname}`;
}

/** A reporter noting, for each pipeline event, how many requests the sandbox had received by then. */
export interface Mark {
  event: ReleaseEvent;
  requests: number;
}

export function markingReporter(log: LoggedRequest[], marks: Mark[]): Reporter {
  return { emit: (event) => marks.push({ event, requests: log.length }) };
}

/** `breach`: the poll that found a breach (it may read the deployment once more before acting). */
export type Phase = 'deploying' | 'baking' | 'breach';

export interface PollTally {
  polls: number;
  calls: Record<string, number>;
}

export type PollTallies = Record<Phase, PollTally>;

export function emptyTallies(): PollTallies {
  return {
    deploying: { polls: 0, calls: {} },
    baking: { polls: 0, calls: {} },
    breach: { polls: 0, calls: {} },
  };
}

/**
 * Split the requests of one release's watch loop into polls. Every iteration of the bake loop ends
 * in exactly one event: a `bake` line, a `breach`, or `bake complete`; the requests since the
 * previous such event (or since StartDeployment) are that poll's. Polls up to and including the one
 * that saw COMPLETE ("deployment complete; baking until …") happened while AppConfig was still
 * deploying or baking on its own; the later ones are flagops' bake after COMPLETE.
 */
export function tallyPolls(log: LoggedRequest[], marks: Mark[], from: number, into: PollTallies): void {
  const started = log.findIndex((r, i) => i >= from && r.operation === 'StartDeployment');
  if (started < 0) throw new Error('no StartDeployment in the request log');
  let begin = started + 1;
  let phase: Phase = 'deploying';
  let completeSeen = false;
  for (const mark of marks) {
    if (mark.event.kind === 'info' && mark.event.message.startsWith('deployment complete;'))
      completeSeen = true;
    const closes =
      mark.event.kind === 'bake' ||
      mark.event.kind === 'breach' ||
      ((mark.event.kind === 'info' || mark.event.kind === 'warning') &&
        mark.event.message.startsWith('bake complete'));
    if (!closes || mark.requests <= begin) continue;
    const poll = log.slice(begin, mark.requests);
    begin = mark.requests;
    const tally = into[mark.event.kind === 'breach' ? 'breach' : phase];
    tally.polls += 1;
    for (const r of poll) tally.calls[r.operation] = (tally.calls[r.operation] ?? 0) + 1;
    if (completeSeen) phase = 'baking';
  }
}

export function callsPerPoll(t: PollTally): number {
  const total = Object.values(t.calls).reduce((a, b) => a + b, 0);
  return t.polls === 0 ? 0 : total / t.polls;
}

export function describeCalls(t: PollTally): string {
  return Object.entries(t.calls)
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op} ${(n / Math.max(1, t.polls)).toFixed(2)}`)
    .join(', ');
}

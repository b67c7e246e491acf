/**
 * What the pipeline tells the outside world while it works. Every step emits events through an
 * injected reporter; the CLI draws a progress bar and a countdown from them, the actions log plain
 * lines, and `runRelease` keeps them all as the timeline it returns.
 */
import type { Breach, WatchStatus } from '../guards/verdict.ts';

interface Base {
  /** Epoch ms on the pipeline's clock. */
  at: number;
  /** `application/environment/profile`. */
  target: string;
  /** One readable line. */
  message: string;
}

export type ReleaseEvent =
  | (Base & { kind: 'info' | 'warning' })
  | (Base & { kind: 'progress'; deployment: number; state: string; percent: number })
  | (Base & { kind: 'bake'; remainingMs: number; status: WatchStatus })
  | (Base & { kind: 'breach'; breaches: Breach[] });

export interface Reporter {
  emit(event: ReleaseEvent): void;
}

export const silentReporter: Reporter = { emit: () => {} };

/** A reporter that also keeps every event (the timeline). */
export function recordingReporter(inner: Reporter = silentReporter): Reporter & { events: ReleaseEvent[] } {
  const events: ReleaseEvent[] = [];
  return {
    events,
    emit(event) {
      events.push(event);
      inner.emit(event);
    },
  };
}

/** `+12:30 production/feature-flags  message` lines, relative to the first event. */
export function formatTimeline(events: ReleaseEvent[]): string {
  const first = events[0]?.at ?? 0;
  return events
    .filter((e) => e.kind !== 'bake' || e.status !== 'pending')
    .map((e) => `${formatOffset(e.at - first)}  ${e.message}`)
    .join('\n');
}

export function formatOffset(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `+${h}:${mmss}` : `+${mmss}`;
}

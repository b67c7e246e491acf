/**
 * Pipeline events for people. On a terminal: one line per step, and a progress bar or bake
 * countdown redrawn in place; elsewhere (CI logs, pipes): plain lines only.
 */
import type { ReleaseEvent, Reporter } from './events.ts';

const BAR_WIDTH = 30;

export function progressBar(percent: number, width = BAR_WIDTH): string {
  const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(percent)).padStart(3)}%`;
}

export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function terminalReporter(write: (text: string) => void, isTTY: boolean): Reporter {
  let live = false; // A redrawable status line is on screen.
  const clear = () => {
    if (live) write('\r\x1b[2K');
    live = false;
  };
  return {
    emit(e: ReleaseEvent) {
      if (!isTTY) {
        write(`${plainLine(e)}\n`);
        return;
      }
      if (e.kind === 'progress') {
        clear();
        write(`deployment ${e.deployment} ${progressBar(e.percent)} ${e.state}`);
        live = true;
        return;
      }
      if (e.kind === 'bake') {
        clear();
        const head =
          e.remainingMs > 0 && !e.message.startsWith('watching')
            ? `bake ${countdown(e.remainingMs)} left`
            : 'watching';
        write(
          `${head} · ${e.message.replace(/^[^:]*: /, '')}`.slice(
            0,
            process.stdout.columns ? process.stdout.columns - 1 : 160,
          ),
        );
        live = true;
        return;
      }
      clear();
      write(`${plainLine(e)}\n`);
    },
  };
}

function plainLine(e: ReleaseEvent): string {
  const prefix = e.kind === 'warning' ? 'warning: ' : e.kind === 'breach' ? 'BREACH ' : '';
  return `${e.target}: ${prefix}${e.message.replace(/^breach: /, '')}`;
}

import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);

// src/pipeline/terminal.ts
var BAR_WIDTH = 30;
function progressBar(percent, width = BAR_WIDTH) {
  const filled = Math.round(Math.max(0, Math.min(100, percent)) / 100 * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.round(percent)).padStart(3)}%`;
}
function countdown(ms) {
  const s = Math.max(0, Math.ceil(ms / 1e3));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
function terminalReporter(write, isTTY) {
  let live = false;
  const clear = () => {
    if (live) write("\r\x1B[2K");
    live = false;
  };
  return {
    emit(e) {
      if (!isTTY) {
        write(`${plainLine(e)}
`);
        return;
      }
      if (e.kind === "progress") {
        clear();
        write(`deployment ${e.deployment} ${progressBar(e.percent)} ${e.state}`);
        live = true;
        return;
      }
      if (e.kind === "bake") {
        clear();
        const head = e.remainingMs > 0 && !e.message.startsWith("watching") ? `bake ${countdown(e.remainingMs)} left` : "watching";
        write(
          `${head} · ${e.message.replace(/^[^:]*: /, "")}`.slice(
            0,
            process.stdout.columns ? process.stdout.columns - 1 : 160
          )
        );
        live = true;
        return;
      }
      clear();
      write(`${plainLine(e)}
`);
    }
  };
}
function plainLine(e) {
  const prefix = e.kind === "warning" ? "warning: " : e.kind === "breach" ? "BREACH " : "";
  return `${e.target}: ${prefix}${e.message.replace(/^breach: /, "")}`;
}

export {
  terminalReporter
};

import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);

// src/pipeline/events.ts
var silentReporter = { emit: () => {
} };
function recordingReporter(inner = silentReporter) {
  const events = [];
  return {
    events,
    emit(event) {
      events.push(event);
      inner.emit(event);
    }
  };
}
function formatTimeline(events) {
  const first = events[0]?.at ?? 0;
  return events.filter((e) => e.kind !== "bake" || e.status !== "pending").map((e) => `${formatOffset(e.at - first)}  ${e.message}`).join("\n");
}
function formatOffset(ms) {
  const total = Math.max(0, Math.round(ms / 1e3));
  const h = Math.floor(total / 3600);
  const m = Math.floor(total % 3600 / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
  return h > 0 ? `+${h}:${mmss}` : `+${mmss}`;
}

export {
  silentReporter,
  recordingReporter,
  formatTimeline
};

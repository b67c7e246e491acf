import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);

// src/guards/evaluate.ts
function compare(value, op, threshold) {
  switch (op) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
  }
}
function evaluateGuards(query, series, range) {
  const byId = new Map(series.map((s) => [s.id, toMap(s)]));
  return query.plans.map((plan) => {
    const values = byId.get(plan.valueId) ?? /* @__PURE__ */ new Map();
    const samples = plan.samplesId === void 0 ? void 0 : byId.get(plan.samplesId) ?? /* @__PURE__ */ new Map();
    return evaluateGuard(plan.guard, { startTime: query.startTime, ...range }, values, samples);
  });
}
function evaluateGuard(guard, range, values, samples) {
  const stepMs = guard.periodSeconds * 1e3;
  const windowMs = (guard.windowMinutes ?? 1) * stepMs;
  const allowance = range.allowanceMs ?? 0;
  const to = range.to ?? Number.POSITIVE_INFINITY;
  const coverage = guard.coverage ?? 1;
  const periods = [];
  let streak = 0;
  let streakAtTo = 0;
  let trippedAt;
  let evidence;
  let nextAfterTo;
  const firstEnd = range.startTime + Math.max(1, Math.floor((range.from - range.startTime) / stepMs) + 1) * stepMs;
  for (let end = firstEnd; end <= range.now; end += stepMs) {
    const reading = readPeriod(guard, end - windowMs, end, stepMs, values, samples, range.now, allowance);
    if (end > to) {
      if (nextAfterTo === void 0) nextAfterTo = reading;
      if (trippedAt !== void 0 || end > to + stepMs) break;
    }
    periods.push(reading);
    if (trippedAt === void 0) {
      if (reading.outcome === "breach") {
        streak += 1;
        if (streak >= guard.consecutive) {
          trippedAt = end;
          evidence = periods.filter((p) => p.outcome === "breach").slice(-streak);
        }
      } else if (reading.outcome === "healthy") {
        streak = 0;
      }
    }
    if (end <= to) streakAtTo = streak;
  }
  const firstRequiredEnd = firstEnd + (firstEnd - stepMs >= range.from ? 0 : stepMs);
  const inRange = periods.filter((p) => p.end <= to && p.end >= firstRequiredEnd);
  const rampUntil = range.rampUntil ?? range.from;
  const excused = inRange.filter((p) => p.gated === true && p.start < rampUntil).length;
  const required = (Number.isFinite(to) ? Math.max(0, Math.floor((to - firstRequiredEnd) / stepMs) + 1) : inRange.length) - excused;
  const observed = inRange.filter((p) => p.outcome === "breach" || p.outcome === "healthy").length;
  const unobserved = inRange.filter(
    (p) => p.outcome === "no-data" && !(p.gated === true && p.start < rampUntil)
  );
  const rangeDone = range.now >= to && inRange.length >= required && inRange.every((p) => p.outcome !== "pending");
  const streakOpen = streakAtTo > 0 && guard.consecutive - streakAtTo === 1;
  const streakDone = !streakOpen || nextAfterTo !== void 0 && nextAfterTo.outcome !== "pending" || range.now >= to + stepMs + allowance;
  const settled = trippedAt !== void 0 || rangeDone && streakDone;
  const status = trippedAt !== void 0 ? "breached" : !settled ? "pending" : observed === 0 ? "no-data" : observed >= Math.ceil(coverage * required - 1e-9) ? "healthy" : "unverified";
  return {
    guard: guard.name,
    status,
    settled,
    breachWhen: guard.breachWhen,
    ...guard.unit !== void 0 ? { unit: guard.unit } : {},
    consecutive: guard.consecutive,
    streak,
    ...guard.minSamples ? { minSamples: guard.minSamples } : {},
    ...guard.windowMinutes !== void 0 ? { windowMinutes: guard.windowMinutes } : {},
    periods,
    required,
    observed,
    coverage,
    unobserved,
    ...trippedAt !== void 0 ? { trippedAt } : {},
    ...evidence ? { evidence } : {}
  };
}
function readPeriod(guard, start, end, stepMs, values, samples, now, allowanceMs) {
  const value = sumOver(values, start, end, stepMs);
  const count = samples === void 0 ? void 0 : sumOver(samples, start, end, stepMs);
  const base = {
    start,
    end,
    ...value !== void 0 ? { value } : {},
    ...count !== void 0 ? { samples: count } : {}
  };
  const newest = end - stepMs;
  const arrived = samples !== void 0 ? samples.has(newest) : values.has(newest);
  if (!arrived) return { ...base, outcome: end + allowanceMs > now ? "pending" : "no-data" };
  const gated = guard.minSamples !== void 0 && (count ?? 0) < guard.minSamples.atLeast;
  if (gated) return { ...base, outcome: "no-data", gated: true };
  if (value === void 0 || !Number.isFinite(value)) return { ...base, outcome: "no-data" };
  const breached = compare(value, guard.breachWhen.op, guard.breachWhen.threshold);
  return { ...base, outcome: breached ? "breach" : "healthy" };
}
function sumOver(m, start, end, stepMs) {
  let total;
  for (let t = start; t < end; t += stepMs) {
    const v = m.get(t);
    if (v !== void 0) total = (total ?? 0) + v;
  }
  return total;
}
function toMap(s) {
  const m = /* @__PURE__ */ new Map();
  s.timestamps.forEach((t, i) => {
    const v = s.values[i];
    if (v !== void 0) m.set(t, v);
  });
  return m;
}
function lastJudged(report) {
  return [...report.periods].reverse().find((p) => p.outcome === "breach" || p.outcome === "healthy");
}
function describeGuard(report) {
  const unit = unitText(report.unit);
  const last = lastJudged(report);
  const shown = last?.value !== void 0 ? `${round(last.value)}${unit}` : "no value yet";
  const rule = `${report.breachWhen.op} ${report.breachWhen.threshold}${unit}`;
  const per = report.windowMinutes ? ` per ${report.windowMinutes} min` : "";
  switch (report.status) {
    case "breached":
      return `${report.guard}: BREACHED — ${(report.evidence ?? []).map((p) => `${round(p.value ?? Number.NaN)}${unit}`).join(", ")} ${rule}${per} for ${report.consecutive} period(s) in a row`;
    case "pending":
      return `${report.guard}: ${shown}${last?.outcome === "breach" ? " BREACHING" : ""} (breach when ${rule}${per}, streak ${report.streak}/${report.consecutive}; ${report.observed} of ${report.required} period(s) observed so far)`;
    case "no-data":
      return `${report.guard}: no data — ${report.minSamples ? `fewer than ${report.minSamples.atLeast} ${report.minSamples.metric} in every period` : "no datapoints"}`;
    case "unverified":
      return `${report.guard}: UNVERIFIED — observed ${report.observed} of ${report.required} period(s), needs ${Math.ceil(report.coverage * report.required)}; never observed: ${describePeriods(report.unobserved)}`;
    case "healthy":
      return `${report.guard}: ok — ${shown} (breach when ${rule}${per}; ${report.observed} of ${report.required} period(s) observed)`;
  }
}
function describePeriods(periods) {
  if (periods.length === 0) return "none";
  const hhmm = (ms) => new Date(ms).toISOString().slice(11, 16);
  const runs = [];
  for (const p of [...periods].sort((a, b) => a.start - b.start)) {
    const last = runs[runs.length - 1];
    if (last && p.start <= last.end) last.end = Math.max(last.end, p.end);
    else runs.push({ start: p.start, end: p.end });
  }
  return runs.map((r) => `${hhmm(r.start)}–${hhmm(r.end)}`).join(", ");
}
function unitText(unit) {
  return unit ? unit === "%" ? " %" : ` ${unit}` : "";
}
function round(v) {
  return Math.round(v * 100) / 100;
}

export {
  compare,
  evaluateGuards,
  describeGuard,
  describePeriods
};

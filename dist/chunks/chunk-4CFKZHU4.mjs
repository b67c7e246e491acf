import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);

// src/guards/query.ts
var MAX_QUERIES_PER_CALL = 500;
function buildGuardQuery(guards, window) {
  const queries = [];
  const plans = [];
  guards.forEach((guard, index) => {
    const prefix = `g${index}_`;
    for (const [metricId, metric] of Object.entries(guard.metrics)) {
      const isSamples = guard.minSamples?.metric === metricId;
      queries.push({
        Id: prefix + metricId,
        MetricStat: {
          Metric: {
            Namespace: metric.namespace,
            MetricName: metric.name,
            Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value }))
          },
          Period: guard.periodSeconds,
          Stat: metric.stat
        },
        ReturnData: isSamples
      });
    }
    const valueId = `${prefix}value`;
    queries.push({
      Id: valueId,
      Expression: guardExpression(guard, (id) => prefix + id),
      Label: guard.name,
      ReturnData: true
    });
    plans.push({
      guard,
      valueId,
      ...guard.minSamples ? { samplesId: prefix + guard.minSamples.metric } : {}
    });
  });
  if (queries.length > MAX_QUERIES_PER_CALL) {
    throw new Error(
      `the guards of one target need ${queries.length} metric queries; CloudWatch allows ${MAX_QUERIES_PER_CALL} per call — split the guards across fewer metrics`
    );
  }
  const align = alignmentMs(guards);
  const lookBackMs = Math.max(0, ...guards.map((g) => ((g.windowMinutes ?? 1) - 1) * 6e4));
  return {
    startTime: Math.floor((window.from - lookBackMs) / align) * align,
    endTime: Math.max(window.now, window.from + 1),
    queries,
    plans
  };
}
function alignmentMs(guards) {
  const gcd = (a, b) => b === 0 ? a : gcd(b, a % b);
  let lcm = 60;
  for (const g of guards) {
    const p = Math.max(1, Math.round(g.periodSeconds));
    lcm = lcm * p / gcd(lcm, p);
    if (lcm > 86400) return 864e5;
  }
  return lcm * 1e3;
}
function guardExpression(guard, name) {
  return rewriteIdentifiers(guard.value, (id) => {
    const metric = guard.metrics[id];
    if (!metric) return void 0;
    return metric.fill === void 0 ? name(id) : `FILL(${name(id)}, ${metric.fill})`;
  });
}
function rewriteIdentifiers(expression, to) {
  let out = "";
  let i = 0;
  while (i < expression.length) {
    const ch = expression[i];
    if (ch === '"' || ch === "'") {
      const end = expression.indexOf(ch, i + 1);
      const stop = end === -1 ? expression.length : end + 1;
      out += expression.slice(i, stop);
      i = stop;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(expression.slice(i));
    if (ident) {
      const word = ident[0];
      out += to(word) ?? word;
      i += word.length;
      continue;
    }
    out += ch;
    i += 1;
  }
  return out;
}

export {
  buildGuardQuery,
  guardExpression
};

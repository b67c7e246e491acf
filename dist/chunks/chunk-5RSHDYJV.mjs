import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  EditError,
  flowMap,
  setIn,
  yamlScalar
} from "./chunk-ATZDJTRM.mjs";
import {
  ROLLOUT_KEY,
  require_dist
} from "./chunk-J65SMI3B.mjs";
import {
  __toESM
} from "./chunk-UMADLKRQ.mjs";

// src/edit/traffic.ts
var import_yaml = __toESM(require_dist(), 1);
var TRAFFIC_FLAG = "influxdb_traffic_percentage";
var TRAFFIC_ATTRIBUTE = "percentage";
var QUERIES_FLAG = "use_influxdb_for_api_queries";
function setPercentage(source, percentage) {
  checkPercentage(percentage, "percentage");
  let text = setIn(source, [TRAFFIC_FLAG, TRAFFIC_ATTRIBUTE], yamlScalar(percentage));
  if (percentage > 0 && readIn(text, [TRAFFIC_FLAG, "enabled"]) !== true)
    text = setIn(text, [TRAFFIC_FLAG, "enabled"], "true");
  return text;
}
function enableQueries(source) {
  if (readIn(source, [QUERIES_FLAG, "enabled"]) === true) return source;
  return setIn(source, [QUERIES_FLAG, "enabled"], "true");
}
function gradualRollout(source, request) {
  checkPercentage(request.target, "target");
  if (!Number.isFinite(request.stepSize) || request.stepSize <= 0)
    throw new EditError(`--step-size must be a positive number, got ${request.stepSize}`);
  if (!Number.isFinite(request.waitMinutes) || request.waitMinutes < 0)
    throw new EditError(`--wait-minutes must be 0 or more, got ${request.waitMinutes}`);
  const current = readIn(source, [TRAFFIC_FLAG, TRAFFIC_ATTRIBUTE]);
  const from = typeof current === "number" ? current : 0;
  if (request.target <= from)
    throw new EditError(
      `${TRAFFIC_FLAG}.${TRAFFIC_ATTRIBUTE} is already ${from}; a gradual rollout only goes up (use set-percentage to lower it)`
    );
  const plan = {
    flag: TRAFFIC_FLAG,
    attribute: TRAFFIC_ATTRIBUTE,
    target: request.target,
    step: request.stepSize,
    wait_minutes: request.waitMinutes
  };
  const withPlan = setIn(source, [ROLLOUT_KEY], flowMap({ ...plan }));
  return setPercentage(withPlan, Math.min(from + request.stepSize, request.target));
}
function checkPercentage(value, name) {
  if (!Number.isFinite(value) || value < 0 || value > 100)
    throw new EditError(`--${name} must be a number from 0 to 100, got ${value}`);
}
function readIn(source, path) {
  return (0, import_yaml.parseDocument)(source).getIn(path);
}
function removeRollout(source) {
  const lines = source.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`${ROLLOUT_KEY}:`));
  if (start < 0) return source;
  let end = start + 1;
  while (end < lines.length && /^\s+\S/.test(lines[end] ?? "")) end += 1;
  lines.splice(start, end - start);
  return lines.join("\n");
}

export {
  setPercentage,
  enableQueries,
  gradualRollout,
  removeRollout
};

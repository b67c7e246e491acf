#!/usr/bin/env node
// Writes packages/sandbox/src/cloudwatch/model/shapes.json: the slice of CloudWatch's published Smithy model
// (https://github.com/aws/api-models-aws, models/cloudwatch) that the sandbox serves, with only the
// traits the awsQuery and JSON 1.0 codecs read. Regenerate after adding an operation:
//   node scripts/cloudwatch-model.mjs path/to/cloudwatch-2010-08-01.json
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OPERATIONS = [
  'PutMetricData',
  'GetMetricData',
  'GetMetricStatistics',
  'ListMetrics',
  'PutMetricAlarm',
  'PutCompositeAlarm',
  'DescribeAlarms',
  'SetAlarmState',
  'DeleteAlarms',
  'DescribeAlarmHistory',
  'EnableAlarmActions',
  'DisableAlarmActions',
  'PutDashboard',
  'GetDashboard',
  'ListDashboards',
  'DeleteDashboards',
];
const KEPT_TRAITS = [
  'smithy.api#xmlName',
  'smithy.api#xmlFlattened',
  'smithy.api#required',
  'smithy.api#error',
  'smithy.api#timestampFormat',
  'aws.protocols#awsQueryError',
];
const NS = 'com.amazonaws.cloudwatch#';

const source = process.argv[2];
if (!source) {
  console.error('usage: node scripts/cloudwatch-model.mjs path/to/cloudwatch-2010-08-01.json');
  process.exit(2);
}
const model = JSON.parse(readFileSync(source, 'utf8'));
const out = {};
const short = (target) => (target.startsWith(NS) ? target.slice(NS.length) : target);

function traitsOf(t = {}) {
  const kept = {};
  for (const k of KEPT_TRAITS) if (k in t) kept[k.split('#')[1]] = t[k];
  return Object.keys(kept).length ? kept : undefined;
}

function visit(target) {
  if (!target.startsWith(NS)) return; // smithy.api#Unit, prelude types
  const name = short(target);
  if (name in out) return;
  const shape = model.shapes[target];
  if (!shape) throw new Error(`${source}: no shape ${target}`);
  const entry = { type: shape.type };
  const traits = traitsOf(shape.traits);
  if (traits) entry.traits = traits;
  out[name] = entry;
  if (shape.type === 'operation') {
    entry.input = short(shape.input.target);
    entry.output = short(shape.output.target);
    entry.errors = (shape.errors ?? []).map((e) => short(e.target));
    visit(shape.input.target);
    visit(shape.output.target);
    for (const e of shape.errors ?? []) visit(e.target);
  } else if (shape.type === 'structure' || shape.type === 'union') {
    entry.members = {};
    for (const [m, def] of Object.entries(shape.members ?? {})) {
      const mt = traitsOf(def.traits);
      entry.members[m] = { target: short(def.target), ...(mt ? { traits: mt } : {}) };
      visit(def.target);
    }
  } else if (shape.type === 'list') {
    const mt = traitsOf(shape.member.traits);
    entry.member = { target: short(shape.member.target), ...(mt ? { traits: mt } : {}) };
    visit(shape.member.target);
  } else if (shape.type === 'map') {
    for (const part of ['key', 'value']) {
      const mt = traitsOf(shape[part].traits);
      entry[part] = { target: short(shape[part].target), ...(mt ? { traits: mt } : {}) };
      visit(shape[part].target);
    }
  }
}

for (const op of OPERATIONS) visit(NS + op);
const here = dirname(fileURLToPath(import.meta.url));
const path = join(here, '..', 'packages', 'sandbox', 'src', 'cloudwatch', 'model', 'shapes.json');
writeFileSync(path, `${JSON.stringify(out)}\n`);
console.log(`${path}: ${Object.keys(out).length} shapes for ${OPERATIONS.length} operations`);

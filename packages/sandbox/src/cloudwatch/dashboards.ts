/**
 * PutDashboard, GetDashboard, ListDashboards and DeleteDashboards. Bodies are checked against the
 * structure AWS documents (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html):
 * a `widgets` array; each widget a known type with its grid size, and the properties its type needs.
 * An invalid body is refused as a whole with the list of problems, as CloudWatch does.
 */
import { ServiceError } from '../core.ts';
import { paginate } from './pagination.ts';
import {
  type Input,
  invalidParameter,
  missingParameter,
  optionalList,
  optionalString,
  toWireTime,
} from './protocol.ts';

const DASHBOARD_ARN_PREFIX = 'arn:aws:cloudwatch::123456789012:dashboard/';
const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const WIDGET_TYPES = ['metric', 'text', 'log', 'alarm', 'explorer', 'custom'];
const MAX_BODY_BYTES = 1024 * 1024;
const PAGE = 1000;

interface StoredDashboard {
  body: string;
  /** Epoch ms (simulated). */
  lastModified: number;
}

export class DashboardBook {
  private dashboards = new Map<string, StoredDashboard>();
  get(name: string): StoredDashboard | undefined {
    return this.dashboards.get(name);
  }
  put(name: string, body: string, now: number): void {
    this.dashboards.set(name, { body, lastModified: now });
  }
  delete(name: string): void {
    this.dashboards.delete(name);
  }
  names(): string[] {
    return [...this.dashboards.keys()].sort();
  }
  clear(): void {
    this.dashboards.clear();
  }
  dump(): Record<string, StoredDashboard> {
    return Object.fromEntries(this.dashboards);
  }
  load(data: Record<string, StoredDashboard> | undefined): void {
    this.dashboards = new Map(Object.entries(data ?? {}));
  }
}

interface ValidationMessage {
  DataPath: string;
  Message: string;
}

const invalidInput = (message: string, messages: ValidationMessage[] = []): ServiceError =>
  new ServiceError(400, 'InvalidParameterInput', message, {
    ...(messages.length > 0 ? { dashboardValidationMessages: messages } : {}),
  });

const notFound = (): ServiceError => new ServiceError(404, 'ResourceNotFound', 'Dashboard does not exist');

export function putDashboard(input: Input, book: DashboardBook, now: number): Record<string, unknown> {
  const name = optionalString(input, 'DashboardName');
  if (name === undefined || name === '') throw missingParameter('DashboardName');
  if (!NAME.test(name))
    throw invalidInput(
      'The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).',
    );
  const body = optionalString(input, 'DashboardBody');
  if (body === undefined) throw missingParameter('DashboardBody');
  if (Buffer.byteLength(body) > MAX_BODY_BYTES)
    throw invalidInput(`The dashboard body is larger than ${MAX_BODY_BYTES} bytes.`);
  const messages = validateBody(body);
  if (messages.length > 0)
    throw invalidInput(
      `The dashboard body is invalid, there are ${messages.length} validation errors: ${JSON.stringify(messages)}`,
      messages,
    );
  book.put(name, body, now);
  return { DashboardValidationMessages: [] };
}

export function getDashboard(input: Input, book: DashboardBook): Record<string, unknown> {
  const name = optionalString(input, 'DashboardName');
  if (name === undefined || name === '') throw missingParameter('DashboardName');
  const d = book.get(name);
  if (!d) throw notFound();
  return { DashboardArn: DASHBOARD_ARN_PREFIX + name, DashboardBody: d.body, DashboardName: name };
}

export function listDashboards(input: Input, book: DashboardBook): Record<string, unknown> {
  const prefix = optionalString(input, 'DashboardNamePrefix') ?? '';
  if (prefix !== '' && !/^[A-Za-z0-9_-]*$/.test(prefix))
    throw invalidParameter(
      'The value for DashboardNamePrefix may contain only alphanumerics, dash (-) and underscore (_).',
    );
  const entries = book
    .names()
    .filter((n) => n.startsWith(prefix))
    .map((n) => {
      const d = book.get(n) as StoredDashboard;
      return {
        DashboardName: n,
        DashboardArn: DASHBOARD_ARN_PREFIX + n,
        LastModified: toWireTime(d.lastModified),
        Size: Buffer.byteLength(d.body),
      };
    });
  const { page, nextToken } = paginate(entries, 'ListDashboards', PAGE, optionalString(input, 'NextToken'));
  return { DashboardEntries: page, ...(nextToken !== undefined ? { NextToken: nextToken } : {}) };
}

export function deleteDashboards(input: Input, book: DashboardBook): Record<string, unknown> {
  const names = optionalList(input, 'DashboardNames');
  if (names === undefined || names.length === 0) throw missingParameter('DashboardNames');
  // All or nothing: one unknown name deletes none.
  for (const n of names) if (typeof n !== 'string' || !book.get(n)) throw notFound();
  for (const n of names) book.delete(n as string);
  return {};
}

// ---- The body ----

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateBody(text: string): ValidationMessage[] {
  let body: Json;
  try {
    body = JSON.parse(text);
  } catch {
    return [{ DataPath: '', Message: 'The field DashboardBody must be a valid JSON object' }];
  }
  if (!isObject(body)) return [{ DataPath: '', Message: 'Should be object' }];
  const out: ValidationMessage[] = [];
  if (!Array.isArray(body['widgets'])) {
    out.push({ DataPath: '', Message: "Should have required property 'widgets'" });
    return out;
  }
  body['widgets'].forEach((w, i) => {
    validateWidget(w, `/widgets/${i}`, out);
  });
  for (const key of ['start', 'end'] as const) {
    const v = body[key];
    if (v !== undefined && (typeof v !== 'string' || !isTimeOrRelative(v)))
      out.push({
        DataPath: `/${key}`,
        Message: 'Should be an ISO 8601 time or a relative time such as -PT3H',
      });
  }
  if (body['periodOverride'] !== undefined && !['auto', 'inherit'].includes(String(body['periodOverride'])))
    out.push({
      DataPath: '/periodOverride',
      Message: 'Should be equal to one of the allowed values: auto, inherit',
    });
  return out;
}

function validateWidget(w: Json, path: string, out: ValidationMessage[]): void {
  if (!isObject(w)) {
    out.push({ DataPath: path, Message: 'Should be object' });
    return;
  }
  if (typeof w['type'] !== 'string' || !WIDGET_TYPES.includes(w['type'])) {
    out.push({
      DataPath: `${path}/type`,
      Message: `Should be equal to one of the allowed values: ${WIDGET_TYPES.join(', ')}`,
    });
    return;
  }
  intIn(w['x'], 0, 23, `${path}/x`, out);
  intIn(w['y'], 0, Number.MAX_SAFE_INTEGER, `${path}/y`, out);
  intIn(w['width'], 1, 24, `${path}/width`, out);
  intIn(w['height'], 1, 1000, `${path}/height`, out);
  const props = w['properties'];
  if (!isObject(props)) {
    out.push({ DataPath: path, Message: "Should have required property 'properties'" });
    return;
  }
  const p = `${path}/properties`;
  if (w['type'] === 'text' && typeof props['markdown'] !== 'string')
    out.push({ DataPath: p, Message: "Should have required property 'markdown'" });
  if (w['type'] === 'alarm' && !Array.isArray(props['alarms']))
    out.push({ DataPath: p, Message: "Should have required property 'alarms'" });
  if (w['type'] === 'metric') validateMetricProperties(props, p, out);
}

function validateMetricProperties(props: Record<string, Json>, p: string, out: ValidationMessage[]): void {
  if (typeof props['region'] !== 'string')
    out.push({ DataPath: p, Message: "Should have required property 'region'" });
  const metrics = props['metrics'];
  if (metrics === undefined && props['annotations'] === undefined)
    out.push({ DataPath: p, Message: "Should have required property 'metrics'" });
  if (metrics !== undefined) {
    if (!Array.isArray(metrics)) out.push({ DataPath: `${p}/metrics`, Message: 'Should be array' });
    else
      metrics.forEach((m, i) => {
        validateMetric(m, `${p}/metrics/${i}`, out);
      });
  }
  const annotations = props['annotations'];
  if (annotations !== undefined) {
    if (!isObject(annotations)) out.push({ DataPath: `${p}/annotations`, Message: 'Should be object' });
    else {
      for (const kind of ['horizontal', 'vertical'] as const) {
        const list = annotations[kind];
        if (list === undefined) continue;
        if (!Array.isArray(list)) {
          out.push({ DataPath: `${p}/annotations/${kind}`, Message: 'Should be array' });
          continue;
        }
        list.forEach((a, i) => {
          validateAnnotation(a, kind, `${p}/annotations/${kind}/${i}`, out);
        });
      }
    }
  }
  const view = props['view'];
  if (
    view !== undefined &&
    !['timeSeries', 'singleValue', 'gauge', 'bar', 'pie', 'table'].includes(String(view))
  )
    out.push({
      DataPath: `${p}/view`,
      Message:
        'Should be equal to one of the allowed values: timeSeries, singleValue, gauge, bar, pie, table',
    });
}

/** `[Namespace, MetricName, DimName, DimValue, …, {options}]`, `[".", …]` shorthands, or `[{expression}]`. */
function validateMetric(m: Json, path: string, out: ValidationMessage[]): void {
  if (!Array.isArray(m) || m.length === 0) {
    out.push({ DataPath: path, Message: 'Should be a non-empty array' });
    return;
  }
  const last = m[m.length - 1];
  const options = isObject(last) ? last : undefined;
  const names = options ? m.slice(0, -1) : m;
  if (!names.every((x) => typeof x === 'string')) {
    out.push({ DataPath: path, Message: 'Should hold strings, then at most one options object' });
    return;
  }
  if (names.length === 0) {
    if (!options || typeof options['expression'] !== 'string')
      out.push({ DataPath: path, Message: "A metric without names should have the option 'expression'" });
    return;
  }
  if (names.length < 2 || names.length % 2 !== 0)
    out.push({
      DataPath: path,
      Message: 'Should be [Namespace, MetricName, then dimension name and value pairs]',
    });
}

function validateAnnotation(
  a: Json,
  kind: 'horizontal' | 'vertical',
  path: string,
  out: ValidationMessage[],
): void {
  if (!isObject(a)) {
    out.push({ DataPath: path, Message: 'Should be object' });
    return;
  }
  const v = a['value'];
  if (kind === 'horizontal' && typeof v !== 'number')
    out.push({ DataPath: `${path}/value`, Message: 'Should be number' });
  if (kind === 'vertical' && (typeof v !== 'string' || Number.isNaN(Date.parse(v))))
    out.push({ DataPath: `${path}/value`, Message: 'Should be an ISO 8601 time' });
}

function intIn(v: Json, min: number, max: number, path: string, out: ValidationMessage[]): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    out.push({ DataPath: path, Message: `Should be an integer from ${min} to ${max}` });
}

function isTimeOrRelative(v: string): boolean {
  return (
    /^-P(T?\d+[SMHDW])+$/i.test(v) || /^-P\d+[DWMY](T(\d+[HMS])+)?$/i.test(v) || !Number.isNaN(Date.parse(v))
  );
}

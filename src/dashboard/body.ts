/**
 * The CloudWatch dashboard of one environment, computed from its guards: one graph per guard with
 * the guard's value for each backend side by side, the threshold as a horizontal annotation and
 * the environment's deployments as vertical markers. Pure: the same guards and deployments always
 * give the same body, so a dashboard changed by hand shows up as a difference.
 * Body format: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
import type { GuardDefinition, GuardMetric } from '../model/types.ts';

export interface DashboardInput {
  application: string;
  environment: string;
  region: string;
  guards: GuardDefinition[];
  /** The environment's deployments, oldest first. */
  deployments: Array<{ number: number; startedAt: number; version: string }>;
}

const BACKEND = 'Backend';
const WIDTH = 12;
const HEIGHT = 6;
/** Vertical markers kept, newest last; CloudWatch draws at most a few dozen legibly. */
const MAX_MARKERS = 20;

export function dashboardBody(input: DashboardInput): Record<string, unknown> {
  const backends = [
    ...new Set(
      input.guards.flatMap((g) => Object.values(g.metrics).flatMap((m) => m.dimensions[BACKEND] ?? [])),
    ),
  ].sort();
  const vertical = input.deployments.slice(-MAX_MARKERS).map((d) => ({
    value: new Date(d.startedAt).toISOString(),
    label: `deployment ${d.number} (version ${d.version})`,
  }));
  const widgets: Array<Record<string, unknown>> = [
    {
      type: 'text',
      x: 0,
      y: 0,
      width: 24,
      height: 2,
      properties: {
        markdown:
          `## ${input.application} / ${input.environment}\n` +
          'Written by `flagops dashboard --apply` from the guards in app.yaml; edits here are reported as drift.',
      },
    },
  ];
  input.guards.forEach((guard, i) => {
    widgets.push({
      type: 'metric',
      x: (i % 2) * WIDTH,
      y: 2 + Math.floor(i / 2) * HEIGHT,
      width: WIDTH,
      height: HEIGHT,
      properties: {
        title: guard.description ?? guard.name,
        region: input.region,
        view: 'timeSeries',
        stacked: false,
        period: guard.periodSeconds,
        metrics: guardSeries(guard, backends),
        annotations: {
          horizontal: [
            {
              label: `${guard.name} breaches ${guard.breachWhen.op} ${guard.breachWhen.threshold}`,
              value: guard.breachWhen.threshold,
            },
          ],
          vertical,
        },
        yAxis: { left: { showUnits: false, ...(guard.unit ? { label: guard.unit } : {}) } },
      },
    });
  });
  return { widgets };
}

/**
 * The guard's metrics (hidden) and its value as an expression, once per backend: a guard over one
 * backend's metrics gets its twin over each other backend, so both backends show side by side.
 * A guard that already compares backends (a latency gap) is drawn as written.
 */
function guardSeries(guard: GuardDefinition, backends: string[]): unknown[] {
  const own = new Set(Object.values(guard.metrics).flatMap((m) => m.dimensions[BACKEND] ?? []));
  const variants: Array<{ suffix: string; backend?: string; label: string }> =
    own.size === 1
      ? backends.map((b, n) => ({
          suffix: n === 0 ? '' : `_${n}`,
          backend: b,
          label: `${guard.name} (${b})`,
        }))
      : [{ suffix: '', label: guard.name }];
  const out: unknown[] = [];
  for (const v of variants) {
    for (const [id, metric] of Object.entries(guard.metrics))
      out.push(metricEntry(`${id}${v.suffix}`, metric, v.backend));
    out.push([
      {
        expression: renameIds(guard.value, Object.keys(guard.metrics), v.suffix),
        label: v.label,
        id: `value${v.suffix}`,
      },
    ]);
  }
  return out;
}

function metricEntry(id: string, metric: GuardMetric, backend: string | undefined): unknown[] {
  const dimensions = { ...metric.dimensions };
  if (backend !== undefined && BACKEND in dimensions) dimensions[BACKEND] = backend;
  return [
    metric.namespace,
    metric.name,
    ...Object.entries(dimensions)
      .sort(([a], [b]) => a.localeCompare(b))
      .flat(),
    { id, stat: metric.stat, visible: false },
  ];
}

function renameIds(expression: string, ids: string[], suffix: string): string {
  if (suffix === '') return expression;
  return ids.reduce((text, id) => text.replace(new RegExp(`\\b${id}\\b`, 'g'), `${id}${suffix}`), expression);
}

/**
 * A body without its deployment markers: what a person edits. A dashboard whose only difference
 * is markers for deployments made since it was written is behind, not changed by hand.
 */
export function withoutMarkers(body: unknown): unknown {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { widgets?: unknown }).widgets))
    return body;
  const widgets = (body as { widgets: unknown[] }).widgets.map((w) => {
    const annotations = (w as { properties?: { annotations?: Record<string, unknown> } })?.properties
      ?.annotations;
    if (!annotations || !('vertical' in annotations)) return w;
    const { vertical: _, ...rest } = annotations;
    const widget = w as { properties: Record<string, unknown> };
    return { ...widget, properties: { ...widget.properties, annotations: rest } };
  });
  return { ...(body as object), widgets };
}

/** Bodies compared as data: key order and whitespace are not differences. */
export function sameBody(a: string, b: Record<string, unknown>, ignoreMarkers = false): boolean {
  try {
    const parsed: unknown = JSON.parse(a);
    return ignoreMarkers
      ? canonical(withoutMarkers(parsed)) === canonical(withoutMarkers(b))
      : canonical(parsed) === canonical(b);
  } catch {
    return false;
  }
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

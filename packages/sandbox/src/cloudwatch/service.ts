/**
 * The sandbox's CloudWatch: metrics in, statistics and metric math out, and alarms evaluated on the
 * simulated clock. Other services read alarm states through AlarmReader (AppConfig monitors) and
 * publish traffic through MetricSink (scenarios).
 */
import { randomUUID } from 'node:crypto';
import {
  type AlarmReader,
  type MetricSink,
  type SandboxRequest,
  type Service,
  type ServiceContext,
  ServiceError,
} from '../core.ts';
import {
  deleteAlarms,
  describeAlarmHistory,
  describeAlarms,
  putCompositeAlarm,
  putMetricAlarm,
  setAlarmActions,
  setAlarmState,
} from './alarm-operations.ts';
import { AlarmBook } from './alarms.ts';
import { DashboardBook, deleteDashboards, getDashboard, listDashboards, putDashboard } from './dashboards.ts';
import { getMetricData, listMetrics, putMetricData } from './metric-operations.ts';
import { getMetricStatistics } from './metric-statistics.ts';
import { MetricStore } from './metric-store.ts';
import { errorShape } from './model.ts';
import {
  cloudWatchError,
  encodeError,
  type Input,
  jsonReply,
  parseBody,
  TARGET_PREFIX,
  throttling,
} from './protocol.ts';
import { API_VERSION, decodeQueryInput, queryError, queryReply, readQueryRequest } from './query-protocol.ts';

/**
 * An awsQuery request: a form-encoded `POST /` or a `GET /?Action=…`. AppConfig's REST routes never
 * take a form body at `/`, so the two cannot be confused.
 */
function queryForm(req: SandboxRequest): URLSearchParams | undefined {
  if (req.path !== '/') return undefined;
  if (req.method === 'POST') {
    const type = req.headers['content-type'] ?? '';
    if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return undefined;
    return new URLSearchParams(req.body.toString('utf8'));
  }
  if (req.method === 'GET' && req.query.has('Action')) return req.query;
  return undefined;
}

/** Datapoints older than this (simulated) are forgotten; CloudWatch accepts data up to 2 weeks old. */
const METRIC_RETENTION_MS = 15 * 24 * 3600 * 1000;
const PRUNE_EVERY_MS = 3600 * 1000;

type Handler = (input: Input) => unknown;

/** Persistence and ticking are always present here, so tests and callers need no optional calls. */
export type CloudWatchService = Service &
  AlarmReader &
  MetricSink &
  Required<Pick<Service, 'tick' | 'dump' | 'load' | 'reset'>>;

export function createCloudWatch(ctx: ServiceContext): CloudWatchService {
  const metrics = new MetricStore();
  const alarms = new AlarmBook(metrics, () => ctx.clock.now());
  const dashboards = new DashboardBook();
  let lastPrune = 0;

  // Operations that change state mark it for persistence; reads do not.
  const handlers: Record<string, { handle: Handler; writes: boolean }> = {
    PutMetricData: { handle: (i) => putMetricData(i, metrics, ctx.clock.now()), writes: true },
    GetMetricData: { handle: (i) => getMetricData(i, metrics), writes: false },
    ListMetrics: { handle: (i) => listMetrics(i, metrics), writes: false },
    PutMetricAlarm: { handle: (i) => putMetricAlarm(i, alarms), writes: true },
    PutCompositeAlarm: { handle: (i) => putCompositeAlarm(i, alarms), writes: true },
    DescribeAlarms: { handle: (i) => describeAlarms(i, alarms), writes: false },
    SetAlarmState: { handle: (i) => setAlarmState(i, alarms), writes: true },
    DeleteAlarms: { handle: (i) => deleteAlarms(i, alarms), writes: true },
    DescribeAlarmHistory: { handle: (i) => describeAlarmHistory(i, alarms), writes: false },
    EnableAlarmActions: { handle: (i) => setAlarmActions(i, alarms, true), writes: true },
    DisableAlarmActions: { handle: (i) => setAlarmActions(i, alarms, false), writes: true },
    GetMetricStatistics: { handle: (i) => getMetricStatistics(i, metrics, ctx.clock.now()), writes: false },
    PutDashboard: { handle: (i) => putDashboard(i, dashboards, ctx.clock.now()), writes: true },
    GetDashboard: { handle: (i) => getDashboard(i, dashboards), writes: false },
    ListDashboards: { handle: (i) => listDashboards(i, dashboards), writes: false },
    DeleteDashboards: { handle: (i) => deleteDashboards(i, dashboards), writes: true },
  };

  /** One operation over either protocol: decode, handle, mark state changed when it writes. */
  function run(operation: string, input: () => Input): unknown {
    const handler = handlers[operation];
    if (!handler) {
      throw new ServiceError(
        400,
        'UnknownOperationException',
        `The sandbox's CloudWatch does not implement ${operation}.`,
      );
    }
    const output = handler.handle(input());
    if (handler.writes) ctx.changed();
    return output;
  }

  return {
    name: 'cloudwatch',

    resolve(req) {
      const target = req.headers['x-amz-target'];
      if (req.method === 'POST' && target?.startsWith(TARGET_PREFIX)) {
        const operation = target.slice(TARGET_PREFIX.length);
        return {
          operation,
          handle: () => jsonReply(run(operation, () => parseBody(req.body))),
        };
      }
      const form = queryForm(req);
      if (!form) return undefined;
      const { action, version, params } = readQueryRequest(form);
      const operation = action ?? 'MissingAction';
      const requestId = randomUUID();
      return {
        operation,
        encodeError: (err) => queryError(cloudWatchError(err), errorShape(operation, err.code), requestId),
        handle() {
          if (action === undefined)
            throw new ServiceError(400, 'MissingAction', 'The request must contain the parameter Action.');
          if (version !== API_VERSION)
            throw new ServiceError(
              400,
              version === undefined ? 'MissingParameter' : 'InvalidParameterValue',
              `The request must contain the parameter Version=${API_VERSION}.`,
            );
          if (!handlers[action])
            throw new ServiceError(
              400,
              'InvalidAction',
              `Could not find operation ${action} for version ${API_VERSION}`,
            );
          return queryReply(
            action,
            run(action, () => decodeQueryInput(action, params)),
            requestId,
          );
        },
      };
    },

    encodeError: (err, operation) => encodeError(err, operation),
    throttleError: () => throttling(),

    tick(now) {
      alarms.tick(now);
      if (now - lastPrune >= PRUNE_EVERY_MS) {
        lastPrune = now;
        metrics.prune(now - METRIC_RETENTION_MS);
      }
    },

    alarmState: (nameOrArn) => alarms.get(nameOrArn)?.state.value,
    alarmActionsEnabled: (nameOrArn) => alarms.get(nameOrArn)?.wire['ActionsEnabled'] !== false,

    putMetric(datum) {
      metrics.put(
        { namespace: datum.namespace, name: datum.name, dimensions: { ...datum.dimensions } },
        {
          t: datum.timestamp,
          unit: datum.unit ?? 'None',
          count: 1,
          sum: datum.value,
          min: datum.value,
          max: datum.value,
          values: [datum.value],
        },
      );
      ctx.changed();
    },

    dump: () => ({ version: 1, metrics: metrics.dump(), ...alarms.dump(), dashboards: dashboards.dump() }),
    load(data) {
      const d = (data ?? {}) as Parameters<AlarmBook['load']>[0] & {
        metrics?: Parameters<MetricStore['load']>[0];
        dashboards?: Parameters<DashboardBook['load']>[0];
      };
      metrics.load(d.metrics ?? []);
      alarms.load(d);
      dashboards.load(d.dashboards);
    },
    reset() {
      metrics.clear();
      alarms.clear();
      dashboards.clear();
    },
  };
}

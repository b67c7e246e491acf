/**
 * The sandbox's CloudWatch: metrics in, statistics and metric math out, and alarms evaluated on the
 * simulated clock. Other services read alarm states through AlarmReader (AppConfig monitors) and
 * publish traffic through MetricSink (scenarios).
 */
import {
  type AlarmReader,
  type MetricSink,
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
import { getMetricData, listMetrics, putMetricData } from './metric-operations.ts';
import { MetricStore } from './metric-store.ts';
import { encodeError, type Input, jsonReply, parseBody, TARGET_PREFIX, throttling } from './protocol.ts';

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
  };

  return {
    name: 'cloudwatch',

    resolve(req) {
      const target = req.headers['x-amz-target'];
      if (req.method !== 'POST' || !target?.startsWith(TARGET_PREFIX)) return undefined;
      const operation = target.slice(TARGET_PREFIX.length);
      return {
        operation,
        handle() {
          const handler = handlers[operation];
          if (!handler) {
            return encodeError(
              new ServiceError(
                400,
                'UnknownOperationException',
                `The sandbox's CloudWatch does not implement ${operation}.`,
              ),
            );
          }
          const output = handler.handle(parseBody(req.body, req.headers['content-encoding']));
          if (handler.writes) ctx.changed();
          return jsonReply(output);
        },
      };
    },

    encodeError: (err) => encodeError(err),
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

    dump: () => ({ version: 1, metrics: metrics.dump(), ...alarms.dump() }),
    load(data) {
      const d = (data ?? {}) as Parameters<AlarmBook['load']>[0] & {
        metrics?: Parameters<MetricStore['load']>[0];
      };
      metrics.load(d.metrics ?? []);
      alarms.load(d);
    },
    reset() {
      metrics.clear();
      alarms.clear();
    },
  };
}

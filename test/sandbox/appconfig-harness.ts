/**
 * Starts the sandbox server in-process with only AppConfig and AppConfigData, and the real SDK
 * clients pointed at it. The clock is frozen (speed 0) and moved with `advance`, so every
 * state-machine assertion is exact and no test waits in real time.
 */
import { AppConfigClient } from '@aws-sdk/client-appconfig';
import { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import { createAppConfig } from '../../packages/sandbox/src/appconfig/service.ts';
import { createAppConfigData } from '../../packages/sandbox/src/appconfigdata/service.ts';
import { SimClock } from '../../packages/sandbox/src/clock.ts';
import type { AlarmReader, AlarmStateValue } from '../../packages/sandbox/src/core.ts';
import { type RunningServer, startServer } from '../../packages/sandbox/src/server.ts';

/** A stand-in for the CloudWatch service behind the AlarmReader seam (not an SDK mock). */
export class TestAlarms implements AlarmReader {
  readonly states = new Map<string, AlarmStateValue>();
  readonly actionsDisabled = new Set<string>();
  alarmState(nameOrArn: string): AlarmStateValue | undefined {
    return this.states.get(nameOrArn);
  }
  alarmActionsEnabled(nameOrArn: string): boolean {
    return !this.actionsDisabled.has(nameOrArn);
  }
}

export interface Harness {
  server: RunningServer;
  clock: SimClock;
  alarms: TestAlarms;
  appconfig: AppConfigClient;
  data: AppConfigDataClient;
  appconfigService: ReturnType<typeof createAppConfig>;
  /** Move simulated time forward and let the services catch up. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'eu-west-2',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});

export async function startHarness(options: { rollbackOnInsufficientData?: boolean } = {}): Promise<Harness> {
  const clock = new SimClock({ speed: 0, start: START });
  const alarms = new TestAlarms();
  let appconfigService: ReturnType<typeof createAppConfig> | undefined;
  const server = await startServer({
    clock,
    services: (ctx) => {
      appconfigService = createAppConfig(ctx, { alarms, ...options });
      return [appconfigService, createAppConfigData(ctx, { appconfig: appconfigService })];
    },
  });
  const appconfig = new AppConfigClient(clientConfig(server.url));
  const data = new AppConfigDataClient(clientConfig(server.url));
  return {
    server,
    clock,
    alarms,
    appconfig,
    data,
    appconfigService: appconfigService!,
    advance(ms) {
      clock.advance(ms);
      server.tick();
    },
    async close() {
      appconfig.destroy();
      data.destroy();
      await server.close();
    },
  };
}

export const MINUTE = 60_000;

export function featureFlagsDocument(percentage: number, enabled = true): string {
  return JSON.stringify({
    version: '1',
    flags: {
      use_influxdb_for_api_queries: { name: 'Use InfluxDB for API queries' },
      influxdb_traffic_percentage: {
        name: 'InfluxDB traffic percentage',
        attributes: {
          percentage: { constraints: { type: 'number', minimum: 0, maximum: 100, required: true } },
          backends: {
            constraints: { type: 'array', elements: { type: 'string', enum: ['influxdb', 'timescale'] } },
          },
        },
      },
    },
    values: {
      use_influxdb_for_api_queries: { enabled },
      influxdb_traffic_percentage: { enabled: true, percentage, backends: ['influxdb'] },
    },
  });
}

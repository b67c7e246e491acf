/**
 * The AWS side of flagops, injected into the pipeline as one object.
 */
import { type AppConfigApi, createAppConfigApi } from './appconfig.ts';
import { createServedConfigurationReader, type ServedConfigurationReader } from './appconfigdata.ts';
import { type CloudWatchApi, createCloudWatchApi } from './cloudwatch.ts';
import type { AwsOptions } from './config.ts';

export interface Aws {
  appconfig: AppConfigApi;
  cloudwatch: CloudWatchApi;
  served: ServedConfigurationReader;
}

export function createAws(options: AwsOptions = {}): Aws {
  return {
    appconfig: createAppConfigApi(options),
    cloudwatch: createCloudWatchApi(options),
    served: createServedConfigurationReader(options),
  };
}

export * from './appconfig.ts';
export * from './appconfigdata.ts';
export * from './cloudwatch.ts';
export * from './config.ts';
export * from './errors.ts';

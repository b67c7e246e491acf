/**
 * What an environment's clients actually receive, read the way they read it (AppConfigData). Used
 * to verify a rollback: the environment must serve the previous version again.
 */
import {
  AppConfigDataClient,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import { type AwsOptions, clientConfig } from './config.ts';
import { attempt } from './errors.ts';

export interface ServedConfiguration {
  versionLabel?: string;
  contentType?: string;
  content: Uint8Array;
}

export interface ServedConfigurationReader {
  served(application: string, environment: string, profile: string): Promise<ServedConfiguration>;
}

export function createServedConfigurationReader(options: AwsOptions): ServedConfigurationReader {
  const client = new AppConfigDataClient(clientConfig(options));
  return {
    async served(application, environment, profile) {
      const doing = `reading what ${application}/${environment}/${profile} serves`;
      const session = await attempt(doing, () =>
        client.send(
          new StartConfigurationSessionCommand({
            ApplicationIdentifier: application,
            EnvironmentIdentifier: environment,
            ConfigurationProfileIdentifier: profile,
          }),
        ),
      );
      const out = await attempt(doing, () =>
        client.send(
          new GetLatestConfigurationCommand({ ConfigurationToken: session.InitialConfigurationToken }),
        ),
      );
      return {
        ...(out.VersionLabel ? { versionLabel: out.VersionLabel } : {}),
        ...(out.ContentType ? { contentType: out.ContentType } : {}),
        content: out.Configuration ?? new Uint8Array(),
      };
    },
  };
}

/**
 * AppConfig extensions as `flagops bootstrap` needs them: find or create the release guard's
 * extension and associate it with environments. Failures become `AwsProblem`s.
 */
import {
  AppConfigClient,
  CreateExtensionAssociationCommand,
  CreateExtensionCommand,
  GetExtensionCommand,
  ListExtensionAssociationsCommand,
} from '@aws-sdk/client-appconfig';
import { type AwsOptions, clientConfig } from './config.ts';
import { AwsProblem, attempt } from './errors.ts';

export interface ExtensionInfo {
  id: string;
  name: string;
  arn: string;
  /** Action point → the URIs (Lambda ARNs) its actions invoke. */
  actions: Record<string, string[]>;
}

export interface NewExtension {
  name: string;
  description: string;
  actionPoint: string;
  action: { name: string; uri: string; roleArn?: string };
  /** Parameter name → whether it is dynamic (given per StartDeployment). None is required. */
  parameters: Record<string, { description: string; dynamic: boolean }>;
}

export interface ExtensionsApi {
  /** By name, ID or ARN; undefined when there is none. */
  getExtension(identifier: string): Promise<ExtensionInfo | undefined>;
  createExtension(input: NewExtension): Promise<ExtensionInfo>;
  /** The associations of one extension with one resource (application, environment or profile ARN). */
  listAssociations(
    resourceArn: string,
    extension: string,
  ): Promise<Array<{ id: string; resourceArn: string }>>;
  associate(extension: string, resourceArn: string): Promise<{ id: string }>;
}

export function createExtensionsApi(options: AwsOptions): ExtensionsApi {
  const client = new AppConfigClient(clientConfig(options));
  const info = (e: {
    Id?: string | undefined;
    Name?: string | undefined;
    Arn?: string | undefined;
    Actions?: Record<string, Array<{ Uri?: string | undefined }>> | undefined;
  }): ExtensionInfo => ({
    id: e.Id ?? '',
    name: e.Name ?? '',
    arn: e.Arn ?? '',
    actions: Object.fromEntries(
      Object.entries(e.Actions ?? {}).map(([point, list]) => [point, list.map((a) => a.Uri ?? '')]),
    ),
  });
  return {
    async getExtension(identifier) {
      try {
        return info(
          await attempt('reading the extension', () =>
            client.send(new GetExtensionCommand({ ExtensionIdentifier: identifier })),
          ),
        );
      } catch (error) {
        if (error instanceof AwsProblem && error.kind === 'not-found') return undefined;
        throw error;
      }
    },
    async createExtension(input) {
      const out = await attempt('creating the extension', () =>
        client.send(
          new CreateExtensionCommand({
            Name: input.name,
            Description: input.description,
            Actions: {
              [input.actionPoint]: [
                {
                  Name: input.action.name,
                  Uri: input.action.uri,
                  ...(input.action.roleArn ? { RoleArn: input.action.roleArn } : {}),
                },
              ],
            },
            Parameters: Object.fromEntries(
              Object.entries(input.parameters).map(([name, p]) => [
                name,
                { Description: p.description, Required: false, Dynamic: p.dynamic },
              ]),
            ),
          }),
        ),
      );
      return info(out);
    },
    async listAssociations(resourceArn, extension) {
      const items: Array<{ id: string; resourceArn: string }> = [];
      let next: string | undefined;
      do {
        const page = await attempt('listing extension associations', () =>
          client.send(
            new ListExtensionAssociationsCommand({
              ResourceIdentifier: resourceArn,
              ExtensionIdentifier: extension,
              MaxResults: 50,
              NextToken: next,
            }),
          ),
        );
        for (const a of page.Items ?? []) items.push({ id: a.Id ?? '', resourceArn: a.ResourceArn ?? '' });
        next = page.NextToken;
      } while (next);
      return items;
    },
    async associate(extension, resourceArn) {
      const out = await attempt('associating the extension', () =>
        client.send(
          new CreateExtensionAssociationCommand({
            ExtensionIdentifier: extension,
            ResourceIdentifier: resourceArn,
          }),
        ),
      );
      return { id: out.Id ?? '' };
    },
  };
}

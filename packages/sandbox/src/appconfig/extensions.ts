/**
 * AppConfig extensions: CreateExtension, GetExtension, ListExtensions, CreateExtensionAssociation,
 * ListExtensionAssociations, GetExtensionAssociation, DeleteExtensionAssociation (shapes and errors
 * from the Smithy model), and the PRE_START_DEPLOYMENT action point StartDeployment runs.
 *
 * AWS runs an action's Lambda; the sandbox emulates no Lambda service, so a function is code the
 * sandbox is given (`lambdas`, by function ARN). An action whose function the sandbox was not
 * given fails the deployment, as a missing function would in AWS. A function that throws stops the
 * deployment: StartDeployment answers BadRequestException with the function's message, and nothing
 * is deployed ("Extensions … PRE_START_DEPLOYMENT … can … stop the action", AWS AppConfig user
 * guide, "Understanding AWS AppConfig extensions").
 */
import type { ServiceContext } from '../core.ts';
import { badRequest, conflict, notFound } from './errors.ts';
import { defined, jsonBody, optionalString, requiredString, tags } from './input.ts';
import { paginate } from './pagination.ts';
import type { Router } from './router.ts';
import type {
  ConfigurationProfile,
  Environment,
  Extension,
  ExtensionAction,
  ExtensionAssociation,
  ExtensionParameter,
  HostedVersion,
} from './state.ts';
import type { AppConfigStore } from './store.ts';

/** A Lambda function as the sandbox runs it: returns to go on, throws to stop. */
export type LambdaFunction = (event: Record<string, unknown>) => unknown;

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-2';
const ARN_PREFIX = `arn:aws:appconfig:${REGION}:${ACCOUNT}:`;
const ACTION_POINTS = [
  'PRE_CREATE_HOSTED_CONFIGURATION_VERSION',
  'PRE_START_DEPLOYMENT',
  'AT_DEPLOYMENT_TICK',
  'ON_DEPLOYMENT_START',
  'ON_DEPLOYMENT_STEP',
  'ON_DEPLOYMENT_BAKING',
  'ON_DEPLOYMENT_COMPLETE',
  'ON_DEPLOYMENT_ROLLED_BACK',
];
const NAME = /^[^/#:\n]{1,64}$/;
const DYNAMIC_KEY = /^([^#\n]{1,96})#([^/#\n]{1,64})$/;

export const applicationArn = (appId: string) => `${ARN_PREFIX}application/${appId}`;
export const environmentArn = (e: Environment) => `${applicationArn(e.ApplicationId)}/environment/${e.Id}`;
export const profileArn = (p: ConfigurationProfile) =>
  `${applicationArn(p.ApplicationId)}/configurationprofile/${p.Id}`;

function extensionView(e: Extension): Record<string, unknown> {
  return defined({
    Id: e.Id,
    Name: e.Name,
    VersionNumber: e.VersionNumber,
    Arn: e.Arn,
    Description: e.Description,
    Actions: e.Actions,
    Parameters: e.Parameters,
  });
}

function associationView(a: ExtensionAssociation): Record<string, unknown> {
  return {
    Id: a.Id,
    ExtensionArn: a.ExtensionArn,
    ResourceArn: a.ResourceArn,
    Arn: a.Arn,
    Parameters: a.Parameters,
    ExtensionVersionNumber: a.ExtensionVersionNumber,
  };
}

function findExtension(store: AppConfigStore, identifier: string): Extension {
  const found = store.state.extensions.find(
    (e) => e.Id === identifier || e.Name === identifier || e.Arn === identifier,
  );
  if (!found) throw notFound('Extension', identifier);
  return found;
}

function actions(raw: unknown): Record<string, ExtensionAction[]> {
  if (typeof raw !== 'object' || raw === null || Object.keys(raw).length === 0)
    throw badRequest('Actions is required: a map from an action point to its actions');
  const out: Record<string, ExtensionAction[]> = {};
  for (const [point, list] of Object.entries(raw as Record<string, unknown>)) {
    if (!ACTION_POINTS.includes(point))
      throw badRequest(`Actions: ${JSON.stringify(point)} is not an action point`);
    if (!Array.isArray(list) || list.length !== 1)
      throw badRequest(`Actions.${point} must hold exactly one action`);
    out[point] = list.map((a: Record<string, unknown>) =>
      defined({
        Name: requiredString(a, 'Name', 1, 64),
        Description: optionalString(a, 'Description', 0, 1024),
        Uri: requiredString(a, 'Uri', 1, 2048),
        RoleArn: optionalString(a, 'RoleArn', 20, 2048),
      }),
    );
  }
  return out;
}

function parameters(raw: unknown): Record<string, ExtensionParameter> {
  const out: Record<string, ExtensionParameter> = {};
  for (const [name, p] of Object.entries((raw ?? {}) as Record<string, Record<string, unknown>>)) {
    if (!NAME.test(name))
      throw badRequest(`Parameters: ${JSON.stringify(name)} is not a valid parameter name`);
    out[name] = defined({
      Description: optionalString(p, 'Description', 0, 1024),
      Required: p['Required'] === true,
      Dynamic: p['Dynamic'] === true,
    });
  }
  return out;
}

/** An application, environment or profile by ARN (the model's ResourceIdentifier). */
function resourceArn(store: AppConfigStore, identifier: string): string {
  const m =
    /^arn:aws:appconfig:[^:]*:\d{12}:application\/([a-z0-9]+)(?:\/(environment|configurationprofile)\/([a-z0-9]+))?$/.exec(
      identifier,
    );
  if (!m)
    throw badRequest(
      `ResourceIdentifier must be the ARN of an application, environment or configuration profile`,
    );
  const [, appId, kind, id] = m as unknown as [string, string, string | undefined, string | undefined];
  if (kind === 'environment') return environmentArn(store.environment(appId, id!));
  if (kind === 'configurationprofile') return profileArn(store.profile(appId, id!));
  store.application(appId);
  return applicationArn(appId);
}

export function registerExtensionRoutes(router: Router, store: AppConfigStore, ctx: ServiceContext): void {
  router
    .add('POST', '/extensions', 'CreateExtension', (req) => {
      const body = jsonBody(req.body);
      const name = requiredString(body, 'Name', 1, 64);
      if (!NAME.test(name)) throw badRequest(`Name ${JSON.stringify(name)} may not contain /, # or :`);
      if (store.state.extensions.some((e) => e.Name === name))
        throw conflict(`an extension named ${name} already exists`);
      const id = store.newId();
      const extension: Extension = defined({
        Id: id,
        Name: name,
        Arn: `${ARN_PREFIX}extension/${id}/1`,
        VersionNumber: 1,
        Description: optionalString(body, 'Description', 0, 1024),
        Actions: actions(body['Actions']),
        Parameters: parameters(body['Parameters']),
        Tags: tags(body),
      });
      store.state.extensions.push(extension);
      ctx.changed();
      return { status: 201, body: extensionView(extension) };
    })
    .add('GET', '/extensions', 'ListExtensions', (req) => ({
      status: 200,
      body: paginate(
        store.state.extensions.map((e) =>
          defined({ Id: e.Id, Name: e.Name, VersionNumber: 1, Arn: e.Arn, Description: e.Description }),
        ),
        req.query,
      ),
    }))
    .add('GET', '/extensions/{ExtensionIdentifier}', 'GetExtension', (_req, p) => ({
      status: 200,
      body: extensionView(findExtension(store, p['ExtensionIdentifier']!)),
    }))
    .add('POST', '/extensionassociations', 'CreateExtensionAssociation', (req) => {
      const body = jsonBody(req.body);
      const extension = findExtension(store, requiredString(body, 'ExtensionIdentifier', 1, 2048));
      const resource = resourceArn(store, requiredString(body, 'ResourceIdentifier', 1, 2048));
      const values = (body['Parameters'] ?? {}) as Record<string, string>;
      for (const [name, p] of Object.entries(extension.Parameters))
        if (p.Required && !p.Dynamic && values[name] === undefined)
          throw badRequest(`Parameters: ${name} is required by extension ${extension.Name}`);
      if (
        store.state.extensionAssociations.some(
          (a) => a.ExtensionArn === extension.Arn && a.ResourceArn === resource,
        )
      )
        throw badRequest(`extension ${extension.Name} is already associated with ${resource}`);
      const id = store.newId();
      const association: ExtensionAssociation = {
        Id: id,
        Arn: `${ARN_PREFIX}extensionassociation/${id}`,
        ExtensionArn: extension.Arn,
        ExtensionVersionNumber: extension.VersionNumber,
        ResourceArn: resource,
        Parameters: values,
        Tags: tags(body),
      };
      store.state.extensionAssociations.push(association);
      ctx.changed();
      return { status: 201, body: associationView(association) };
    })
    .add('GET', '/extensionassociations', 'ListExtensionAssociations', (req) => {
      const resource = req.query.get('resource_identifier');
      const ext = req.query.get('extension_identifier');
      const extensionArn = ext
        ? store.state.extensions.find((e) => e.Id === ext || e.Name === ext || e.Arn === ext)?.Arn
        : undefined;
      const items = store.state.extensionAssociations
        .filter((a) => !resource || a.ResourceArn === resource)
        .filter((a) => !ext || a.ExtensionArn === extensionArn)
        .map((a) => ({ Id: a.Id, ExtensionArn: a.ExtensionArn, ResourceArn: a.ResourceArn }));
      return { status: 200, body: paginate(items, req.query) };
    })
    .add('GET', '/extensionassociations/{ExtensionAssociationId}', 'GetExtensionAssociation', (_req, p) => ({
      status: 200,
      body: associationView(association(store, p['ExtensionAssociationId']!)),
    }))
    .add(
      'DELETE',
      '/extensionassociations/{ExtensionAssociationId}',
      'DeleteExtensionAssociation',
      (_req, p) => {
        const found = association(store, p['ExtensionAssociationId']!);
        store.state.extensionAssociations = store.state.extensionAssociations.filter((a) => a !== found);
        ctx.changed();
        return { status: 204 };
      },
    );
}

function association(store: AppConfigStore, id: string): ExtensionAssociation {
  const found = store.state.extensionAssociations.find((a) => a.Id === id);
  if (!found) throw notFound('ExtensionAssociation', id);
  return found;
}

/** The dynamic parameters of a StartDeployment, by extension: `name#parameter` → value. */
function dynamicParameters(raw: unknown): Array<{ extension: string; name: string; value: string }> {
  if (raw === undefined) return [];
  if (typeof raw !== 'object' || raw === null) throw badRequest('DynamicExtensionParameters must be a map');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > 10) throw badRequest('DynamicExtensionParameters may hold at most 10 entries');
  return entries.map(([key, value]) => {
    const m = DYNAMIC_KEY.exec(key);
    if (!m)
      throw badRequest(`DynamicExtensionParameters: ${JSON.stringify(key)} is not <extension>#<parameter>`);
    if (typeof value !== 'string' || value.length < 1 || value.length > 2048)
      throw badRequest(`DynamicExtensionParameters: ${key} must be 1 to 2048 characters`);
    return { extension: m[1]!, name: m[2]!, value };
  });
}

/**
 * Runs the PRE_START_DEPLOYMENT actions of every extension associated with the environment, its
 * application or the profile, before StartDeployment changes anything. Throws BadRequestException
 * with the function's reason when one refuses.
 */
export function preStartDeployment(
  store: AppConfigStore,
  lambdas: Readonly<Record<string, LambdaFunction>>,
  target: {
    env: Environment;
    profile: ConfigurationProfile;
    version: HostedVersion;
    deploymentNumber: number;
  },
  body: Record<string, unknown>,
): void {
  const dynamic = dynamicParameters(body['DynamicExtensionParameters']);
  const resources = [
    applicationArn(target.env.ApplicationId),
    environmentArn(target.env),
    profileArn(target.profile),
  ];
  const app = store.application(target.env.ApplicationId);
  for (const association of store.state.extensionAssociations.filter((a) =>
    resources.includes(a.ResourceArn),
  )) {
    const extension = store.state.extensions.find((e) => e.Arn === association.ExtensionArn);
    const action = extension?.Actions['PRE_START_DEPLOYMENT']?.[0];
    if (!extension || !action) continue;
    const mine = dynamic.filter((d) => [extension.Name, extension.Id, extension.Arn].includes(d.extension));
    for (const d of mine)
      if (!extension.Parameters[d.name]?.Dynamic)
        throw badRequest(
          `DynamicExtensionParameters: ${d.name} is not a dynamic parameter of extension ${extension.Name}`,
        );
    const fn = lambdas[action.Uri];
    if (!fn)
      throw badRequest(`extension ${extension.Name}: action ${action.Name} could not invoke ${action.Uri}`);
    const event = {
      InvocationId: store.newId(),
      Type: 'PreStartDeployment',
      Application: { Id: app.Id, Name: app.Name },
      Environment: { Id: target.env.Id, Name: target.env.Name },
      ConfigurationProfile: { Id: target.profile.Id, Name: target.profile.Name },
      DeploymentNumber: target.deploymentNumber,
      ConfigurationVersion: String(target.version.VersionNumber),
      Content: target.version.Content.toString('base64'),
      ContentType: target.version.ContentType,
      Parameters: { ...association.Parameters, ...Object.fromEntries(mine.map((d) => [d.name, d.value])) },
    };
    try {
      fn(event);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw badRequest(
        `extension ${extension.Name} (action ${action.Name}) stopped the deployment: ${message}`,
      );
    }
  }
}

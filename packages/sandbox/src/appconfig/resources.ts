/** Applications, environments and configuration profiles: create, read, update, list, delete. */
import type { ServiceContext } from '../core.ts';
import { environmentState, isInFlight } from './deployments.ts';
import { badRequest, conflict, quotaExceeded } from './errors.ts';
import { defined, jsonBody, optionalString, requiredString, tags } from './input.ts';
import { paginate } from './pagination.ts';
import type { Router } from './router.ts';
import {
  type Application,
  type ConfigurationProfile,
  type Environment,
  FEATURE_FLAGS_TYPE,
  FREEFORM_TYPE,
  type Monitor,
} from './state.ts';
import type { AppConfigStore } from './store.ts';
import { checkValidatorDefinitions } from './validators.ts';

const MAX_APPLICATIONS = 100;
const MAX_ENVIRONMENTS = 20;
const MAX_PROFILES = 100;
const ROLE_ARN = /^((arn):(aws|aws-cn|aws-iso|aws-iso-[a-z]{1}|aws-us-gov):(iam)::\d{12}:role[/].*)$/;

export function applicationView(app: Application): Record<string, unknown> {
  return defined({ Id: app.Id, Name: app.Name, Description: app.Description });
}

export function environmentView(store: AppConfigStore, env: Environment): Record<string, unknown> {
  const latest = store.deploymentsOf(env).at(-1);
  return defined({
    ApplicationId: env.ApplicationId,
    Id: env.Id,
    Name: env.Name,
    Description: env.Description,
    State: environmentState(latest),
    Monitors: env.Monitors,
  });
}

function profileView(p: ConfigurationProfile): Record<string, unknown> {
  return defined({
    ApplicationId: p.ApplicationId,
    Id: p.Id,
    Name: p.Name,
    Description: p.Description,
    LocationUri: p.LocationUri,
    RetrievalRoleArn: p.RetrievalRoleArn,
    Validators: p.Validators,
    Type: p.Type,
    KmsKeyIdentifier: p.KmsKeyIdentifier,
  });
}

function profileSummary(p: ConfigurationProfile): Record<string, unknown> {
  return {
    ApplicationId: p.ApplicationId,
    Id: p.Id,
    Name: p.Name,
    LocationUri: p.LocationUri,
    ValidatorTypes: p.Validators.map((v) => v.Type),
    Type: p.Type,
  };
}

function monitors(raw: unknown): Monitor[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.length > 5)
    throw badRequest('Monitors must be a list of at most 5 monitors');
  return raw.map((m, i) => {
    const { AlarmArn, AlarmRoleArn } = (m ?? {}) as { AlarmArn?: unknown; AlarmRoleArn?: unknown };
    if (typeof AlarmArn !== 'string' || AlarmArn.length < 1 || AlarmArn.length > 2048)
      throw badRequest(`Monitors[${i}].AlarmArn is required (the CloudWatch alarm's ARN)`);
    if (AlarmRoleArn !== undefined && (typeof AlarmRoleArn !== 'string' || !ROLE_ARN.test(AlarmRoleArn)))
      throw badRequest(
        `Monitors[${i}].AlarmRoleArn must be an IAM role ARN (arn:aws:iam::123456789012:role/…)`,
      );
    return defined({ AlarmArn, AlarmRoleArn: AlarmRoleArn as string | undefined });
  });
}

export function registerResourceRoutes(router: Router, store: AppConfigStore, ctx: ServiceContext): void {
  const s = () => store.state;

  router
    .add('POST', '/applications', 'CreateApplication', (req) => {
      const body = jsonBody(req.body);
      if (s().applications.length >= MAX_APPLICATIONS)
        throw quotaExceeded(`an account may have at most ${MAX_APPLICATIONS} applications`);
      const app: Application = defined({
        Id: store.newId(),
        Name: requiredString(body, 'Name', 1, 64),
        Description: optionalString(body, 'Description', 0, 1024),
        Tags: tags(body),
      });
      s().applications.push(app);
      ctx.changed();
      return { status: 201, body: applicationView(app) };
    })
    .add('GET', '/applications', 'ListApplications', (req) => ({
      status: 200,
      body: paginate(s().applications.map(applicationView), req.query),
    }))
    .add('GET', '/applications/{ApplicationId}', 'GetApplication', (_req, p) => ({
      status: 200,
      body: applicationView(store.application(p['ApplicationId']!)),
    }))
    .add('PATCH', '/applications/{ApplicationId}', 'UpdateApplication', (req, p) => {
      const app = store.application(p['ApplicationId']!);
      const body = jsonBody(req.body);
      const name = optionalString(body, 'Name', 1, 64);
      const description = optionalString(body, 'Description', 0, 1024);
      if (name !== undefined) app.Name = name;
      if (description !== undefined) app.Description = description;
      ctx.changed();
      return { status: 200, body: applicationView(app) };
    })
    .add('DELETE', '/applications/{ApplicationId}', 'DeleteApplication', (_req, p) => {
      const app = store.application(p['ApplicationId']!);
      const st = s();
      st.applications = st.applications.filter((a) => a.Id !== app.Id);
      st.environments = st.environments.filter((e) => e.ApplicationId !== app.Id);
      st.profiles = st.profiles.filter((x) => x.ApplicationId !== app.Id);
      st.versions = st.versions.filter((v) => v.ApplicationId !== app.Id);
      st.deployments = st.deployments.filter((d) => d.ApplicationId !== app.Id);
      ctx.changed();
      return { status: 204 };
    });

  router
    .add('POST', '/applications/{ApplicationId}/environments', 'CreateEnvironment', (req, p) => {
      const app = store.application(p['ApplicationId']!);
      const body = jsonBody(req.body);
      if (s().environments.filter((e) => e.ApplicationId === app.Id).length >= MAX_ENVIRONMENTS)
        throw quotaExceeded(`an application may have at most ${MAX_ENVIRONMENTS} environments`);
      const env: Environment = defined({
        ApplicationId: app.Id,
        Id: store.newId(),
        Name: requiredString(body, 'Name', 1, 64),
        Description: optionalString(body, 'Description', 0, 1024),
        Monitors: monitors(body['Monitors']),
        Tags: tags(body),
      });
      s().environments.push(env);
      ctx.changed();
      return { status: 201, body: environmentView(store, env) };
    })
    .add('GET', '/applications/{ApplicationId}/environments', 'ListEnvironments', (req, p) => {
      const app = store.application(p['ApplicationId']!);
      const envs = s().environments.filter((e) => e.ApplicationId === app.Id);
      return {
        status: 200,
        body: paginate(
          envs.map((e) => environmentView(store, e)),
          req.query,
        ),
      };
    })
    .add(
      'GET',
      '/applications/{ApplicationId}/environments/{EnvironmentId}',
      'GetEnvironment',
      (_req, p) => ({
        status: 200,
        body: environmentView(store, store.environment(p['ApplicationId']!, p['EnvironmentId']!)),
      }),
    )
    .add(
      'PATCH',
      '/applications/{ApplicationId}/environments/{EnvironmentId}',
      'UpdateEnvironment',
      (req, p) => {
        const env = store.environment(p['ApplicationId']!, p['EnvironmentId']!);
        const body = jsonBody(req.body);
        const name = optionalString(body, 'Name', 1, 64);
        const description = optionalString(body, 'Description', 0, 1024);
        if (name !== undefined) env.Name = name;
        if (description !== undefined) env.Description = description;
        if (body['Monitors'] !== undefined) env.Monitors = monitors(body['Monitors']);
        ctx.changed();
        return { status: 200, body: environmentView(store, env) };
      },
    )
    .add(
      'DELETE',
      '/applications/{ApplicationId}/environments/{EnvironmentId}',
      'DeleteEnvironment',
      (_req, p) => {
        const env = store.environment(p['ApplicationId']!, p['EnvironmentId']!);
        if (store.deploymentsOf(env).some(isInFlight))
          throw conflict(
            `environment ${env.Id} has a deployment in progress; stop it or wait before deleting`,
          );
        const st = s();
        st.environments = st.environments.filter((e) => e !== env);
        st.deployments = st.deployments.filter(
          (d) => !(d.ApplicationId === env.ApplicationId && d.EnvironmentId === env.Id),
        );
        ctx.changed();
        return { status: 204 };
      },
    );

  router
    .add(
      'POST',
      '/applications/{ApplicationId}/configurationprofiles',
      'CreateConfigurationProfile',
      (req, p) => {
        const app = store.application(p['ApplicationId']!);
        const body = jsonBody(req.body);
        if (s().profiles.filter((x) => x.ApplicationId === app.Id).length >= MAX_PROFILES)
          throw quotaExceeded(`an application may have at most ${MAX_PROFILES} configuration profiles`);
        const type = optionalString(body, 'Type', 1, 128) ?? FREEFORM_TYPE;
        if (!/^[a-zA-Z.]+$/.test(type)) throw badRequest('Type must match ^[a-zA-Z.]+$');
        if (type !== FREEFORM_TYPE && type !== FEATURE_FLAGS_TYPE)
          throw badRequest(`Type must be ${FEATURE_FLAGS_TYPE} or ${FREEFORM_TYPE}`);
        const locationUri = requiredString(body, 'LocationUri', 1, 2048);
        if (locationUri !== 'hosted')
          throw badRequest(
            'the sandbox supports only LocationUri "hosted" (the AppConfig hosted configuration store)',
          );
        const profile: ConfigurationProfile = defined({
          ApplicationId: app.Id,
          Id: store.newId(),
          Name: requiredString(body, 'Name', 1, 128),
          Description: optionalString(body, 'Description', 0, 1024),
          LocationUri: locationUri,
          RetrievalRoleArn: optionalString(body, 'RetrievalRoleArn', 20, 2048),
          Validators: checkValidatorDefinitions(body['Validators']),
          Type: type,
          KmsKeyIdentifier: optionalString(body, 'KmsKeyIdentifier', 1, 2048),
          Tags: tags(body),
          nextVersionNumber: 1,
        });
        s().profiles.push(profile);
        ctx.changed();
        return { status: 201, body: profileView(profile) };
      },
    )
    .add(
      'GET',
      '/applications/{ApplicationId}/configurationprofiles',
      'ListConfigurationProfiles',
      (req, p) => {
        const app = store.application(p['ApplicationId']!);
        const type = req.query.get('type');
        const profiles = s().profiles.filter(
          (x) => x.ApplicationId === app.Id && (type === null || x.Type === type),
        );
        return { status: 200, body: paginate(profiles.map(profileSummary), req.query) };
      },
    )
    .add(
      'GET',
      '/applications/{ApplicationId}/configurationprofiles/{ConfigurationProfileId}',
      'GetConfigurationProfile',
      (_req, p) => ({
        status: 200,
        body: profileView(store.profile(p['ApplicationId']!, p['ConfigurationProfileId']!)),
      }),
    )
    .add(
      'PATCH',
      '/applications/{ApplicationId}/configurationprofiles/{ConfigurationProfileId}',
      'UpdateConfigurationProfile',
      (req, p) => {
        const profile = store.profile(p['ApplicationId']!, p['ConfigurationProfileId']!);
        const body = jsonBody(req.body);
        const name = optionalString(body, 'Name', 1, 128);
        const description = optionalString(body, 'Description', 0, 1024);
        if (name !== undefined) profile.Name = name;
        if (description !== undefined) profile.Description = description;
        if (body['Validators'] !== undefined)
          profile.Validators = checkValidatorDefinitions(body['Validators']);
        ctx.changed();
        return { status: 200, body: profileView(profile) };
      },
    )
    .add(
      'DELETE',
      '/applications/{ApplicationId}/configurationprofiles/{ConfigurationProfileId}',
      'DeleteConfigurationProfile',
      (_req, p) => {
        const profile = store.profile(p['ApplicationId']!, p['ConfigurationProfileId']!);
        if (store.versionsOf(profile).length > 0)
          throw conflict(
            `configuration profile ${profile.Id} still has hosted configuration versions; delete them first`,
          );
        s().profiles = s().profiles.filter((x) => x !== profile);
        ctx.changed();
        return { status: 204 };
      },
    );
}

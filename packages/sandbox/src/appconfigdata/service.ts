/**
 * The emulated AppConfigData (restJson1), spoken to by the real `@aws-sdk/client-appconfigdata`:
 * StartConfigurationSession and GetLatestConfiguration, on the same host as AppConfig.
 *
 * Clients receive what AppConfig currently serves to the environment; during a deployment each
 * session lands on the new or the previous version by a stable hash, so the shares hold. Feature
 * flag profiles are served as the simplified `{flag: {enabled, ...attributes}}` map.
 * Poll intervals are reported but not enforced.
 */

import { encodeRestJsonError } from '../appconfig/errors.ts';
import { simplifyFeatureFlags } from '../appconfig/feature-flags.ts';
import type { ConfigurationLookup } from '../appconfig/service.ts';
import { FEATURE_FLAGS_TYPE } from '../appconfig/state.ts';
import type { Reply, SandboxRequest, ServedConfiguration, Service, ServiceContext } from '../core.ts';
import { ServiceError } from '../core.ts';
import { type Session, Sessions, type SessionsSnapshot, sessionBucket } from './sessions.ts';

export interface AppConfigDataDeps {
  appconfig: ServedConfiguration & ConfigurationLookup;
}

const DEFAULT_POLL_SECONDS = 60;
const PRUNE_EVERY_MS = 60_000;

function badRequest(message: string, param?: string, problem?: string): ServiceError {
  const extra: Record<string, unknown> = { Reason: 'InvalidParameters' };
  if (param && problem) extra['Details'] = { InvalidParameters: { [param]: { Problem: problem } } };
  return new ServiceError(400, 'BadRequestException', message, extra);
}

/** AppConfig's not-found errors name the resource; AppConfigData's carry ResourceType instead. */
function asDataError(err: unknown, referencedBy: Record<string, string>): unknown {
  if (!(err instanceof ServiceError) || err.code !== 'ResourceNotFoundException') return err;
  return new ServiceError(404, 'ResourceNotFoundException', err.message, {
    ResourceType: err.extra['ResourceName'],
    ReferencedBy: referencedBy,
  });
}

function body(req: SandboxRequest): Record<string, unknown> {
  try {
    const parsed: unknown = req.body.length === 0 ? {} : JSON.parse(req.body.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw badRequest('request body must be a JSON object');
}

function identifier(b: Record<string, unknown>, name: string): string {
  const v = b[name];
  if (typeof v !== 'string' || v.length < 1 || v.length > 128)
    throw badRequest(`${name} is required: the name or ID (1–128 characters)`);
  return v;
}

export function createAppConfigData(ctx: ServiceContext, deps: AppConfigDataDeps): Service {
  const sessions = new Sessions();
  let lastPrune = 0;

  function startSession(req: SandboxRequest): Reply {
    const b = body(req);
    const app = identifier(b, 'ApplicationIdentifier');
    const env = identifier(b, 'EnvironmentIdentifier');
    const profile = identifier(b, 'ConfigurationProfileIdentifier');
    const poll = b['RequiredMinimumPollIntervalInSeconds'] ?? DEFAULT_POLL_SECONDS;
    if (typeof poll !== 'number' || !Number.isInteger(poll) || poll < 15 || poll > 86400)
      throw badRequest('RequiredMinimumPollIntervalInSeconds must be an integer from 15 to 86400');
    let target: ReturnType<ConfigurationLookup['resolveTarget']>;
    try {
      target = deps.appconfig.resolveTarget(app, env, profile);
    } catch (err) {
      throw asDataError(err, { Application: app, Environment: env, ConfigurationProfile: profile });
    }
    const token = sessions.start(
      {
        applicationId: target.applicationId,
        environmentId: target.environmentId,
        profileId: target.profileId,
        profileType: target.profileType,
        pollIntervalSeconds: poll,
      },
      ctx.clock.now(),
    );
    ctx.changed();
    return { status: 201, body: { InitialConfigurationToken: token } };
  }

  function pickVersion(session: Session) {
    let served: ReturnType<ServedConfiguration['served']>;
    try {
      served = deps.appconfig.served(session.applicationId, session.environmentId, session.profileId);
    } catch (err) {
      throw asDataError(err, { Application: session.applicationId });
    }
    const bucket = sessionBucket(session.id);
    let cumulative = 0;
    for (const version of served) {
      cumulative += version.share;
      if (bucket < cumulative) return version;
    }
    return undefined;
  }

  function getLatest(req: SandboxRequest): Reply {
    const token = req.query.get('configuration_token');
    if (!token) throw badRequest('configuration_token is required', 'ConfigurationToken', 'Corrupted');
    const now = ctx.clock.now();
    const redeemed = sessions.redeem(token, now);
    if (!redeemed.ok)
      throw badRequest(
        redeemed.problem === 'Expired'
          ? 'this configuration token was already used or is older than 24 hours; use the NextPollConfigurationToken of your latest call'
          : 'this configuration token is not one the service issued; start a session with StartConfigurationSession',
        'ConfigurationToken',
        redeemed.problem,
      );
    const session = redeemed.session;
    const next = sessions.issue(session, now);
    ctx.changed();
    const headers: Record<string, string | number | undefined> = {
      'Next-Poll-Configuration-Token': next,
      'Next-Poll-Interval-In-Seconds': session.pollIntervalSeconds,
    };
    const version = pickVersion(session);
    if (!version || version.versionNumber === session.lastVersionNumber)
      return { status: 200, headers, body: Buffer.alloc(0) };
    session.lastVersionNumber = version.versionNumber;
    const isFlags = session.profileType === FEATURE_FLAGS_TYPE;
    const content = isFlags
      ? Buffer.from(JSON.stringify(simplifyFeatureFlags(JSON.parse(version.content.toString('utf8')))))
      : version.content;
    headers['Content-Type'] = isFlags ? 'application/json' : version.contentType;
    headers['Version-Label'] = version.versionLabel;
    return { status: 200, headers, body: content };
  }

  return {
    name: 'appconfigdata',
    resolve(req) {
      if (req.path === '/configurationsessions' && req.method === 'POST')
        return { operation: 'StartConfigurationSession', handle: () => startSession(req) };
      if (req.path === '/configuration' && req.method === 'GET')
        return { operation: 'GetLatestConfiguration', handle: () => getLatest(req) };
      return undefined;
    },
    encodeError: (err) => encodeRestJsonError(err),
    throttleError: () => new ServiceError(429, 'ThrottlingException', 'Rate exceeded'),
    tick(now) {
      if (now - lastPrune < PRUNE_EVERY_MS) return;
      lastPrune = now;
      if (sessions.prune(now)) ctx.changed();
    },
    dump: () => sessions.snapshot(),
    load(data) {
      sessions.restore(data as SessionsSnapshot);
    },
    reset() {
      sessions.clear();
    },
  };
}

/**
 * Hosted configuration versions. Members travel as HTTP headers and the content as the raw body,
 * as the model's httpHeader/httpPayload traits say.
 */
import type { Reply, ServiceContext } from '../core.ts';
import { badRequest, conflict, invalidConfiguration, payloadTooLarge } from './errors.ts';
import { checkFeatureFlags, stampMetadata } from './feature-flags.ts';
import { integerLabel } from './input.ts';
import { paginate } from './pagination.ts';
import type { Router } from './router.ts';
import { type ConfigurationProfile, FEATURE_FLAGS_TYPE, type HostedVersion } from './state.ts';
import type { AppConfigStore } from './store.ts';
import { runValidators } from './validators.ts';

export const MAX_CONTENT_BYTES = 1024 * 1024;
const BASE =
  '/applications/{ApplicationId}/configurationprofiles/{ConfigurationProfileId}/hostedconfigurationversions';

export function checkVersionLabel(label: string): void {
  if (label.length < 1 || label.length > 64 || !/[^0-9]/.test(label))
    throw badRequest(
      `VersionLabel must be 1–64 characters with at least one non-digit (e.g. "v2.2.0"), not ${JSON.stringify(label)}`,
    );
}

function versionReply(status: number, v: HostedVersion): Reply {
  return {
    status,
    headers: {
      'Application-Id': v.ApplicationId,
      'Configuration-Profile-Id': v.ConfigurationProfileId,
      'Version-Number': v.VersionNumber,
      Description: v.Description,
      'Content-Type': v.ContentType,
      VersionLabel: v.VersionLabel,
    },
    body: v.Content,
  };
}

function summary(v: HostedVersion): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ApplicationId: v.ApplicationId,
    ConfigurationProfileId: v.ConfigurationProfileId,
    VersionNumber: v.VersionNumber,
    ContentType: v.ContentType,
  };
  if (v.Description !== undefined) out['Description'] = v.Description;
  if (v.VersionLabel !== undefined) out['VersionLabel'] = v.VersionLabel;
  return out;
}

/** Feature-flag documents are checked, then stamped with metadata; anything else is stored as sent. */
function prepareContent(
  profile: ConfigurationProfile,
  raw: Buffer,
  previous: HostedVersion | undefined,
  nowIso: string,
): Buffer {
  if (profile.Type !== FEATURE_FLAGS_TYPE) return raw;
  let doc: unknown;
  try {
    doc = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw invalidConfiguration('feature flag content is not valid JSON', [
      { Constraint: 'JSON', Location: '$', Reason: (err as Error).message, Type: 'schema', Value: '' },
    ]);
  }
  const problems = checkFeatureFlags(doc);
  if (problems.length > 0) {
    const first = problems[0]!;
    throw invalidConfiguration(
      `feature flag configuration is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}); first: ${first.Location} ${first.Reason}`,
      problems,
    );
  }
  let before: Record<string, unknown> | undefined;
  try {
    before = previous
      ? (JSON.parse(previous.Content.toString('utf8')) as Record<string, unknown>)
      : undefined;
  } catch {
    before = undefined;
  }
  return Buffer.from(JSON.stringify(stampMetadata(doc as Record<string, unknown>, before, nowIso)));
}

export function registerHostedVersionRoutes(
  router: Router,
  store: AppConfigStore,
  ctx: ServiceContext,
): void {
  router
    .add('POST', BASE, 'CreateHostedConfigurationVersion', (req, p) => {
      const profile = store.profile(p['ApplicationId']!, p['ConfigurationProfileId']!);
      const contentType = req.headers['content-type'];
      if (!contentType) throw badRequest('Content-Type is required (e.g. application/json)');
      if (req.body.length > MAX_CONTENT_BYTES) throw payloadTooLarge(req.body.length, MAX_CONTENT_BYTES);
      const label = req.headers['versionlabel'];
      if (label !== undefined) checkVersionLabel(label);
      const description = req.headers['description'];
      if (description !== undefined && description.length > 1024)
        throw badRequest('Description must be at most 1024 characters');

      const existing = store.versionsOf(profile);
      const latest = existing[0];
      const lock = req.headers['latest-version-number'];
      if (lock !== undefined) {
        const expected = integerLabel(lock, 'Latest-Version-Number');
        const actual = latest?.VersionNumber ?? 0;
        if (expected !== actual)
          throw conflict(
            `Latest-Version-Number is ${expected} but the latest hosted version of profile ${profile.Id} is ${actual}; someone else created a version — re-read and retry`,
          );
      }

      const content = prepareContent(profile, req.body, latest, new Date(ctx.clock.now()).toISOString());
      runValidators(profile.Validators, content);
      const version: HostedVersion = {
        ApplicationId: profile.ApplicationId,
        ConfigurationProfileId: profile.Id,
        VersionNumber: profile.nextVersionNumber,
        ContentType: contentType,
        Content: content,
        ...(description !== undefined ? { Description: description } : {}),
        ...(label !== undefined ? { VersionLabel: label } : {}),
      };
      profile.nextVersionNumber += 1;
      store.state.versions.push(version);
      ctx.changed();
      return versionReply(201, version);
    })
    .add('GET', BASE, 'ListHostedConfigurationVersions', (req, p) => {
      const profile = store.profile(p['ApplicationId']!, p['ConfigurationProfileId']!);
      const filter = req.query.get('version_label');
      const matches = (v: HostedVersion) => {
        if (filter === null) return true;
        if (v.VersionLabel === undefined) return false;
        return filter.endsWith('*')
          ? v.VersionLabel.startsWith(filter.slice(0, -1))
          : v.VersionLabel === filter;
      };
      return {
        status: 200,
        body: paginate(store.versionsOf(profile).filter(matches).map(summary), req.query),
      };
    })
    .add('GET', `${BASE}/{VersionNumber}`, 'GetHostedConfigurationVersion', (_req, p) => {
      const profile = store.profile(p['ApplicationId']!, p['ConfigurationProfileId']!);
      return versionReply(200, store.version(profile, integerLabel(p['VersionNumber']!, 'VersionNumber')));
    })
    .add('DELETE', `${BASE}/{VersionNumber}`, 'DeleteHostedConfigurationVersion', (_req, p) => {
      const profile = store.profile(p['ApplicationId']!, p['ConfigurationProfileId']!);
      const version = store.version(profile, integerLabel(p['VersionNumber']!, 'VersionNumber'));
      store.state.versions = store.state.versions.filter((v) => v !== version);
      ctx.changed();
      return { status: 204 };
    });
}
